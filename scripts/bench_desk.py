"""make bench-desk: a vacancy's pipeline board with 500 candidates on it, timed.

Builds a throwaway database, migrates it, puts BENCH_DESK_ENTRIES (500) candidates on one
vacancy's pipeline across its stages, and renders the board BENCH_DESK_RUNS (20) times with
Django's test client as a logged-in consultant, DEBUG off. It does this on SQLite, and on
PostgreSQL too when DATABASE_URL points at one (the run makes and drops its own database
there). Prints the median and slowest time, the queries and the page's size; it never fails
on timing (tests pin the query count).
"""

import os
import tempfile
from pathlib import Path

from bench import bench_env, in_django, manage, throwaway_database

ENTRIES = int(os.environ.get("BENCH_DESK_ENTRIES", "500"))
RUNS = int(os.environ.get("BENCH_DESK_RUNS", "20"))

# Runs in a Django process of its own, on the throwaway database.
TIMINGS = """
import random, statistics, time
from datetime import timedelta
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from accounts.models import User
from candidates.models import Candidate
from jobs.tests.factories import ConsultantFactory, OpenVacancyFactory
from pipeline.models import PipelineEntry, Stage

random.seed(17)
user = User.objects.create_user("bench-consultant", "bench@samsmall.example", None, is_staff=True)
user.groups.add(Group.objects.get(name="Consultant"))
vacancy = OpenVacancyFactory(consultant=ConsultantFactory(user=user))
candidates = Candidate.objects.bulk_create(
    Candidate(name=f"Candidate {n}", email=f"candidate{n}@example.com") for n in range(ENTRIES)
)
stages = list(Stage.objects.in_order())
now = timezone.now()
PipelineEntry.objects.bulk_create(
    PipelineEntry(
        vacancy=vacancy,
        candidate=candidate,
        stage=random.choice(stages),
        source=random.choice(["application", "database", "referral", "job_board"]),
        entered_stage_at=now - timedelta(hours=random.randint(1, 24 * 30)),
    )
    for candidate in candidates
)

client = Client(HTTP_HOST="127.0.0.1")
client.force_login(user)
url = reverse("admin:pipeline_board", args=[vacancy.pk])
client.get(url)  # templates loaded and compiled, as after a process's first request
with CaptureQueriesContext(connection) as queries:
    response = client.get(url)
assert response.status_code == 200, response.status_code
query_count = len(queries)  # read now: each request empties the connection's query log
timings = []
for _ in range(RUNS):
    started = time.perf_counter()
    client.get(url)
    timings.append((time.perf_counter() - started) * 1000)
print(
    f"{DATABASE:<12}{ENTRIES:>7}{query_count:>9}{len(response.content) / 1024:>9.0f}"
    f"{statistics.median(timings):>11.1f}{max(timings):>11.1f}"
)
"""


def main():
    postgres = os.environ.get("DATABASE_URL", "")
    databases = [("SQLite", "")]
    if postgres.startswith("postgres"):
        databases.append(("PostgreSQL", postgres))
    print(f"{'board':<12}{'cards':>7}{'queries':>9}{'KB':>9}{'median ms':>11}{'max ms':>11}")
    for label, url in databases:
        with tempfile.TemporaryDirectory() as folder:
            os.environ["DATABASE_URL"] = url  # throwaway_database reads it
            database, drop = throwaway_database(Path(folder))
            env = {**bench_env(Path(folder), database), "ADMIN_REQUIRE_2FA": "0"}
            try:
                manage(env, "migrate", "-v0")
                manage(env, "collectstatic", "--noinput", "-v0")
                settings = f"DATABASE = {label!r}\nENTRIES = {ENTRIES}\nRUNS = {RUNS}\n"
                in_django(env, settings + TIMINGS)
            finally:
                drop()
    if len(databases) == 1:
        print("PostgreSQL: set DATABASE_URL=postgres://... to time it there too.")
    print(f"Median and slowest of {RUNS} renders, test client, DEBUG off, one vacancy.")


if __name__ == "__main__":
    main()
