"""A report arrives once: reloading the curated fixtures, loading a dump again, or importing the same CQC report
again (even changed) keeps its first `arrived_at`, so a follower confirmed in between is sent nothing; a report
new in a later import is sent, alone."""

import datetime
import shutil

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from inspections.alerts import signups
from inspections.alerts.sending import send_alerts
from inspections.curation import load_curated_fixtures
from inspections.models import Inspection, Trust
from tests.cqc.conftest import LATER, SAMPLE, edit_json, link, run
from tests.integration.test_reload_keeps_edits import write

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = "http://testserver"


def arrivals() -> dict[int, datetime.datetime]:
    return dict(Inspection.objects.values_list("pk", "arrived_at"))


def follower_of_everything_from_now():
    """A follower of every trust, confirmed after everything held so far arrived."""
    signups.confirm(signups.sign_up(email="reader@example.org", trust=None).follow)
    mail.outbox.clear()


def test_a_curated_reload_keeps_each_reports_first_arrival_even_when_the_report_changed(tmp_path):
    paths = write(tmp_path / "zz")
    load_curated_fixtures(paths=paths)
    first = arrivals()
    assert len(first) == 1
    follower_of_everything_from_now()
    inspections = write(tmp_path / "zz", safe="good")[2]  # a rating changed, and the report's title
    inspections.write_text(
        inspections.read_text().replace("title: Fictional comprehensive inspection", "title: Fictional renamed")
    )
    load_curated_fixtures(paths=paths)
    report = Inspection.objects.get()
    assert report.title == "Fictional renamed"  # the reload did write the report
    assert arrivals() == first
    assert send_alerts().messages_sent == 0
    assert not mail.outbox


def test_the_real_fixtures_reloaded_keep_every_arrival():
    load_curated_fixtures()
    first = arrivals()
    assert len(first) > 20
    load_curated_fixtures()
    assert arrivals() == first


def test_loading_the_same_dump_again_keeps_every_arrival(curated_data, curated_dump):
    first = arrivals()
    assert first
    Inspection.objects.update(arrived_at=timezone.now() - datetime.timedelta(days=30))  # as a dump of old rows holds
    dumped = arrivals()
    call_command("loaddata", str(curated_dump), verbosity=0)
    assert arrivals() == first  # the dump's own times, not the time of this load
    assert arrivals() != dumped


def test_importing_the_same_reports_again_keeps_their_first_arrival_and_sends_nothing(tmp_path):
    run("--from-dir", str(SAMPLE))
    first = arrivals()
    assert len(first) >= 3
    follower_of_everything_from_now()
    run("--from-dir", str(SAMPLE))
    assert arrivals() == first

    # CQC's record of one report changes (its first visit a day later): the same report, updated, not a new one.
    changed = tmp_path / "snap"
    shutil.copytree(SAMPLE, changed)

    def visit_moved(body):
        assert (body["reports"][1]["linkId"], body["reports"][1]["firstVisitDate"]) == (link(103), "2023-06-05")
        body["reports"][1]["firstVisitDate"] = "2023-06-06"

    edit_json(changed / "providers" / "ZZ1.json", visit_moved)
    run("--from-dir", str(changed))
    report = Inspection.objects.get(cqc_report_link_id=link(103))
    assert report.visit_start == datetime.date(2023, 6, 6)  # the import wrote the change
    assert arrivals() == first
    assert send_alerts().messages_sent == 0
    assert not mail.outbox


def test_a_later_import_sends_only_the_report_new_in_it(tmp_path):
    run("--from-dir", str(SAMPLE))
    held = set(Inspection.objects.values_list("pk", flat=True))
    follower_of_everything_from_now()
    later = tmp_path / "snap"
    shutil.copytree(SAMPLE, later)

    def new_report(body):
        report = dict(body["reports"][0], linkId=link(999), reportDate="2026-01-15", reportUri=f"/reports/{link(999)}")
        body["reports"].insert(0, report)

    edit_json(later / "providers" / "ZZ2.json", new_report)
    run("--from-dir", str(later))
    (new,) = Inspection.objects.exclude(pk__in=held)
    assert new.cqc_report_link_id == link(999)
    assert send_alerts().messages_sent == 1
    body = mail.outbox[0].body
    assert new.get_absolute_url() in body
    assert [report.title for report in Inspection.objects.filter(pk__in=held) if report.title in body] == []


def test_a_trust_moved_between_imports_keeps_its_reports_arrivals():
    """The sample's later snapshot moves a clinic to the other trust: its reports are not new to anyone."""
    run("--from-dir", str(SAMPLE))
    first = arrivals()
    run("--from-dir", str(LATER))
    assert {pk: when for pk, when in arrivals().items() if pk in first} == first
    assert Trust.objects.filter(provider_id__startswith="ZZ").count() >= 2
