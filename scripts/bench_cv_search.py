"""Search candidates by the words of their CVs at scale, on SQLite or PostgreSQL.

Builds a throwaway database (DATABASE_URL for PostgreSQL), loads BENCH_CV_CANDIDATES
(100,000) candidates with one CV version each, and BENCH_CV_EXTRA (20,000) of them a
second (older) one: about 400 words of text each, drawn from a vocabulary of job words,
with a few rare ones. Then it renders the admin's candidate list for searches by CV words
and by name, as a logged-in superuser, and prints the median and worst of five warm runs.
It prints figures; it never fails on timing.
"""

import os
import tempfile
from pathlib import Path

from bench import bench_env, in_django, manage, throwaway_database

CANDIDATES = int(os.environ.get("BENCH_CV_CANDIDATES", "100000"))
EXTRA = int(os.environ.get("BENCH_CV_EXTRA", "20000"))

LOAD = """
import random, time
from django.db import connection
from candidates.models import Candidate, CandidateCV
from jobs.demo import after_bulk_load

rng = random.Random(17)
common = (
    "nurse care patient ward theatre manager team lead project account client sales "
    "developer python java engineer design build support customer service office admin "
    "finance audit tax payroll teacher school pupil warehouse driver forklift chef kitchen "
    "retail store marketing campaign brand digital social media healthcare pharma london "
    "leeds bristol manchester birmingham experience years skills responsible managed led "
    "delivered improved trained qualified degree certificate communication planning budget"
).split()
filler = [f"word{n}" for n in range(3000)]
rare = ["orthopaedic", "anaesthetics", "phlebotomy", "kubernetes", "actuarial", "sommelier"]


def text():
    words = rng.choices(common, k=150) + rng.choices(filler, k=250)
    if rng.random() < 0.01:
        words.append(rng.choice(rare))
    rng.shuffle(words)
    return " ".join(words)


started = time.monotonic()
for offset in range(0, CANDIDATES, 2000):
    size = min(2000, CANDIDATES - offset)
    people = Candidate.objects.bulk_create(
        Candidate(name=f"Person {offset + n} Smith", email=f"p{offset + n}@example.com")
        for n in range(size)
    )
    versions = [
        CandidateCV(candidate=person, file="cvs/x.pdf", text=text(), text_status="extracted",
                    is_current=True)
        for person in people
    ]
    versions += [
        CandidateCV(candidate=person, file="cvs/y.pdf", text=text(), text_status="extracted")
        for person in people[: max(0, min(size, EXTRA - offset))]
    ]
    CandidateCV.objects.bulk_create(versions)
after_bulk_load(Candidate, CandidateCV)
print(f"loaded {CANDIDATES} candidates and {CandidateCV.objects.count()} CVs "
      f"in {time.monotonic() - started:.0f} s")
"""

TIMINGS = """
import statistics, time
from django.contrib.admin import site
from django.test import Client
from accounts.models import User
from candidates.models import Candidate

admin = site._registry[Candidate]

searches = {
    "one rare CV word (phlebotomy)": "phlebotomy",
    "one common CV word (nurse)": "nurse",
    "two common CV words (python leeds)": "python leeds",
    "three CV words, rare (orthopaedic nurse leeds)": "orthopaedic nurse leeds",
    "a name (Person 4242 Smith)": "Person 4242 Smith",
    "a whole email address": "p4242@example.com",
}
client = Client(HTTP_HOST="127.0.0.1")
client.force_login(User.objects.create_superuser("bench", "bench@example.com", None))
print(f"{'candidate search':<48}{'median ms':>10}{'max ms':>8}{'found':>8}")
for label, term in searches.items():
    timings = []
    for _ in range(6):
        started = time.perf_counter()
        response = client.get("/admin/candidates/candidate/", {"q": term})
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    found = admin.get_search_results(None, Candidate.objects.all(), term)[0].count()
    warm = timings[1:]
    print(f"{label:<48}{statistics.median(warm):>10.0f}{max(warm):>8.0f}{found:>8}")
"""


def main():
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        database, drop = throwaway_database(work)
        env = {**bench_env(work, database), "ADMIN_REQUIRE_2FA": "0"}
        try:
            manage(env, "migrate", "-v0")
            manage(env, "collectstatic", "--noinput", "-v0")
            in_django(env, f"CANDIDATES = {CANDIDATES}\nEXTRA = {EXTRA}\n{LOAD}")
            in_django(env, TIMINGS)
            vendor = "PostgreSQL" if env.get("DATABASE_URL") else "SQLite"
            print(f"{vendor}; DEBUG off; {CANDIDATES} candidates, {CANDIDATES + EXTRA} CVs.")
        finally:
            drop()


if __name__ == "__main__":
    main()
