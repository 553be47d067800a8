"""Email each confirmed subscriber the reports that arrived since their last message (README: cron lines)."""

from django.core.management.base import BaseCommand

from inspections.alerts.sending import send_alerts


class Command(BaseCommand):
    help = (
        "Send each confirmed subscriber one email listing the reports of the trusts they follow that arrived since "
        "their last email or confirmation (nothing when none did), and remove sign-ups not confirmed in 7 days. "
        "Safe to rerun: a failed send is retried next run, and nothing is sent twice."
    )

    def handle(self, *args, **options):
        run = send_alerts()
        self.stdout.write(
            f"send_alerts: {run.messages_sent} email(s) sent, {run.failures} failed (retried next run), "
            f"{run.unconfirmed_removed} unconfirmed sign-up(s) removed; reports that arrived up to "
            f"{run.cutoff:%Y-%m-%d %H:%M:%S %Z}."
        )
        if run.failures:
            self.stderr.write(self.style.WARNING(f"{run.failures} email(s) failed; see the log and the admin."))
