"""One run of `send_alerts`: each confirmed subscriber gets one message listing the reports of the trusts they
follow that arrived since their last message (or their confirmation), and nothing when none did.

The run's cutoff is read while no transaction that writes inspections is open (on PostgreSQL a SHARE lock on the
table, held only for that instant), so every report that arrived up to the cutoff is visible to the run and none
that arrives later is counted as sent. Each message is sent inside its own transaction, which moves the
subscriber's `sent_through` to the cutoff: a send that fails rolls its bookkeeping back and is retried on the next
run; a run that stops half way has moved on only the subscribers it sent to, so a rerun sends nothing twice.
"""

import datetime
import logging
import re
import smtplib
from collections import defaultdict

from django.core.mail import get_connection
from django.db import connection, transaction
from django.db.models import F, Min, Q
from django.utils import timezone

from inspections.alerts import messages, signups
from inspections.domain.codes import KeyQuestion, Scope
from inspections.domain.dates import format_partial_date
from inspections.domain.rating_levels import RatingValue
from inspections.models import AlertRun, Follow, Inspection, Rating, Subscriber, inspection_url

logger = logging.getLogger(__name__)
ADDRESS = re.compile(r"[^\s<>'\"]+@[^\s<>'\"]+")
QUESTION_ORDER = {code: rank for rank, code in enumerate(KeyQuestion.values)}


def run_cutoff() -> datetime.datetime:
    """Now, once every open transaction writing inspections has ended (PostgreSQL; SQLite writes one at a time)."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL lock_timeout = '15min'")
                cursor.execute("SET LOCAL statement_timeout = '15min'")  # an import may hold its transaction long
                cursor.execute(f"LOCK TABLE {Inspection._meta.db_table} IN SHARE MODE")
        return timezone.now()


def arrivals_between(start: datetime.datetime, end: datetime.datetime) -> dict[int, list[messages.Arrival]]:
    """Each trust's reports that arrived in (start, end], oldest arrival first, with the ratings each set for the
    whole trust (two queries). Placeholders for ratings a site inherited from another trust's report are no report
    of this trust and are left out."""
    reports = list(
        Inspection.objects.filter(arrived_at__gt=start, arrived_at__lte=end, inherited_report_link_id="")
        .order_by("arrived_at", "pk")
        .values_list(
            "pk",
            "trust_id",
            "trust__name",
            "trust__slug",
            "slug",
            "title",
            "published",
            "published_precision",
            "arrived_at",
        )
    )
    ratings = defaultdict(list)
    for inspection_id, question, value in Rating.objects.filter(
        inspection_id__in=[row[0] for row in reports], scope=Scope.TRUST
    ).values_list("inspection_id", "key_question", "value"):
        ratings[inspection_id].append((question, value))
    by_trust = defaultdict(list)
    for pk, trust_id, trust_name, trust_slug, slug, title, published, precision, arrived_at in reports:
        stated = sorted(ratings[pk], key=lambda item: QUESTION_ORDER.get(item[0], 99))
        by_trust[trust_id].append(
            messages.Arrival(
                inspection_id=pk,
                trust_id=trust_id,
                trust_name=trust_name,
                title=title,
                published=format_partial_date(published, precision),
                ratings=tuple((KeyQuestion(q).label, RatingValue(v).label) for q, v in stated),
                url=messages.absolute(inspection_url(trust_slug, slug)),
                arrived_at=arrived_at,
            )
        )
    return by_trust


def _due(follows, by_trust, every) -> list[messages.Arrival]:
    """What these follows of one subscriber have not yet been sent, each report once, oldest arrival first."""
    due = {}
    for follow in follows:
        for arrival in every if follow.trust_id is None else by_trust.get(follow.trust_id, ()):
            if arrival.arrived_at > follow.sent_through:
                due[arrival.inspection_id] = arrival
    return sorted(due.values(), key=lambda arrival: (arrival.arrived_at, arrival.inspection_id))


def _send_one(subscriber_id: int, *, by_trust, every, cutoff, mail) -> bool | None:
    """Send one subscriber's message and move their follows on, in one transaction; None when nothing is due
    (another run sent it first)."""
    with transaction.atomic():
        subscriber = Subscriber.objects.select_for_update().filter(pk=subscriber_id).first()
        if subscriber is None:  # unsubscribed since the run began
            return None
        follows = list(
            Follow.objects.confirmed().filter(subscriber=subscriber, sent_through__lt=cutoff).select_related("trust")
        )
        due = _due(follows, by_trust, every)
        if not due:
            return None
        Follow.objects.filter(pk__in=[follow.pk for follow in follows]).update(sent_through=cutoff)
        Subscriber.objects.filter(pk=subscriber.pk).update(
            last_sent_at=cutoff, failures=0, last_failure_at=None, last_failure=""
        )
        following = sorted(follow.what for follow in follows)
        mail.send_messages([messages.alert(subscriber, due, following=following)])
    return True


def send_alerts(*, now: datetime.datetime | None = None) -> AlertRun:
    """The run: remove stale sign-ups, then one message to each subscriber with something new."""
    cutoff = now or run_cutoff()
    run = AlertRun.objects.create(started_at=timezone.now(), cutoff=cutoff)
    run.unconfirmed_removed = signups.remove_unconfirmed(now=cutoff)
    waiting = Follow.objects.confirmed().filter(sent_through__lt=cutoff)
    start = waiting.aggregate(start=Min("sent_through"))["start"]
    by_trust = arrivals_between(start, cutoff) if start else {}
    every = sorted(
        (arrival for arrivals in by_trust.values() for arrival in arrivals),
        key=lambda arrival: (arrival.arrived_at, arrival.inspection_id),
    )
    subscriber_ids = sorted(
        set(
            waiting.filter(Q(trust__isnull=True) | Q(trust_id__in=list(by_trust))).values_list(
                "subscriber_id", flat=True
            )
        )
        if by_trust
        else ()
    )
    mail = get_connection()
    try:
        for subscriber_id in subscriber_ids:
            try:
                # One connection for the run (Django's SMTP backend would otherwise connect, start TLS and sign in
                # for every message); opened again after a failure closed it.
                mail.open()
                sent = _send_one(subscriber_id, by_trust=by_trust, every=every, cutoff=cutoff, mail=mail)
            except Exception as error:  # noqa: BLE001 - any failure of one send is that message's, retried next run
                run.failures += 1
                said = failure_words(error)
                logger.warning("send_alerts: the message to subscriber %s failed: %s", subscriber_id, said)
                Subscriber.objects.filter(pk=subscriber_id).update(
                    failures=F("failures") + 1, last_failure_at=timezone.now(), last_failure=said
                )
                mail.close()  # a broken connection is opened afresh for the next message
                continue
            run.messages_sent += bool(sent)
    finally:
        mail.close()
        run.finished_at = timezone.now()
        run.save()
    return run


def failure_words(error: Exception) -> str:
    """What went wrong, without the address (mail servers' refusals name it): the server's code and words."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return "the mail server refused the address"
    if isinstance(error, smtplib.SMTPResponseException):
        said = f"{type(error).__name__}: {error.smtp_code} {error.smtp_error!r}"
    else:
        said = f"{type(error).__name__}: {error}"
    return ADDRESS.sub("[address]", said)[:200]
