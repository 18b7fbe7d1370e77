"""Generated vacancies for benchmarks: `seed_demo --vacancies N`, make bench, make bench-scale.

Tens of thousands of live jobs, varied enough for search and filters to have work to do,
inserted in bulk (PublicQuerySet.bulk_create ends the cached pages).
"""

import random
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db import OperationalError, connection
from django.utils import timezone

from .demo import (
    CONTRACT,
    FULL,
    PART,
    PERM,
    SEED_SECTOR,
    TEMP,
    D,
    Y,
    description_for,
    ensure_clients,
    ensure_consultants,
    ensure_sectors,
)
from .markup import render_markdown
from .models import Place, Vacancy, VacancyStatus, VacancyWorkplace
from .places import coordinates
from .slugs import make_slug

LOCATIONS = [
    "London",
    "Manchester",
    "Birmingham",
    "Leeds",
    "Glasgow",
    "Edinburgh",
    "Bristol",
    "Cardiff",
    "Liverpool",
    "Newcastle",
    "Sheffield",
    "Nottingham",
    "Cambridge",
    "Oxford",
    "Reading",
    "Brighton",
    "Belfast",
    "Leicester",
    "Southampton",
    "Milton Keynes",
]
TITLES = {
    SEED_SECTOR: [
        "Account Executive",
        "Account Director",
        "PR Manager",
        "Content Writer",
        "Marketing Manager",
        "Social Media Executive",
        "Head of Communications",
    ],
    "Healthcare": [
        "Staff Nurse",
        "Healthcare Assistant",
        "Clinical Lead",
        "Physiotherapist",
        "Ward Manager",
        "Pharmacist",
        "Care Coordinator",
    ],
    "Accounting & Finance": [
        "Accounts Assistant",
        "Management Accountant",
        "Finance Manager",
        "Credit Controller",
        "Payroll Specialist",
        "Financial Analyst",
    ],
    "IT & Technology": [
        "Python Developer",
        "DevOps Engineer",
        "Data Analyst",
        "IT Support Engineer",
        "Product Manager",
        "QA Engineer",
    ],
    "Sales": [
        "Sales Executive",
        "Business Development Manager",
        "Account Manager",
        "Telesales Advisor",
        "Key Account Manager",
        "Area Sales Manager",
    ],
    "Admin & Office Support": [
        "Receptionist",
        "Office Manager",
        "Executive Assistant",
        "Administrator",
        "Data Entry Clerk",
        "Team Secretary",
    ],
    "Engineering": [
        "Maintenance Engineer",
        "Electrical Engineer",
        "Project Engineer",
        "CAD Technician",
        "Quality Engineer",
        "Site Manager",
    ],
}
SENIORITY = ["", "Senior ", "Junior ", "Lead ", "Trainee ", "Principal "]
INSERTERS = 2  # connections bulk-inserting at once
DEADLOCK_ATTEMPTS = 5


def generated_vacancy(number, status, sectors, consultants, clients, rng, now, where=None):
    """One vacancy; `where` maps each location to its (latitude, longitude): bulk_create
    skips save(), which would look them up."""
    sector = rng.choice(sectors)
    title = f"{rng.choice(SENIORITY)}{rng.choice(TITLES[sector.name])}"
    location = rng.choice(LOCATIONS)
    description = description_for(title, sector.name, location, rng)
    daily = rng.random() < 0.15
    low = rng.randrange(300, 700, 25) if daily else rng.randrange(20000, 90000, 1000)
    spread = rng.randrange(25, 150, 25) if daily else rng.randrange(0, 15000, 1000)
    closes_on = (now + timedelta(days=rng.randrange(7, 60))).date() if rng.random() < 0.5 else None
    return Vacancy(
        title=title,
        slug=f"{make_slug(title)}-{make_slug(location)}-{number}",
        reference=f"{settings.AGENCY['REFERENCE_PREFIX']}-G{number:07d}",
        external_reference=f"generated-{number}",
        source="seed_demo",
        client=rng.choice(clients),
        consultant=rng.choice(consultants),
        sector=sector,
        location=location,
        latitude=(where or {}).get(location, (None, None))[0],
        longitude=(where or {}).get(location, (None, None))[1],
        workplace=rng.choice(VacancyWorkplace.values),
        contract_type=CONTRACT if daily else rng.choice([PERM, PERM, TEMP]),
        hours=rng.choice([FULL, FULL, FULL, PART]),
        salary_min=Decimal(low),
        salary_max=Decimal(low + spread),
        salary_period=D if daily else Y,
        summary=f"{title} in {location}, {sector.name}.",
        description=description,
        description_html=render_markdown(description),
        status=status,
        published_at=now - timedelta(minutes=rng.randrange(0, 60 * 24 * 60)),
        closes_on=closes_on,
        is_featured=rng.random() < 0.01,
    )


def generate_vacancies(count, ended=0, batch_size=2000):
    """Add `count` live and `ended` closed or filled vacancies; safe to run again."""
    sectors, consultants, clients = ensure_sectors(), ensure_consultants(), ensure_clients()
    rng, now = random.Random(count), timezone.now()
    where = {location: coordinates(Place, location) for location in LOCATIONS}
    statuses = [VacancyStatus.OPEN] * count + [
        rng.choice([VacancyStatus.CLOSED, VacancyStatus.FILLED]) for _ in range(ended)
    ]
    batches = (
        [
            generated_vacancy(number, status, sectors, consultants, clients, rng, now, where)
            for number, status in enumerate(statuses[start : start + batch_size], start=start + 1)
        ]
        for start in range(0, len(statuses), batch_size)
    )
    insert_batches(batches)
    after_bulk_load(Vacancy)


def insert_batches(batches):
    """bulk_create the batches on connections of their own, while the next are made.

    The database (indexing each advert) and Python (making and compiling the next batch)
    then keep two cores busy. Inside a transaction other connections could not see its
    rows, so batches go in one by one.
    """
    if connection.in_atomic_block:
        for batch in batches:
            Vacancy.objects.bulk_create(batch, ignore_conflicts=True)
        return
    with ThreadPoolExecutor(max_workers=INSERTERS) as inserters:
        in_flight = deque()
        for batch in batches:
            if len(in_flight) == INSERTERS:
                in_flight.popleft().result()  # a few batches at a time: memory stays flat
            in_flight.append(inserters.submit(insert_batch, batch))
        for insert in in_flight:
            insert.result()


def insert_batch(batch):
    """One batch in its own transaction, sent again if PostgreSQL ended it as a deadlock.

    Two batches adding the same new words to the search's word list (jobs_search_word) in
    different orders can each wait for the other; PostgreSQL rolls one back whole, so sending
    it again inserts it once.
    """
    try:
        for attempt in range(1, DEADLOCK_ATTEMPTS + 1):
            try:
                Vacancy.objects.bulk_create(batch, ignore_conflicts=True)
                return
            except OperationalError as error:
                if not is_deadlock(error) or attempt == DEADLOCK_ATTEMPTS:
                    raise
    finally:
        connection.close()  # this thread's own connection: nothing else would close it


def is_deadlock(error):
    return getattr(error.__cause__, "sqlstate", None) == "40P01"


def after_bulk_load(*models):
    """Fresh statistics, so the query planner knows the tables are no longer tiny.

    On PostgreSQL, outside a transaction, VACUUM too: it marks the new rows visible to
    all, so the first searches do not rewrite every page they read (hint bits).
    """
    vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
    with connection.cursor() as cursor:
        for model in models:
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(f"{'VACUUM ANALYZE' if vacuum else 'ANALYZE'} {table}")
