import time

from django.core.management.base import BaseCommand

from jobs.bench_data import generate_vacancies
from jobs.demo import load_demo
from jobs.models import Vacancy


class Command(BaseCommand):
    help = (
        "Load demo data: the seed advert, a handful of clients, consultants and vacancies, "
        "and with --vacancies N, N more generated live vacancies for benchmarks. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--vacancies", type=int, default=0, help="Generated live vacancies.")
        parser.add_argument(
            "--ended", type=int, default=None, help="Generated closed/filled ones (default N/10)."
        )

    def handle(self, *args, **options):
        started = time.monotonic()
        load_demo()
        count = max(options["vacancies"], 0)
        if count:
            ended = options["ended"] if options["ended"] is not None else count // 10
            generate_vacancies(count, ended=max(ended, 0))
        self.stdout.write(
            f"Demo data ready in {time.monotonic() - started:.1f}s: "
            f"{Vacancy.objects.live().count()} live of {Vacancy.objects.count()} vacancies."
        )
