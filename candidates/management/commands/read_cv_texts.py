from django.core.management.base import BaseCommand

from candidates import cvs
from candidates.models import CandidateCV


class Command(BaseCommand):
    help = (
        "Read the text of every CV version still waiting (carried over by an upgrade, or "
        "left by a stopped worker), oldest first, so search finds them."
    )

    def handle(self, *args, **options):
        outcomes = dict.fromkeys(CandidateCV.TextStatus.values, 0)
        waiting = CandidateCV.objects.waiting_for_text().order_by("pk").values_list("pk", flat=True)
        for pk in list(waiting):
            version = CandidateCV.objects.filter(pk=pk).waiting_for_text().first()
            if version is not None:  # erased, or read by the worker, meanwhile
                outcomes[cvs.read_text(version)] += 1
        del outcomes[CandidateCV.TextStatus.PENDING]
        self.stdout.write(", ".join(f"{status}: {count}" for status, count in outcomes.items()))
