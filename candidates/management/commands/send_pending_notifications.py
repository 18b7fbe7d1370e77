from django.core.management.base import BaseCommand

from candidates import notifications


class Command(BaseCommand):
    help = (
        "Send every enquiry email that is due and unsent. The worker retries by itself; run "
        "this on a schedule (e.g. every 5 minutes) to catch what a stopped worker left behind."
    )

    def handle(self, *args, **options):
        sent = failed = 0
        for enquiry_id in list(notifications.due_enquiry_ids()):
            if notifications.deliver(enquiry_id) is None:
                sent += 1
            else:
                failed += 1
        self.stdout.write(f"{sent} enquiry(ies) delivered, {failed} failed and will be retried.")
