from django.core.management.base import BaseCommand

from candidates.held_cvs import discard_expired


class Command(BaseCommand):
    help = (
        "Delete CVs held for forms that came back with mistakes and were never sent again "
        "(older than CV_HOLD_SECONDS). Run it hourly."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"Discarded {discard_expired()} held CV(s).")
