from django.core.management.base import BaseCommand

from outbox.delivery import send_due


class Command(BaseCommand):
    help = (
        "Send every queued email that is due, oldest first. The worker sends and retries by "
        "itself; run this on a schedule (every 5 minutes) to catch what a stopped worker left."
    )

    def handle(self, *args, **options):
        outcomes = send_due()
        self.stdout.write(
            f"{outcomes['sent']} sent, {outcomes['queued']} failed and will be retried, "
            f"{outcomes['failed']} failed for good (see the outbox in the admin)."
        )
