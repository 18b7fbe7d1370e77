"""A year of a 30-consultant agency, for `make bench-numbers` (scripts/bench_numbers.py).

About 1,000,000 stage-log moves on 290,000 pipeline entries over 3,000 vacancies, 5,000
placements with their fee shares, and 20,000 personal links, written in bulk. Random, but
seeded: every run makes the same history.
"""

import random
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from candidates.models import Candidate, Enquiry, EnquiryLink
from jobs.models import Client, Consultant, Vacancy
from pipeline.models import PipelineEntry, Stage, StageMove

from . import money
from .models import Channel, FeeSplit, InvoiceStatus, Placement

CONSULTANTS = 30
VACANCIES_EACH = 100
ENTRIES = 290_000
PLACEMENTS = 5_000
LINKS = 20_000
BATCH = 5_000
# The road through the default stages, and how likely each next step is: about 3.5 moves an
# entry (so about 1,000,000 moves), one entry in fourteen reaching an offer.
ROAD = ["new", "", "shortlisted", "cv_sent", "interview", "offer"]
ONWARD = [0.92, 0.85, 0.6, 0.5, 0.3]
SOURCES = ["application"] * 6 + ["database", "referral", "job_board", "social", "headhunt"]


def seed(entries=ENTRIES, placements=PLACEMENTS, links=LINKS, today=None, say=print):
    rng = random.Random(19)
    today = today or timezone.localdate()
    start = today - timedelta(days=365)
    stages = {stage.role: stage for stage in Stage.objects.all()}
    screening = Stage.objects.filter(role="").order_by("position").first()
    road = [stages[role] if role else screening for role in ROAD]

    consultants = Consultant.objects.bulk_create(
        Consultant(name=f"Consultant {n:02d}", email=f"consultant{n}@bench.example")
        for n in range(CONSULTANTS)
    )
    clients = Client.objects.bulk_create(Client(name=f"Bench client {n}") for n in range(300))
    vacancies = Vacancy.objects.bulk_create(
        Vacancy(
            title=f"Bench role {n}",
            slug=f"bench-role-{n}",
            reference=f"BENCH-{n:05d}",
            client=clients[n % len(clients)],
            consultant=consultants[n % CONSULTANTS],
            location="London",
            description="A role.",
            description_html="<p>A role.</p>",
            status=Vacancy.Status.OPEN,
            published_at=timezone.make_aware(datetime.combine(start, time(9))),
        )
        for n in range(CONSULTANTS * VACANCIES_EACH)
    )
    say(f"{len(consultants)} consultants, {len(vacancies)} vacancies")

    sent_links = seed_links(rng, links, consultants, vacancies, start)
    moves_made = 0
    offers = []
    for first in range(0, entries, BATCH):
        count = min(BATCH, entries - first)
        made, batch_offers = seed_entries(
            rng, first, count, vacancies, road, start, today, sent_links
        )
        moves_made += made
        offers += batch_offers
    say(f"{entries:,} pipeline entries, {moves_made:,} stage moves, {len(offers):,} offers")
    placed = seed_placements(rng, offers[:placements], stages["placed"], consultants, today)
    say(f"{placed:,} placements, {links:,} links")


def seed_links(rng, count, consultants, vacancies, start):
    made = []
    for first in range(0, count, BATCH):
        made += EnquiryLink.objects.bulk_create(
            EnquiryLink(
                vacancy=rng.choice(vacancies),
                sender=rng.choice(consultants),
                email=f"linked{first + n}@bench.example",
                created_at=at(start, rng.uniform(0, 360)),
                expires_at=at(start, 400),
            )
            for n in range(min(BATCH, count - first))
        )
    return made


def at(start, days):
    return timezone.make_aware(datetime.combine(start, time(0))) + timedelta(days=days)


@transaction.atomic
def seed_entries(rng, first, count, vacancies, road, start, today, links):
    end = timezone.make_aware(datetime.combine(today, time(0)))
    candidates = Candidate.objects.bulk_create(
        Candidate(name=f"Bench candidate {n}", email=f"bench{n}@candidates.example")
        for n in range(first, first + count)
    )
    plans = []
    for candidate in candidates:
        vacancy = rng.choice(vacancies)
        source = rng.choice(SOURCES)
        enquiry = None
        if source == "application" and rng.random() < 0.1:
            link = rng.choice(links)
            enquiry = Enquiry(
                kind=Enquiry.Kind.APPLICATION,
                candidate=candidate,
                vacancy=vacancy,
                consultant_id=vacancy.consultant_id,
                name=candidate.name,
                email=candidate.email,
                notify_email="inbox@bench.example",
                source=Enquiry.Source.LINK,
                link=link,
            )
        joined = at(start, rng.uniform(0, 360))
        times = [joined]
        for chance in ONWARD:
            if rng.random() > chance:
                break
            later = times[-1] + timedelta(days=rng.uniform(0.5, 6))
            if later >= end:
                break
            times.append(later)
        plans.append((candidate, vacancy, source, enquiry, times))
    Enquiry.objects.bulk_create(plan[3] for plan in plans if plan[3] is not None)
    entries = PipelineEntry.objects.bulk_create(
        PipelineEntry(
            candidate=candidate,
            vacancy=vacancy,
            source=source,
            enquiry=enquiry,
            stage=road[len(times) - 1],
            entered_stage_at=times[-1],
            created_at=times[0],
        )
        for candidate, vacancy, source, enquiry, times in plans
    )
    moves = []
    offers = []
    for entry, (_, _, _, _, times) in zip(entries, plans, strict=True):
        for step, moved_at in enumerate(times):
            moves.append(
                StageMove(
                    entry=entry,
                    from_stage=road[step - 1] if step else None,
                    to_stage=road[step],
                    moved_at=moved_at,
                    actor="staff" if step else "site",
                )
            )
        if len(times) == len(road):
            offers.append(entry)
    StageMove.objects.bulk_create(moves, batch_size=BATCH)
    return len(moves), offers


@transaction.atomic
def seed_placements(rng, offers, placed_stage, consultants, today):
    placements, moves, shares = [], [], []
    for entry in offers:
        placed_at = min(
            entry.entered_stage_at + timedelta(days=rng.uniform(1, 10)),
            timezone.make_aware(datetime.combine(today, time(0))) - timedelta(minutes=1),
        )
        moves.append(
            StageMove(
                entry=entry, from_stage=entry.stage, to_stage=placed_stage, moved_at=placed_at
            )
        )
        accepted = timezone.localdate(placed_at)
        common = {
            "entry": entry,
            "candidate_id": entry.candidate_id,
            "vacancy": entry.vacancy,
            "client_id": entry.vacancy.client_id,
            "channel": Channel.LINK if entry.enquiry_id else bench_channel(entry.source),
            "link_sender_id": entry.enquiry.link.sender_id if entry.enquiry_id else None,
            "applied_at": entry.created_at,
            "offer_accepted_on": accepted,
            "start_date": accepted + timedelta(days=28),
            "placed_at": placed_at,
            "placed_on": accepted,
        }
        if rng.random() < 0.8:
            salary = Decimal(rng.randrange(25_000, 90_000, 500))
            percent = Decimal(rng.choice([15, 18, 20, 22, 25]))
            placement = Placement(
                kind="permanent",
                salary=salary,
                fee_percent=percent,
                fee=money.percent_of(salary, percent),
                rebate_schedule="4:100, 8:50, 12:0",
                invoice_status=InvoiceStatus.TO_INVOICE,
                **common,
            )
        else:
            pay = Decimal(rng.randrange(200, 600, 5))
            charge = pay + Decimal(rng.randrange(-20, 150, 5))
            weeks = rng.choice([12, 13, 26, 52])
            per_week = money.pounds((charge - pay) * 5)
            placement = Placement(
                kind="contract",
                rate_unit="day",
                pay_rate=pay,
                charge_rate=charge,
                units_per_week=Decimal(5),
                expected_weeks=weeks,
                margin_per_week=per_week,
                expected_margin=money.pounds((charge - pay) * 5 * weeks),
                ir35_status="outside",
                ir35_determined_on=accepted,
                **common,
            )
        placements.append(placement)
    StageMove.objects.bulk_create(moves, batch_size=BATCH)
    PipelineEntry.objects.filter(pk__in=[entry.pk for entry in offers]).update(stage=placed_stage)
    Placement.objects.bulk_create(placements, batch_size=BATCH)
    for placement in placements:
        owner = placement.vacancy.consultant_id
        if rng.random() < 0.4:
            other = rng.choice([c for c in consultants if c.pk != owner])
            pairs = [(owner, Decimal(60)), (other.pk, Decimal(40))]
        else:
            pairs = [(owner, Decimal(100))]
        amounts = money.split(placement.value, [percent for _, percent in pairs])
        shares += [
            FeeSplit(placement=placement, consultant_id=pk, percent=percent, amount=amount)
            for (pk, percent), amount in zip(pairs, amounts, strict=True)
        ]
    FeeSplit.objects.bulk_create(shares, batch_size=BATCH)
    return len(placements)


def bench_channel(source):
    return Channel.DIRECT if source == "application" else source
