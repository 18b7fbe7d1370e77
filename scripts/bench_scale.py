"""make bench-scale: the targets that need a big database, on SQLite or PostgreSQL.

- how long seed_demo takes to load BENCH_SCALE_VACANCIES (100,000) live vacancies;
- keyword searches at that size: a first visit, then one user (wrk, one connection):
  p50 and p99;
- the admin with BENCH_SCALE_CANDIDATES (1,000,000) candidates and as many enquiries:
  each changelist and a search by email and by name, rendered by a logged-in superuser.

Like make bench it builds a throwaway database (DATABASE_URL for PostgreSQL) and prints
figures; it never fails on timing. It takes a few minutes and a few GB of disk.
"""

import os
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

from bench import PYTHON, ROOT, Server, bench_env, in_django, load, throwaway_database

VACANCIES = int(os.environ.get("BENCH_SCALE_VACANCIES", "100000"))
CANDIDATES = int(os.environ.get("BENCH_SCALE_CANDIDATES", "1000000"))
SEARCHES = [
    "/jobs/?q=nurse",
    "/jobs/?q=account+manager",
    "/jobs/?q=manager&workplace=hybrid&contract_type=permanent",
    "/jobs/?q=healthcare+pr&sort=newest",
    "/jobs/?q=engineer&salary=50000&page=3",
]
# Rendered in a Django process of its own: the admin's pages as a consultant opens them.
ADMIN_TIMINGS = """
import statistics, sys, time
from django.test import Client
from accounts.models import User
from candidates.models import Candidate

email = Candidate.objects.order_by("pk").values_list("email", flat=True)[CANDIDATES // 2]
name = Candidate.objects.order_by("pk").values_list("name", flat=True)[CANDIDATES // 3]
pages = {
    "candidate list": "/admin/candidates/candidate/",
    "candidate search by email": f"/admin/candidates/candidate/?q={email}",
    "candidate search by name": f"/admin/candidates/candidate/?q={name.replace(' ', '+')}",
    "enquiry list": "/admin/candidates/enquiry/",
    "enquiry search by email": f"/admin/candidates/enquiry/?q={email}",
    "enquiry search by name": f"/admin/candidates/enquiry/?q={name.replace(' ', '+')}",
}
client = Client(HTTP_HOST="127.0.0.1")
admin = User.objects.filter(is_superuser=True).first()
client.force_login(admin or User.objects.create_superuser("bench", "bench@example.com", None))
for label, path in pages.items():
    timings = []
    for _ in range(6):
        started = time.perf_counter()
        response = client.get(path)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    warm = timings[1:]  # the first visit fills the database's own caches
    print(f"{label:<30}{statistics.median(warm):>9.0f}{max(warm):>9.0f}")
"""


def manage_timed(env, *args):
    started = time.monotonic()
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)  # noqa: S603
    return time.monotonic() - started


def first_visit(url):
    """Milliseconds for a search nobody has made since the jobs last changed: it counts
    its facets, which later visits (by anyone) reuse."""
    started = time.perf_counter()
    with urllib.request.urlopen(url) as response:  # noqa: S310  # nosec B310 (loopback)
        response.read()
    return (time.perf_counter() - started) * 1000


def main():
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        database, drop = throwaway_database(work)
        env = {**bench_env(work, database), "ADMIN_REQUIRE_2FA": "0"}
        try:
            run(env)
        finally:
            drop()


def run(env):
    manage_timed(env, "migrate", "-v0")
    manage_timed(env, "collectstatic", "--noinput", "-v0")
    seconds = manage_timed(env, "seed_demo", "--vacancies", str(VACANCIES))
    print(f"seed_demo --vacancies {VACANCIES}: {seconds:.0f} s")
    seconds = manage_timed(env, "seed_candidates", str(CANDIDATES), "--enquiries-each", "1")
    print(f"seed_candidates {CANDIDATES} --enquiries-each 1: {seconds:.0f} s")

    print(
        f"\n{'search, one user, uncached':<60}{'first ms':>9}{'req/s':>8}{'p50 ms':>9}{'p99 ms':>9}"
    )
    server = Server({**env, "PUBLIC_PAGE_CACHE_SECONDS": "0"})
    try:
        for _ in range(4):  # each worker's first request loads templates: not a search's cost
            first_visit(server.url + "/jobs/")
        for path in SEARCHES:
            first = first_visit(server.url + path)
            rate, p50, p99 = load(server.url + path, connections=1)
            print(f"{path:<60}{first:>9.1f}{rate:>8.0f}{p50:>9.1f}{p99:>9.1f}")
    finally:
        server.stop()

    print(f"\n{'admin, superuser':<30}{'median ms':>9}{'max ms':>9}")
    in_django(env, f"CANDIDATES = {CANDIDATES}\n{ADMIN_TIMINGS}")
    print(
        f"\n{VACANCIES} live vacancies, {CANDIDATES} candidates and enquiries; "
        f"{'PostgreSQL' if env.get('DATABASE_URL') else 'SQLite'}; DEBUG off."
    )


if __name__ == "__main__":
    main()
