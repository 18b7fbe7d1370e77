from django.core.management.base import BaseCommand
from django.utils import timezone

from placements.numbers import roll_up, rolled_up_until


class Command(BaseCommand):
    help = (
        "Add up the pipeline's moves by day for the agency's numbers. Run it every few "
        "minutes; safe to run again or twice at once. The report counts the moves since the "
        "last run from the stage log, so it is never wrong, only slower the longer ago that was."
    )

    def handle(self, *args, **options):
        days = roll_up()
        until = timezone.localtime(rolled_up_until())
        self.stdout.write(
            f"{days} day(s) written; the figures now hold every move before {until:%Y-%m-%d %H:%M}."
        )
