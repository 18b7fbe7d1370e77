from django.core.management.base import BaseCommand

from candidates.alerts import queue_due_digests


class Command(BaseCommand):
    help = (
        "Queue each due job alert's digest of new live jobs in the outbox (the worker sends "
        "it). Run it on a schedule (e.g. hourly); running it twice never queues the same "
        "digest twice."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"{queue_due_digests()} job alert digest(s) queued.")
