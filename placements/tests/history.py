"""A generated pipeline history whose right answers are known, for the numbers' tests.

The period runs from 70 days ago to today. In it, on Alice's three vacancies and Bob's one:

- 40 applications (first moves onto a pipeline): entries 0-24 through the site, 25-29
  through Bob's personal links (Alice's vacancies), 30-37 found in the database (Bob's),
  38 a referral of a candidate who was on a pipeline before the period, 39 the candidate
  of entry 0 added to Bob's vacancy: so 38 new candidates (Alice 30, Bob 8).
- 12 CVs sent (entries 0-8 and 25 for Alice, 30-31 for Bob), 5 interviews (0, 1, 2, 25
  three days after their CV; 30 one day after), 3 offers (1, 25, 30).
- 2 placements, recorded today: entry 25 (through Bob's link) at 20 % of £50,000 =
  £10,000, shared 60/40 by Alice and Bob; entry 1 at a fixed £6,000, all Alice's, whose
  candidate left after 30 days: half of it rebated, £3,000.
- 10 links sent by Bob.

Before the period, and so never counted: one candidate joined and had a CV sent, and Bob
sent one link.
"""

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from candidates.models import Enquiry
from candidates.tests.factories import CandidateFactory, EnquiryLinkFactory, QuestionFactory
from jobs.tests.factories import OpenVacancyFactory
from pipeline.models import PipelineEntry, Stage, StageMove
from placements.services import record_early_leave, record_placement

from .factories import consultant_with_login


def at(day, hour=12):
    """Noon (or `hour`) local time on `day`: well inside it, whatever the clocks do."""
    return timezone.make_aware(datetime.combine(day, time(hour)))


def join(candidate, vacancy, when, source="database", enquiry=None):
    """The candidate joins the vacancy's pipeline at `when` (a first move, from nowhere)."""
    new = Stage.objects.get(role=Stage.Role.NEW)
    entry = PipelineEntry.objects.create(
        candidate=candidate,
        vacancy=vacancy,
        stage=new,
        entered_stage_at=when,
        created_at=when,
        source=source,
        enquiry=enquiry,
    )
    StageMove.objects.create(entry=entry, from_stage=None, to_stage=new, moved_at=when)
    return entry


def move(entry, role, when):
    stage = Stage.objects.get(role=role)
    StageMove.objects.create(entry=entry, from_stage=entry.stage, to_stage=stage, moved_at=when)
    PipelineEntry.objects.filter(pk=entry.pk).update(stage=stage, entered_stage_at=when)
    entry.stage, entry.entered_stage_at = stage, when
    return entry


@dataclass
class History:
    start: object
    end: object
    alice: object
    bob: object
    entries: list = field(default_factory=list)
    placements: list = field(default_factory=list)


def known_history(today=None):
    """The history above, placements included."""
    today = today or timezone.localdate()
    start = today - timedelta(days=70)
    alice = consultant_with_login(name="Alice Adams")
    bob = consultant_with_login(name="Bob Brown")
    history = History(start=start, end=today, alice=alice, bob=bob)
    alices = [OpenVacancyFactory(consultant=alice) for _ in range(3)]
    bobs = OpenVacancyFactory(consultant=bob)

    veteran = CandidateFactory()
    before = join(veteran, bobs, at(start - timedelta(days=3)))
    move(before, Stage.Role.CV_SENT, at(start - timedelta(days=2)))
    EnquiryLinkFactory(sender=bob, vacancy=alices[0], created_at=at(start - timedelta(days=1)))
    links = [
        EnquiryLinkFactory(sender=bob, vacancy=alices[0], created_at=at(start + timedelta(days=i)))
        for i in range(10)
    ]

    entries = history.entries
    for number in range(40):
        when = at(start + timedelta(days=number % 20))
        vacancy = alices[number % 3] if number < 30 or number == 38 else bobs
        if number == 38:
            entries.append(join(veteran, vacancy, when, "referral"))
        elif number == 39:
            entries.append(join(entries[0].candidate, vacancy, when, "database"))
        elif number >= 30:
            entries.append(join(CandidateFactory(), vacancy, when, "database"))
        else:
            through_link = number >= 25
            candidate = CandidateFactory()
            enquiry = QuestionFactory(
                candidate=candidate,
                vacancy=vacancy,
                kind=Enquiry.Kind.APPLICATION,
                source=Enquiry.Source.LINK if through_link else Enquiry.Source.DIRECT,
                link=links[number - 25] if through_link else None,
            )
            entries.append(join(candidate, vacancy, when, "application", enquiry))

    for number in [*range(9), 25, 30, 31]:
        move(entries[number], Stage.Role.CV_SENT, at(start + timedelta(days=22)))
    for number in (0, 1, 2, 25):
        move(entries[number], Stage.Role.INTERVIEW, at(start + timedelta(days=25)))
    move(entries[30], Stage.Role.INTERVIEW, at(start + timedelta(days=23)))
    for number in (1, 25, 30):
        move(entries[number], Stage.Role.OFFER, at(start + timedelta(days=27)))

    linked = record_placement(
        entry=entries[25],
        by=alice.user,
        kind="permanent",
        offer_accepted_on=start + timedelta(days=27),
        start_date=today,
        salary=Decimal("50000"),
        fee_percent=Decimal("20"),
        rebate_schedule="4:100, 8:50, 12:0",
        splits=[(alice, Decimal(60)), (bob, Decimal(40))],
    )
    fixed = record_placement(
        entry=entries[1],
        by=alice.user,
        kind="permanent",
        offer_accepted_on=start + timedelta(days=27),
        start_date=start + timedelta(days=28),
        salary=Decimal("30000"),
        fee=Decimal("6000"),
        rebate_schedule="4:100, 8:50, 12:0",
        splits=[(alice, Decimal(100))],
    )
    record_early_leave(fixed, fixed.start_date + timedelta(days=30))
    history.placements = [linked, fixed]
    return history
