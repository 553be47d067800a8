"""The import's steps on their own: each is a function of a frozen context that plans, returns what the next step
needs, and writes nothing until the write plan is asked to write."""

import dataclasses
import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from inspections.changes.write_plan import WritePlan
from inspections.cqc.import_context import ImportContext, ImportResult
from inspections.cqc.import_services import plan_services
from inspections.cqc.import_sites import plan_sites
from inspections.cqc.import_trust import plan_sources, plan_trust
from inspections.cqc.mapping import map_provider
from inspections.cqc.snapshot import SnapshotFeed
from inspections.models import CoreService, Location, Source, Trust
from tests.cqc.conftest import LATER, SAMPLE, run

pytestmark = pytest.mark.django_db
RETRIEVED = datetime.date(2026, 11, 20)


def context(folder, provider_id: str) -> ImportContext:
    data = SnapshotFeed(folder).fetch(provider_id)
    records = map_provider(provider_id, data.provider, data.locations, retrieved=RETRIEVED, problems=data.problems)
    plan = WritePlan(reason="import_cqc: test", where=f"provider {provider_id}", theirs="CQC")
    return ImportContext(records=records, retrieved=RETRIEVED, plan=plan, result=ImportResult(provider_id))


def test_the_first_steps_plan_the_trust_its_sources_sites_and_services_and_write_only_when_asked():
    ctx = context(SAMPLE, "ZZ1")
    with CaptureQueriesContext(connection) as queries:
        trust = plan_trust(ctx)
        ctx = dataclasses.replace(ctx, trust=trust)
        ctx = dataclasses.replace(ctx, sources=plan_sources(ctx))
        ctx = dataclasses.replace(ctx, sites=plan_sites(ctx), services=plan_services(ctx))
    assert not [q for q in queries.captured_queries if q["sql"].startswith(("INSERT", "UPDATE", "DELETE"))]
    assert (trust.pk, trust.name) == (None, "Fictional Valley NHS Trust")
    assert sorted(ctx.sites.by_id) == ["ZZ1AA", "ZZ1AB", "ZZ1AC", "ZZ1AD", "ZZ1AE"]
    assert sorted(ctx.sources) == ["ZZ1", "ZZ1AA", "ZZ1AB", "ZZ1AC", "ZZ1AD", "ZZ1AE"]
    assert not Trust.objects.exists()

    ctx.plan.write(Trust, Source, Location, CoreService)
    assert Trust.objects.get().provider_id == "ZZ1"
    assert Location.objects.filter(trust__provider_id="ZZ1").count() == 5
    assert CoreService.objects.count() == len(ctx.services)


def test_the_sites_step_returns_a_site_moved_in_with_the_trust_it_left():
    run("--from-dir", str(SAMPLE))
    ctx = context(LATER, "ZZ2")
    ctx = dataclasses.replace(ctx, trust=plan_trust(ctx), held_before=True)
    sites = plan_sites(ctx)
    location, left = sites.moved["ZZ1AD"]
    assert (location.cqc_location_id, left.provider_id, location.trust.provider_id) == ("ZZ1AD", "ZZ1", "ZZ2")
    assert ctx.result.moves == [
        "site Fictional Riverside Clinic (ZZ1AD) moved here from Fictional Valley NHS Trust (ZZ1) with its history"
    ]
    assert Location.objects.get(cqc_location_id="ZZ1AD").trust.provider_id == "ZZ1"  # not written yet
