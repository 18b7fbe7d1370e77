"""Demo data: the seed advert and a few realistic clients, consultants and jobs.

Everything here is keyed on natural keys (names, emails, external references),
so running it again updates what it made instead of duplicating it.
"""

import random
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from .importing import ImportDefaults, import_adverts, read_records
from .models import Client, ClientContact, Consultant, Sector, Vacancy, VacancyStatus

SEED_ADVERT = Path(__file__).parent / "demo_data" / "pr-healthcare-account-director.txt"
SEED_SECTOR = "PR, Advertising & Marketing"

SECTORS = [
    SEED_SECTOR,
    "Healthcare",
    "Accounting & Finance",
    "IT & Technology",
    "Sales",
    "Admin & Office Support",
    "Engineering",
]

CONSULTANTS = [
    # name, job title, email, phone
    ("Kelly Small", "Director, PR & Healthcare", "kelly@samsmall.example", "020 7946 0101"),
    ("Raj Patel", "Senior Consultant, Technology", "raj@samsmall.example", "020 7946 0102"),
    (
        "Hannah O'Neill",
        "Consultant, Accounting & Finance",
        "hannah@samsmall.example",
        "0161 496 0103",
    ),
    ("Tom Adeyemi", "Consultant, Sales & Office", "tom@samsmall.example", "0121 496 0104"),
]

CLIENTS = [
    # name, confidential, public description, website, contact (name, title, email)
    (
        "Brightwater Communications",
        False,
        "",
        "https://brightwater.example",
        ("Amelia Hart", "Head of Talent", "amelia.hart@brightwater.example"),
    ),
    (
        "Larkspur Retail plc",
        True,
        "a FTSE 250 retailer",
        "",
        ("Dev Sharma", "HR Business Partner", "dev.sharma@larkspur.example"),
    ),
    (
        "Harbour & Finch LLP",
        False,
        "",
        "https://harbourfinch.example",
        ("Claire Wood", "Practice Manager", "claire.wood@harbourfinch.example"),
    ),
    (
        "Cobalt Systems Ltd",
        False,
        "",
        "https://cobalt.example",
        ("Marek Nowak", "CTO", "marek@cobalt.example"),
    ),
    (
        "St Aidan's Private Hospital",
        True,
        "an independent hospital group",
        "",
        ("Grace Okafor", "Director of Nursing", "g.okafor@staidans.example"),
    ),
    (
        "Meridian Foods",
        False,
        "",
        "https://meridianfoods.example",
        ("Sam Lee", "Sales Director", "sam.lee@meridianfoods.example"),
    ),
]

DRAFT, OPEN, CLOSED, FILLED = (
    VacancyStatus.DRAFT,
    VacancyStatus.OPEN,
    VacancyStatus.CLOSED,
    VacancyStatus.FILLED,
)
Y, D, H = Vacancy.SalaryPeriod.YEAR, Vacancy.SalaryPeriod.DAY, Vacancy.SalaryPeriod.HOUR
PERM, CONTRACT, TEMP = (
    Vacancy.ContractType.PERMANENT,
    Vacancy.ContractType.CONTRACT,
    Vacancy.ContractType.TEMPORARY,
)
FULL, PART = Vacancy.Hours.FULL_TIME, Vacancy.Hours.PART_TIME
ONSITE, HYBRID, REMOTE = (
    Vacancy.Workplace.ON_SITE,
    Vacancy.Workplace.HYBRID,
    Vacancy.Workplace.REMOTE,
)

# The region of each demo town, for job boards and search engines (the vacancy's Region).
DEMO_REGIONS = {
    "Birmingham": "West Midlands",
    "Bristol": "Bristol",
    "Derby": "Derbyshire",
    "Edinburgh": "City of Edinburgh",
    "Glasgow": "Glasgow City",
    "Leeds": "West Yorkshire",
    "London": "Greater London",
    "Manchester": "Greater Manchester",
    "Reading": "Berkshire",
    "Salford": "Greater Manchester",
    "Sheffield": "South Yorkshire",
}

# key, title, client, consultant, sector, location, workplace, contract, hours,
# (min, max, period) or salary text, days since published, status, featured
DEMO_VACANCIES = [
    (
        "demo-1",
        "Senior Account Manager, Consumer PR",
        0,
        0,
        0,
        "London",
        HYBRID,
        PERM,
        FULL,
        (42000, 50000, Y),
        2,
        OPEN,
        True,
    ),
    (
        "demo-2",
        "Digital Marketing Executive",
        5,
        3,
        0,
        "Birmingham",
        HYBRID,
        PERM,
        FULL,
        (28000, 32000, Y),
        5,
        OPEN,
        False,
    ),
    (
        "demo-3",
        "Staff Nurse, Surgical Ward",
        4,
        0,
        1,
        "Manchester",
        ONSITE,
        PERM,
        FULL,
        (33000, 39000, Y),
        1,
        OPEN,
        True,
    ),
    (
        "demo-4",
        "Practice Nurse (Part Time)",
        4,
        0,
        1,
        "Salford",
        ONSITE,
        PERM,
        PART,
        (19.50, 23.00, H),
        9,
        OPEN,
        False,
    ),
    (
        "demo-5",
        "Management Accountant",
        2,
        2,
        2,
        "Leeds",
        HYBRID,
        PERM,
        FULL,
        (45000, 55000, Y),
        3,
        OPEN,
        False,
    ),
    (
        "demo-6",
        "Interim Financial Controller",
        1,
        2,
        2,
        "Leeds",
        HYBRID,
        CONTRACT,
        FULL,
        (450, 550, D),
        12,
        OPEN,
        True,
    ),
    (
        "demo-7",
        "Senior Python Developer",
        3,
        1,
        3,
        "Bristol",
        REMOTE,
        PERM,
        FULL,
        (65000, 80000, Y),
        4,
        OPEN,
        False,
    ),
    (
        "demo-8",
        "IT Support Analyst",
        3,
        1,
        3,
        "Reading",
        ONSITE,
        TEMP,
        FULL,
        (15.00, 17.50, H),
        6,
        OPEN,
        False,
    ),
    (
        "demo-9",
        "Field Sales Executive",
        5,
        3,
        4,
        "Glasgow",
        ONSITE,
        PERM,
        FULL,
        "Competitive basic, car and uncapped commission",
        7,
        OPEN,
        False,
    ),
    (
        "demo-10",
        "Office Manager",
        0,
        3,
        5,
        "London",
        ONSITE,
        PERM,
        FULL,
        (36000, 40000, Y),
        10,
        OPEN,
        False,
    ),
    (
        "demo-11",
        "Payroll Administrator",
        2,
        2,
        5,
        "Sheffield",
        HYBRID,
        TEMP,
        PART,
        (14.00, 14.00, H),
        30,
        FILLED,
        False,
    ),
    (
        "demo-12",
        "Store Operations Manager",
        1,
        3,
        4,
        "Edinburgh",
        ONSITE,
        PERM,
        FULL,
        (38000, 44000, Y),
        40,
        CLOSED,
        False,
    ),
    (
        "demo-13",
        "Maintenance Engineer",
        5,
        3,
        6,
        "Derby",
        ONSITE,
        PERM,
        FULL,
        (34000, 38000, Y),
        0,
        DRAFT,
        False,
    ),
]

# What a consultant writes for each demo job's card: the one line that sells it.
SUMMARIES = {
    "demo-1": "Lead award-winning consumer campaigns for household-name brands, with a "
    "clear route to Account Director.",
    "demo-2": "Own paid social and email for a fast-growing food brand, with a real budget "
    "and room to try things.",
    "demo-3": "Join a 28-bed surgical ward that is proud of its patient feedback, with "
    "funded training and self-rostering.",
    "demo-4": "School-hours practice nursing for a friendly GP-led clinic: no weekends, no nights.",
    "demo-5": "Run month-end and the board pack for a Leeds law firm that is investing in "
    "its finance team.",
    "demo-6": "Six months steadying the finances of a retailer mid-change; hybrid, two days "
    "a week in Leeds.",
    "demo-7": "Build and run Django services for a product used by half the UK's "
    "councils; fully remote.",
    "demo-8": "First-line support for a 300-person office, with a path into "
    "infrastructure for the right person.",
    "demo-9": "Grow an existing Scottish territory for a premium food brand, with a car, "
    "a laptop and uncapped commission.",
    "demo-10": "Keep a busy Soho agency office running, from suppliers to new starters.",
}

DUTIES = {
    SEED_SECTOR: [
        "Lead day-to-day delivery across a portfolio of consumer and corporate accounts",
        "Write and sell in press releases, features and thought-leadership pieces",
        "Build strong relationships with national, trade and broadcast journalists",
        "Manage budgets, timings and monthly reporting for each client",
        "Coach junior members of the team and review their work",
        "Contribute ideas and copy to new business pitches",
    ],
    "Healthcare": [
        "Deliver safe, compassionate, evidence-based care to patients",
        "Assess, plan and evaluate care in partnership with patients and families",
        "Administer medicines in line with policy and NMC guidance",
        "Support and supervise healthcare assistants and students",
        "Keep accurate records in the electronic patient record",
        "Take part in audits and quality improvement projects",
    ],
    "Accounting & Finance": [
        "Prepare the monthly management accounts and board pack",
        "Own balance sheet reconciliations and the month-end timetable",
        "Produce budgets, forecasts and variance analysis with budget holders",
        "Improve controls and processes as the business grows",
        "Support the year-end audit and statutory accounts",
        "Partner with operational managers on commercial decisions",
    ],
    "IT & Technology": [
        "Design, build and run services in Python and Django",
        "Review code and mentor other engineers",
        "Own features from the first conversation to production",
        "Improve test coverage, observability and deployment pipelines",
        "Work closely with product managers and designers",
        "Resolve first and second line support tickets",
    ],
    "Sales": [
        "Manage and grow a territory of existing accounts",
        "Win new business through prospecting, visits and tastings",
        "Negotiate ranging, promotions and pricing with buyers",
        "Report weekly on pipeline and performance against target",
        "Represent the brand at trade shows and events",
        "Work with marketing on local campaigns",
    ],
    "Admin & Office Support": [
        "Run the office day to day, from facilities to suppliers",
        "Support the leadership team with diaries and travel",
        "Process payroll changes, starters and leavers",
        "Keep accurate records and prepare weekly reports",
        "Be the first point of contact for visitors and callers",
        "Organise team events and onboarding",
    ],
    "Engineering": [
        "Carry out planned and reactive maintenance on production lines",
        "Diagnose electrical and mechanical faults quickly and safely",
        "Contribute to root-cause analysis and continuous improvement",
        "Keep maintenance records and spares up to date",
        "Work to health and safety procedures at all times",
        "Support installation of new equipment",
    ],
}
REQUIREMENTS = [
    "Relevant experience in a similar role",
    "Excellent written and spoken communication",
    "A calm, organised approach and an eye for detail",
    "Confidence working with senior stakeholders",
    "The right to work in the UK",
]
BENEFITS = [
    "25 days' holiday plus bank holidays",
    "Pension with employer contributions",
    "Private medical insurance",
    "Flexible working and a hybrid pattern",
    "Training budget and a clear path to promotion",
]


def description_parts(title, sector_name, location, rng):
    return [
        f"We are recruiting a {title} to join a growing team in {location}.",
        ("The role", rng.sample(DUTIES.get(sector_name, DUTIES[SEED_SECTOR]), 4)),
        ("About you", rng.sample(REQUIREMENTS, 3)),
        ("What's on offer", rng.sample(BENEFITS, 3)),
        "To find out more, apply below or call the consultant named on this page.",
    ]


def as_markdown(parts):
    blocks = []
    for part in parts:
        if isinstance(part, str):
            blocks.append(part)
        else:
            heading, items = part
            blocks += [f"### {heading}", "\n".join(f"- {item}." for item in items)]
    return "\n\n".join(blocks)


def description_for(title, sector_name, location, rng):
    return as_markdown(description_parts(title, sector_name, location, rng))


# Which demo consultant (by index) receives speculative CVs for each sector.
SECTOR_LEADS = {
    SEED_SECTOR: 0,
    "Healthcare": 0,
    "IT & Technology": 1,
    "Accounting & Finance": 2,
    "Sales": 3,
    "Admin & Office Support": 3,
}


def ensure_sectors(consultants=()):
    sectors = []
    for name in SECTORS:
        sector, _ = Sector.objects.get_or_create(name=name)  # its slug is made on saving
        lead = SECTOR_LEADS.get(name)
        if consultants and lead is not None and sector.lead_consultant_id is None:
            sector.lead_consultant = consultants[lead]
            sector.save(update_fields=["lead_consultant"])
        sectors.append(sector)
    return sectors


def ensure_consultants():
    """The demo consultants, each linked to the staff login with the same email, if any."""
    users = {user.email.lower(): user for user in get_user_model().objects.exclude(email="")}
    consultants = []
    for name, job_title, email, phone in CONSULTANTS:
        consultant, _ = Consultant.objects.update_or_create(
            email=email, defaults={"name": name, "job_title": job_title, "phone": phone}
        )
        user = users.get(email)
        if consultant.user_id is None and user and not hasattr(user, "consultant"):
            consultant.user = user
            consultant.save(update_fields=["user"])
        consultants.append(consultant)
    return consultants


def ensure_clients():
    clients = []
    for name, confidential, public, website, contact in CLIENTS:
        client, _ = Client.objects.update_or_create(
            name=name,
            defaults={
                "is_confidential": confidential,
                "public_description": public,
                "website": website,
            },
        )
        contact_name, contact_title, contact_email = contact
        ClientContact.objects.update_or_create(
            client=client,
            email=contact_email,
            defaults={"name": contact_name, "job_title": contact_title},
        )
        clients.append(client)
    return clients


def salary_fields(salary):
    if isinstance(salary, str):
        return {"salary_text": salary}
    low, high, period = salary
    return {
        "salary_min": Decimal(str(low)),
        "salary_max": Decimal(str(high)),
        "salary_period": period,
    }


def ensure_demo_vacancies(sectors, consultants, clients):
    rng = random.Random(1)
    now = timezone.now()
    for row in DEMO_VACANCIES:
        key, title, client, consultant, sector, location, workplace, contract, hours = row[:9]
        salary, days_ago, status, featured = row[9:]
        if Vacancy.objects.filter(external_reference=key).exists():
            continue
        Vacancy.objects.create(
            external_reference=key,
            source="demo",
            title=title,
            client=clients[client],
            consultant=consultants[consultant],
            sector=sectors[sector],
            location=location,
            region=DEMO_REGIONS.get(location, ""),
            workplace=workplace,
            contract_type=contract,
            hours=hours,
            summary=SUMMARIES.get(key, ""),
            description=description_for(title, sectors[sector].name, location, rng),
            status=status,
            published_at=None if status == DRAFT else now - timedelta(days=days_ago),
            closes_on=(now + timedelta(days=28)).date() if status == OPEN else None,
            ended_at=now - timedelta(days=days_ago // 2) if status in (CLOSED, FILLED) else None,
            is_featured=featured,
            **salary_fields(salary),
        )


def import_seed_advert(consultant):
    defaults = ImportDefaults(consultant=consultant, sector=SEED_SECTOR, publish=True)
    lines = SEED_ADVERT.read_text(encoding="utf-8").splitlines()
    result = import_adverts(read_records(lines), defaults)
    if result.errors:
        raise ValueError(f"The seed advert did not import: {result.errors}")
    return result


@transaction.atomic
def load_demo():
    consultants = ensure_consultants()
    sectors = ensure_sectors(consultants)
    clients = ensure_clients()
    import_seed_advert(consultants[0])
    ensure_demo_vacancies(sectors, consultants, clients)
