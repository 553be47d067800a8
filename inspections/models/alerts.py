"""Email alerts: who follows which trust (or every trust), and each run of `send_alerts`.

An address is held only to send these alerts: never shown to editors (the admin shows counts; superusers alone
see addresses), never in the change history (these models keep none), and deleted when its owner unsubscribes
or when a sign-up is not confirmed within `UNCONFIRMED_DAYS`. Saving these rows does not replace the data version
(`changes.version`): a sign-up is not a change to the record, so cached pages stay.
"""

from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone

from inspections.models.trusts import Trust

#: Days a sign-up may wait for its confirmation; the link expires then, and the sign-up is removed.
UNCONFIRMED_DAYS = 7


class Subscriber(models.Model):
    """One email address, with how its messages went."""

    bumps_data_version = False

    email = models.EmailField(max_length=254)
    created_at = models.DateTimeField(default=timezone.now)
    last_sent_at = models.DateTimeField(null=True, blank=True, help_text="When the last alert was sent to it.")
    failures = models.PositiveIntegerField(default=0, help_text="Sends that failed since the last that worked.")
    last_failure_at = models.DateTimeField(null=True, blank=True)
    last_failure = models.CharField(max_length=200, blank=True, help_text="What the mail server said, shortened.")

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(Lower("email"), name="subscriber_unique_email")]

    def __str__(self):
        return f"subscriber {self.pk}"  # never the address: this shows in logs and admin messages


class FollowQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(confirmed_at__isnull=False)

    def unconfirmed_since(self, when):
        """Sign-ups not confirmed, made before `when`."""
        return self.filter(confirmed_at__isnull=True, created_at__lt=when)


class Follow(models.Model):
    """A subscriber's wish to hear of new reports on one trust, or on every trust (no trust)."""

    bumps_data_version = False

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="follows")
    trust = models.ForeignKey(
        Trust, null=True, blank=True, on_delete=models.CASCADE, related_name="follows", help_text="Blank: every trust."
    )
    created_at = models.DateTimeField(default=timezone.now)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    sent_through = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Reports that arrived after this time are still to be sent (set at confirmation, moved on by "
        "each message, in the same transaction as the send).",
    )

    objects = FollowQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["subscriber", "trust"], condition=Q(trust__isnull=False), name="follow_unique_trust"
            ),
            models.UniqueConstraint(
                fields=["subscriber"], condition=Q(trust__isnull=True), name="follow_unique_every_trust"
            ),
            models.CheckConstraint(
                condition=Q(confirmed_at__isnull=True) | Q(sent_through__isnull=False),
                name="follow_confirmed_has_sent_through",
            ),
        ]

    def __str__(self):
        return f"follow of {self.trust or 'every trust'}"

    @property
    def what(self) -> str:
        """What is followed, in words for a page or a message."""
        return self.trust.name if self.trust_id else "every NHS trust we hold"


class AlertRun(models.Model):
    """One run of `send_alerts`: reports that arrived up to `cutoff` were due."""

    bumps_data_version = False

    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    cutoff = models.DateTimeField(help_text="Reports that arrived up to this time were sent in this run.")
    messages_sent = models.PositiveIntegerField(default=0)
    failures = models.PositiveIntegerField(default=0, help_text="Messages the mail server refused (retried next run).")
    unconfirmed_removed = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self):
        return f"alert run {self.started_at:%Y-%m-%d %H:%M}"


class FollowedTrust(Trust):
    """Trusts as the admin's count of alert followers shows them (no addresses)."""

    bumps_data_version = False

    class Meta:
        proxy = True
        verbose_name = "email alert followers of a trust"
        verbose_name_plural = "email alert followers per trust"
