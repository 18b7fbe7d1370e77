import random
import uuid

from django.core.management.base import BaseCommand

from candidates.models import Candidate, Enquiry
from jobs.bench_data import after_bulk_load
from jobs.models import Vacancy

FIRST = ["Zoë", "Amir", "Grace", "Tom", "Priya", "Liam", "Nguyễn", "Sofia", "Kwame", "Ella"]
LAST = ["Smith", "Khan", "Okafor", "Jones", "Patel", "Murphy", "Thị Minh", "Rossi", "Mensah"]


class Command(BaseCommand):
    help = "Bulk candidates and enquiries for benchmarks: COUNT candidates, two enquiries each."

    def add_arguments(self, parser):
        parser.add_argument("count", type=int)
        parser.add_argument("--enquiries-each", type=int, default=2, choices=range(1, 6))

    def handle(self, *args, **options):
        rng = random.Random(options["count"])  # noqa: S311 - demo data
        vacancies = list(Vacancy.objects.values_list("pk", "consultant_id")[:5000])
        start = Candidate.objects.count()
        for offset in range(0, options["count"], 2000):
            numbers = range(start + offset, start + min(offset + 2000, options["count"]))
            candidates = Candidate.objects.bulk_create(
                [
                    Candidate(
                        name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                        email=f"candidate{n}@example.com",
                        phone="07911 123456",
                        source="seed",
                    )
                    for n in numbers
                ]
            )
            enquiries = []
            for candidate in candidates:
                for vacancy, consultant in rng.sample(vacancies, options["enquiries_each"]):
                    enquiries.append(
                        Enquiry(
                            submission_id=uuid.uuid4(),
                            kind="question",
                            candidate=candidate,
                            vacancy_id=vacancy,
                            consultant_id=consultant,
                            name=candidate.name,
                            email=candidate.email,
                            notify_email="consultant@example.com",
                            message="Is this still open?",
                            status=rng.choice(Enquiry.Status.values),
                        )
                    )
            Enquiry.objects.bulk_create(enquiries)
        after_bulk_load(Candidate, Enquiry)
        enquiries = options["enquiries_each"] * options["count"]
        self.stdout.write(f"{options['count']} candidates and {enquiries} enquiries.")
