"""make bench-my-desk: how long "My desk" takes for a consultant with a big pipeline.

Builds a throwaway database of the configured kind (SQLite, or PostgreSQL when DATABASE_URL
is set) and seeds one consultant with BENCH_DESK_VACANCIES (200) live vacancies and
BENCH_DESK_ENTRIES (20,000) pipeline entries spread over the stages (half of them
applications with their enquiry; each entered its stage up to 12 days ago, so thousands
wait too long), follow-ups, and a colleague with a tenth as much. Then it renders the desk
with Django's test client, DEBUG off, and prints the median and slowest of BENCH_DESK_RUNS
(30) visits, the median CPU time of this process, and the SQL queries of one. It prints and
never fails: the query count is pinned by a test; the target, 150 ms, is for people to read.
"""

import os
import tempfile
from pathlib import Path

from bench import in_django, throwaway_database
from local_server import production_env

VACANCIES = int(os.environ.get("BENCH_DESK_VACANCIES", "200"))
ENTRIES = int(os.environ.get("BENCH_DESK_ENTRIES", "20000"))
RUNS = int(os.environ.get("BENCH_DESK_RUNS", "30"))

SEED_AND_TIME = """
import random, statistics, time
from datetime import timedelta
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from accounts.models import User
from candidates.models import Candidate, Enquiry
from jobs.models import Client as Employer, Consultant, Vacancy
from pipeline.models import FollowUp, PipelineEntry, Stage

random.seed(17)
now = timezone.now()
today = timezone.localdate()
stages = list(Stage.objects.in_order())
employer = Employer.objects.create(name="Bench Client Ltd")
candidate_number = 0


def seed(username, vacancies, entries, group):
    global candidate_number
    user = User.objects.create_user(username, f"{username}@example.com", None, is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    consultant = Consultant.objects.create(
        name=username.title(), email=f"{username}@example.com", user=user
    )
    jobs = Vacancy.objects.bulk_create(
        Vacancy(
            title=f"Account Manager {username} {n}",
            slug=f"bench-{username}-{n}",
            reference=f"B-{username[:3]}-{n:05d}",
            client=employer,
            consultant=consultant,
            location="London",
            description="The role.",
            description_html="<p>The role.</p>",
            status=Vacancy.Status.OPEN,
            published_at=now - timedelta(days=n % 40 + 1),
        )
        for n in range(vacancies)
    )
    people = Candidate.objects.bulk_create(
        Candidate(name=f"Candidate {number}", email=f"c{number}@example.com")
        for number in range(candidate_number, candidate_number + entries)
    )
    candidate_number += entries
    rows, enquiries = [], []
    for n, person in enumerate(people):
        job = jobs[n % len(jobs)]
        stage = random.choice(stages)
        rows.append(
            PipelineEntry(
                candidate=person,
                vacancy=job,
                stage=stage,
                source="application" if n % 2 else "database",
                entered_stage_at=now - timedelta(hours=random.randint(1, 24 * 12)),
            )
        )
        if n % 2:
            enquiries.append(
                Enquiry(
                    kind="application",
                    candidate=person,
                    vacancy=job,
                    consultant=consultant,
                    name=person.name,
                    email=person.email,
                    notify_email=consultant.email,
                    created_at=now - timedelta(hours=n % 500),
                )
            )
    PipelineEntry.objects.bulk_create(rows, batch_size=2000)
    Enquiry.objects.bulk_create(enquiries, batch_size=2000)
    FollowUp.objects.bulk_create(
        FollowUp(
            owner=user,
            entry=rows[n * 40] if n % 2 else None,
            candidate=rows[n * 40].candidate,
            description=f"Chase {n}",
            due_on=today + timedelta(days=n % 20 - 10),
            done_at=now if n % 3 == 0 else None,
        )
        for n in range(entries // 40)
    )
    return user


raj = seed("raj", VACANCIES, ENTRIES, "Consultant")
seed("kelly", max(VACANCIES // 10, 1), max(ENTRIES // 10, 1), "Consultant")
maya = seed("maya", 0, 0, "Manager")
if connection.vendor == "postgresql":
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def timed(user, path, label):
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    for _ in range(2):  # the first visits load templates and fill the database's caches
        assert client.get(path).status_code == 200
    timings, cpu = [], []
    for _ in range(RUNS):
        started, started_cpu = time.perf_counter(), time.process_time()
        response = client.get(path)
        timings.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    print(
        f"{label:<40}{statistics.median(timings):>10.1f}{max(timings):>9.1f}"
        f"{statistics.median(cpu):>9.1f}{len(queries):>9}"
    )


# Wall time swings with whatever else the machine runs; this process's CPU time (which
# includes SQLite's work, but not PostgreSQL's, done in the server) swings less.
print(f"{'My desk':<40}{'median ms':>10}{'max ms':>9}{'cpu ms':>9}{'queries':>9}")
timed(raj, "/admin/", f"consultant: {VACANCIES} vacancies, {ENTRIES} entries")
timed(maya, "/admin/?desk=team", "manager: the whole team")
"""


def main():
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        database, drop = throwaway_database(work)
        env = production_env(
            work / "static",
            **database,
            ADMIN_REQUIRE_2FA="0",
            LOG_LEVEL="WARNING",
            SHARED_CACHE_DIR=str(work / "shared-cache"),
        )
        try:
            in_django(
                env,
                "from django.core.management import call_command\n"
                "call_command('migrate', verbosity=0)\n"
                "call_command('collectstatic', interactive=False, verbosity=0)\n",
            )
            in_django(
                env, f"VACANCIES, ENTRIES, RUNS = {VACANCIES}, {ENTRIES}, {RUNS}\n" + SEED_AND_TIME
            )
            kind = "PostgreSQL" if env.get("DATABASE_URL") else "SQLite"
            print(f"\n{kind}; DEBUG off; Django's test client in one process.")
        finally:
            drop()


if __name__ == "__main__":
    main()
