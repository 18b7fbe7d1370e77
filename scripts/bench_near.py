"""Time the job list searched near a town, in-process, on SQLite or PostgreSQL.

SQLite: a throwaway file. PostgreSQL: DATABASE_URL names a database of your own, which this
migrates and fills with BENCH_NEAR_VACANCIES (20,000) generated live vacancies (seed_demo).
Each search is a first visit (the shared counts, page cache and kept job cards cleared), DEBUG off:
the median and worst of BENCH_NEAR_RUNS (7) runs, and its SQL queries. Prints figures; it
never fails on timing.
"""

import os
import tempfile
from pathlib import Path

from bench import bench_env, in_django, manage

VACANCIES = int(os.environ.get("BENCH_NEAR_VACANCIES", "20000"))
RUNS = int(os.environ.get("BENCH_NEAR_RUNS", "7"))

TIMINGS = r"""
import re, statistics, time
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

searches = {
    "all jobs": {},
    "near Leeds (25 miles)": {"near": "Leeds"},
    "near Leeds, 5 miles": {"near": "Leeds", "within": "5"},
    "near London, 50 miles": {"near": "London", "within": "50"},
    "nurse near Leeds": {"q": "nurse", "near": "Leeds"},
    "part time near Manchester, 10": {"near": "Manchester", "within": "10", "hours": "part_time"},
    "an unknown town": {"near": "Atlantis"},
}
client = Client(HTTP_HOST="127.0.0.1")
print(f"{'search':<34}{'median ms':>10}{'max ms':>8}{'queries':>8}{'jobs':>7}")
for label, params in searches.items():
    timings = []
    for _ in range(RUNS):
        for cache in ("pages", "shared", "fragments"):  # job cards are kept there
            caches[cache].clear()
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get("/jobs/", params)
            timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    count = re.search(r"(\d+) live job", response.content.decode()).group(1)
    print(f"{label:<34}{statistics.median(timings):>10.0f}{max(timings):>8.0f}"
          f"{len(queries):>8}{count:>7}")
"""


def main():
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        url = os.environ.get("DATABASE_URL", "")
        database = (
            {"DATABASE_URL": url}
            if url.startswith("postgres")
            else {"SQLITE_PATH": str(work / "bench.sqlite3"), "DATABASE_URL": ""}
        )
        env = {**bench_env(work, database), "PUBLIC_PAGE_CACHE_SECONDS": "0"}
        manage(env, "migrate", "-v0")
        manage(env, "collectstatic", "--noinput", "-v0")
        manage(env, "seed_demo", "--vacancies", str(VACANCIES))
        in_django(env, f"RUNS = {RUNS}\n{TIMINGS}")
        vendor = "PostgreSQL" if url.startswith("postgres") else "SQLite"
        print(f"{vendor}; DEBUG off; {VACANCIES} generated live vacancies; medians of {RUNS}.")


if __name__ == "__main__":
    main()
