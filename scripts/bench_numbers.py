"""make bench-numbers: the agency's numbers for a year of a 30-consultant agency.

Builds a throwaway database (DATABASE_URL for PostgreSQL, else SQLite), seeds about
1,000,000 stage-log moves and 5,000 placements (placements/bench_data.py), and times, with
Django's test client in one process:

- the report counted entirely from the stage log (nothing rolled up yet), once;
- `roll_up_numbers` over the year;
- the report for the year, for a manager (everyone) and for one consultant (their own):
  the median and the slowest of BENCH_NUMBERS_RUNS (7) after a first, warming visit, and
  the number of SQL queries; then again as if the roll-up had last run a day before (the
  seeded day before the last is written back to where it then stood, and counted live).

It prints, never fails: tests pin the query count; the target is under 500 ms on PostgreSQL.
"""

import os
import tempfile
import time
from pathlib import Path

from bench import bench_env, in_django, manage, throwaway_database

RUNS = int(os.environ.get("BENCH_NUMBERS_RUNS", "7"))

TIMINGS = """
import statistics, time
from datetime import timedelta
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from accounts.models import User
from jobs.models import Consultant
from placements.bench_data import seed
from placements.numbers import build_report, roll_up

started = time.perf_counter()
seed()
print(f"seeded in {time.perf_counter() - started:.0f} s")
if connection.vendor == "postgresql":
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # as autovacuum would soon after such a load
today = timezone.localdate()
start, end = today - timedelta(days=365), today

started = time.perf_counter()
build_report(start, end)
print(f"report counted from the stage log alone: {(time.perf_counter() - started) * 1000:.0f} ms")
started = time.perf_counter()
days = roll_up()
print(f"roll_up_numbers: {days} days in {time.perf_counter() - started:.1f} s")

manager = User.objects.create_superuser("bench", "bench@example.com", None)
own = User.objects.create_user("consultant", "c@example.com", None, is_staff=True)
own.groups.add(Group.objects.get(name="Consultant"))
Consultant.objects.filter(pk=Consultant.objects.order_by("pk").values("pk")[:1]).update(user=own)
url = f"/admin/placements/placement/numbers/?start={start:%Y-%m-%d}&end={end:%Y-%m-%d}"


def timed(label, client):
    assert client.get(url).status_code == 200  # warms the database's caches
    timings = []
    for _ in range(RUNS):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    print(f"{label:<38}{statistics.median(timings):>10.0f}{max(timings):>9.0f}{len(captured):>9}")


print(f"{'the numbers for a year':<38}{'median ms':>10}{'max ms':>9}{'queries':>9}")
clients = {}
for key, user in (("manager", manager), ("own", own)):
    clients[key] = Client(HTTP_HOST="127.0.0.1")
    clients[key].force_login(user)
timed("manager (30 consultants)", clients["manager"])
timed("one consultant (own)", clients["own"])

# The same, had the roll-up last run a day ago: a day of moves counted from the log.
from placements.models import DayChannelFigures, DayStageFigures, NumbersRolledUp
from placements.numbers import write_days

day_ago = NumbersRolledUp.objects.get().until - timedelta(days=1)
DayStageFigures.objects.filter(day__gt=timezone.localdate(day_ago)).delete()
DayChannelFigures.objects.filter(day__gt=timezone.localdate(day_ago)).delete()
write_days(timezone.localdate(day_ago), timezone.localdate(day_ago), day_ago)
NumbersRolledUp.objects.filter(pk=1).update(until=day_ago)
timed("manager, a day not rolled up", clients["manager"])
timed("one consultant, a day not rolled up", clients["own"])
"""


def main():
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        database, drop = throwaway_database(work)
        env = {**bench_env(work, database), "ADMIN_REQUIRE_2FA": "0"}
        try:
            manage(env, "migrate", "-v0")
            manage(env, "collectstatic", "--noinput", "-v0")
            started = time.monotonic()
            in_django(env, f"RUNS = {RUNS}\n{TIMINGS}")
            engine = "PostgreSQL" if env.get("DATABASE_URL") else "SQLite"
            print(f"\n{engine}; DEBUG off; {time.monotonic() - started:.0f} s in all.")
        finally:
            drop()


if __name__ == "__main__":
    main()
