from django.core.management.base import BaseCommand

from pipeline.scheduling import send_reminders


class Command(BaseCommand):
    help = (
        "Queue the day-before reminder of each interview due one (candidate and invited client "
        "contacts), through the outbox. Run it hourly; two runs never remind twice."
    )

    def handle(self, *args, **options):
        reminded = send_reminders()
        self.stdout.write(f"{reminded} interview{'' if reminded == 1 else 's'} reminded.")
