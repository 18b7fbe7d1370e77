from django.core.management.base import BaseCommand

from candidates.alerts import send_due_digests


class Command(BaseCommand):
    help = (
        "Email each due job alert its new live jobs. Run it on a schedule (e.g. hourly); "
        "running it twice never sends anyone the same digest twice."
    )

    def handle(self, *args, **options):
        self.stdout.write(f"{send_due_digests()} job alert digest(s) sent.")
