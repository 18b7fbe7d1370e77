"""The agency's numbers for a period: by consultant, for the team, and by source.

Where each figure comes from (also said on the report page):

- Pipeline activity comes from the stage log (pipeline.StageMove), on the vacancies of each
  consultant: applications are candidates joining a pipeline (its first move, whatever the
  source), new candidates those joining their first pipeline ever, CVs sent, interviews and
  offers are moves to the stages with those roles, and a stay in a stage is the time from
  the move into it to the move out of it, counted on the day it ends.
- Placements, fees, rebates and contract margin come from placements recorded in the period
  (each consultant's figures are their shares of the fee), whenever a rebate was given.
- Personal links sent come from the links made in the period, by their sender; "£ placed
  per link sent" is the net fees of placements whose application came through a link,
  divided by the links sent.

Each day's activity is added up by day (`roll_up`, run every few minutes by
`manage.py roll_up_numbers`), so a year reads a couple of hundred thousand small rows instead
of every move. The moves since the last roll-up are counted from the log, by the same code,
so the two never disagree: rolling up changes how fast the report is, never what it says.
The fewer moves are left to count live, the better: a day's worth costs the database a pass
over every pipeline entry, a few minutes' worth a few index look-ups.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.db.models import Case, Count, Exists, F, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from candidates.models import EnquiryLink
from jobs.models import Consultant
from pipeline.models import PipelineEntry, Stage, StageMove

from .models import (
    Channel,
    DayChannelFigures,
    DayStageFigures,
    FeeSplit,
    NumbersRolledUp,
    Placement,
    PlacementKind,
)

ZERO = Decimal("0.00")
# Moves are rolled up once they are this old: a move is written with the time its transaction
# took it, and a slow transaction must have committed before that time is read.
SETTLE = timedelta(minutes=10)
STAGE_COUNTS = ("arrived", "left", "stayed")
CHANNEL_COUNTS = ("applications", "new_candidates", "cvs_sent", "interviews", "offers")
ROLE_COLUMNS = {
    Stage.Role.CV_SENT: "cvs_sent",
    Stage.Role.INTERVIEW: "interviews",
    Stage.Role.OFFER: "offers",
}


def midnight(day):
    return timezone.make_aware(datetime.combine(day, time.min))


def moves_between(since, until):
    """The stage log's moves from `since` (included) to `until` (not)."""
    return StageMove.objects.filter(moved_at__gte=since, moved_at__lt=until)


def grouped(queryset, keys, by_day):
    if by_day:
        return queryset.annotate(day=TruncDate("moved_at")).values("day", *keys)
    return queryset.values(*keys)


def stage_activity(since, until, *, by_day=False):
    """Rows of {consultant, stage, arrived, left, stayed} (and day) for the moves made
    from `since` to `until`."""
    moves = moves_between(since, until).annotate(consultant=F("entry__vacancy__consultant"))
    arrivals = grouped(moves.annotate(stage=F("to_stage")), ["consultant", "stage"], by_day)
    arrivals = arrivals.annotate(arrived=Count("pk")).order_by()
    earlier = StageMove.objects.filter(
        Q(moved_at__lt=OuterRef("moved_at"))
        | Q(moved_at=OuterRef("moved_at"), pk__lt=OuterRef("pk")),
        entry=OuterRef("entry"),
    ).order_by("-moved_at", "-pk")
    leaves = moves.filter(from_stage__isnull=False).annotate(
        stage=F("from_stage"), entered=Subquery(earlier.values("moved_at")[:1])
    )
    leaves = grouped(leaves, ["consultant", "stage"], by_day).annotate(
        left=Count("pk"), stayed=Sum(F("moved_at") - F("entered"))
    )
    rows = {}

    def row_for(row):
        key = (row.get("day"), row["consultant"], row["stage"])
        if key not in rows:
            rows[key] = {"day": key[0], "consultant": key[1], "stage": key[2], **stage_zero()}
        return rows[key]

    for row in arrivals:
        row_for(row)["arrived"] = row["arrived"]
    for row in leaves.order_by():
        target = row_for(row)
        target["left"], target["stayed"] = row["left"], row["stayed"] or timedelta(0)
    return list(rows.values())


def stage_zero():
    return {"arrived": 0, "left": 0, "stayed": timedelta(0)}


def channel_expression():
    """A move's entry's channel: its application's source, or how it was sourced."""
    return Case(
        When(
            entry__source=PipelineEntry.Source.APPLICATION,
            then=Coalesce("entry__enquiry__source", Value(Channel.DIRECT)),
        ),
        default=F("entry__source"),
    )


def channel_activity(since, until, *, by_day=False):
    """Rows of {consultant, channel, applications, new_candidates, cvs_sent, interviews,
    offers} (and day)."""
    earlier_entries = PipelineEntry.objects.filter(
        Q(created_at__lt=OuterRef("entry__created_at"))
        | Q(created_at=OuterRef("entry__created_at"), pk__lt=OuterRef("entry")),
        candidate=OuterRef("entry__candidate"),
    )
    moves = moves_between(since, until).annotate(
        consultant=F("entry__vacancy__consultant"),
        channel=channel_expression(),
        first_ever=Case(
            When(from_stage__isnull=True, then=~Exists(earlier_entries)), default=Value(False)
        ),
    )
    counts = {
        "applications": Count("pk", filter=Q(from_stage__isnull=True)),
        "new_candidates": Count("pk", filter=Q(first_ever=True)),
        **{
            column: Count("pk", filter=Q(to_stage__role=role))
            for role, column in ROLE_COLUMNS.items()
        },
    }
    rows = grouped(moves, ["consultant", "channel"], by_day).annotate(**counts).order_by()
    return [{**row, "channel": normal_channel(row["channel"])} for row in rows]


def normal_channel(value):
    return value if value in Channel.values else Channel.OTHER


# Rolling up


def rolled_up_until():
    """Every move before this moment is in the day figures (None: nothing is yet)."""
    state = NumbersRolledUp.objects.filter(pk=1).first()
    return state.until if state else None


def roll_up(now=None, chunk_days=31):
    """Add up the moves made since the last roll-up and settled; returns the days written.

    The day it stops in is written as far as it has got, and written again, whole, by the
    next roll-up. Safe to run at any time and from several places at once: each chunk of days
    is written in its own transaction, under a lock on the one row that says how far it got.
    """
    target = (now or timezone.now()) - SETTLE
    written = 0
    while True:
        with transaction.atomic():
            NumbersRolledUp.objects.get_or_create(pk=1, defaults={"until": None})
            state = NumbersRolledUp.objects.select_for_update().get(pk=1)
            since = state.until
            if since is None:
                first = StageMove.objects.order_by("moved_at").values("moved_at").first()
                since = midnight(timezone.localdate(first["moved_at"])) if first else target
            if since >= target:
                if state.until is None:
                    state.until, state.updated_at = target, timezone.now()
                    state.save()
                return written
            first_day = timezone.localdate(since)
            last_day = min(first_day + timedelta(days=chunk_days - 1), timezone.localdate(target))
            until = min(midnight(last_day + timedelta(days=1)), target)
            write_days(first_day, last_day, until)
            state.until, state.updated_at = until, timezone.now()
            state.save()
            written += (last_day - first_day).days + 1


def write_days(first_day, last_day, until):
    """The figures of these days, from the first one's midnight to `until`."""
    DayStageFigures.objects.filter(day__gte=first_day, day__lte=last_day).delete()
    DayChannelFigures.objects.filter(day__gte=first_day, day__lte=last_day).delete()
    since = midnight(first_day)
    DayStageFigures.objects.bulk_create(
        (
            DayStageFigures(
                day=row["day"],
                consultant_id=row["consultant"],
                stage_id=row["stage"],
                **{name: row[name] for name in STAGE_COUNTS},
            )
            for row in stage_activity(since, until, by_day=True)
        ),
        batch_size=2000,
    )
    DayChannelFigures.objects.bulk_create(
        (
            DayChannelFigures(
                day=row["day"],
                consultant_id=row["consultant"],
                channel=row["channel"],
                **{name: row[name] for name in CHANNEL_COUNTS},
            )
            for row in channel_activity(since, until, by_day=True)
        ),
        batch_size=2000,
    )


# The report


@dataclass
class Figures:
    """One row of the report: a consultant, a source, or the team."""

    label: str = ""
    key: object = None
    new_candidates: int = 0
    applications: int = 0
    cvs_sent: int = 0
    interviews: int = 0
    offers: int = 0
    placements: int = 0
    permanent: int = 0
    contracts: int = 0
    fees: Decimal = ZERO
    credits: Decimal = ZERO
    margin: Decimal = ZERO
    placed_after_applying: int = 0
    time_to_place: timedelta = timedelta(0)
    response_left: int = 0
    response_time: timedelta = timedelta(0)
    links_sent: int = 0
    link_fees: Decimal = ZERO
    link_placements: int = 0

    @property
    def net_fees(self):
        return self.fees - self.credits

    @staticmethod
    def ratio(part, whole):
        return part / whole if whole else None

    @property
    def cv_to_interview(self):
        return self.ratio(self.interviews, self.cvs_sent)

    @property
    def interview_to_offer(self):
        return self.ratio(self.offers, self.interviews)

    @property
    def offer_to_placement(self):
        return self.ratio(self.placements, self.offers)

    @property
    def average_days_to_place(self):
        if not self.placed_after_applying:
            return None
        return days(self.time_to_place) / self.placed_after_applying

    @property
    def client_response_days(self):
        return days(self.response_time) / self.response_left if self.response_left else None

    @property
    def fees_per_application(self):
        return self.net_fees / self.applications if self.applications else None

    @property
    def fees_per_link(self):
        return self.link_fees / self.links_sent if self.links_sent else None


@dataclass
class StageRow:
    stage: object
    arrived: int = 0
    left: int = 0
    stayed: timedelta = timedelta(0)

    @property
    def average_days(self):
        return days(self.stayed) / self.left if self.left else None


@dataclass
class Report:
    start: date
    end: date
    rolled_until: datetime | None
    consultants: list
    team: Figures | None
    channels: list
    stages: list
    sees_team: bool


def add_counts(target, row, names):
    for name in names:
        target[name] = target[name] + row[name] if name in target else row[name]


def pipeline_activity(start, end):
    """(stage rows, channel rows, rolled-up moment) for the local days start..end: the day
    figures as far as they are rolled up, then the moves since, counted live."""
    until = rolled_up_until()
    period_end = midnight(end + timedelta(days=1))
    stage_rows, channel_rows = defaultdict(dict), defaultdict(dict)
    # Day figures hold the moves before `until`, whole days and the day it stopped in.
    last_rolled = timezone.localdate(until - timedelta(microseconds=1)) if until else None
    rolled_end = min(end, last_rolled) if last_rolled else start - timedelta(days=1)
    rolled = (
        DayStageFigures.objects.filter(day__gte=start, day__lte=rolled_end)
        .values("consultant", "stage")
        .annotate(**{name: Sum(name) for name in STAGE_COUNTS})
        .order_by()
    )
    for row in rolled:
        add_counts(stage_rows[row["consultant"], row["stage"]], row, STAGE_COUNTS)
    rolled = (
        DayChannelFigures.objects.filter(day__gte=start, day__lte=rolled_end)
        .values("consultant", "channel")
        .annotate(**{name: Sum(name) for name in CHANNEL_COUNTS})
        .order_by()
    )
    for row in rolled:
        add_counts(channel_rows[row["consultant"], row["channel"]], row, CHANNEL_COUNTS)
    # Always asked, even for an empty range: the report's query count never varies.
    live_since = max(midnight(start), until) if until else midnight(start)
    live_until = max(period_end, live_since)
    for row in stage_activity(live_since, live_until):
        add_counts(stage_rows[row["consultant"], row["stage"]], row, STAGE_COUNTS)
    for row in channel_activity(live_since, live_until):
        add_counts(channel_rows[row["consultant"], row["channel"]], row, CHANNEL_COUNTS)
    return stage_rows, channel_rows, until


def build_report(start, end, *, consultant=None, sees_team=True):
    """The report for the local days start..end; only `consultant`'s rows unless sees_team."""
    stage_rows, channel_rows, until = pipeline_activity(start, end)
    stages = list(Stage.objects.in_order())
    cv_sent = next((stage.pk for stage in stages if stage.role == Stage.Role.CV_SENT), None)
    people = {}
    channels = {value: Figures(label=label, key=value) for value, label in Channel.choices}
    stage_totals = {stage.pk: StageRow(stage) for stage in stages}
    mine = consultant.pk if consultant else None

    def person(pk):
        if pk not in people:
            people[pk] = Figures(key=pk)
        return people[pk]

    def counted(pk):
        return sees_team or pk == mine

    for (pk, stage_pk), row in stage_rows.items():
        if not counted(pk):
            continue
        if stage_pk in stage_totals:
            total = stage_totals[stage_pk]
            total.arrived += row["arrived"]
            total.left += row["left"]
            total.stayed += row["stayed"]
        if stage_pk == cv_sent:
            person(pk).response_left += row["left"]
            person(pk).response_time += row["stayed"]
    for (pk, channel), row in channel_rows.items():
        if not counted(pk):
            continue
        for target in (person(pk), channels[normal_channel(channel)]):
            for name in CHANNEL_COUNTS:
                setattr(target, name, getattr(target, name) + row[name])

    placed = Placement.objects.placed_between(start, end)
    shares = (
        FeeSplit.objects.filter(placement__in=placed)
        .values("consultant", channel=F("placement__channel"))
        .annotate(**placement_sums("placement__", "amount", "amount", "credit"))
        .order_by()
    )
    for row in shares:
        if counted(row["consultant"]):
            add_placements(person(row["consultant"]), row)
            if not sees_team:
                add_placements(channels[row["channel"]], row)
    whole = (
        placed.values("channel")
        .annotate(**placement_sums("", "fee", "expected_margin", "credit"))
        .order_by()
    )
    team = Figures(label="Team", key="team") if sees_team else None
    for row in whole:
        if sees_team:
            add_placements(channels[row["channel"]], row)
            add_placements(team, row)
    via_links = (
        placed.filter(link_sender__isnull=False)
        .values("link_sender")
        .annotate(**placement_sums("", "fee", "expected_margin", "credit"))
        .order_by()
    )
    for row in via_links:
        targets = [team] if sees_team else []
        if counted(row["link_sender"]):
            targets.append(person(row["link_sender"]))
        for target in targets:
            target.link_placements += row["permanent"] + row["contracts"]
            target.link_fees += (row["fees"] or ZERO) - (row["credits"] or ZERO)
    links = (
        EnquiryLink.objects.filter(
            created_at__gte=midnight(start), created_at__lt=midnight(end + timedelta(days=1))
        )
        .values("sender")
        .annotate(sent=Count("pk"))
        .order_by()
    )
    for row in links:
        if counted(row["sender"]):
            person(row["sender"]).links_sent += row["sent"]

    # Every consultant's name (a short list), so the query is made even when nobody counts.
    names = dict(Consultant.objects.values_list("pk", "name"))
    for pk, figures in people.items():
        figures.label = names.get(pk, f"Consultant {pk}")
    rows = sorted(people.values(), key=lambda figures: (-figures.net_fees, figures.label))
    if sees_team:
        for figures in rows:
            for name in (*CHANNEL_COUNTS, "response_left", "response_time", "links_sent"):
                setattr(team, name, getattr(team, name) + getattr(figures, name))
    return Report(
        start=start,
        end=end,
        rolled_until=until,
        consultants=rows,
        team=team,
        channels=list(channels.values()),
        stages=list(stage_totals.values()),
        sees_team=sees_team,
    )


def placement_sums(prefix, fee, margin, credit):
    """Aggregates of placements (prefix "") or of shares in them (prefix "placement__"):
    `fee`, `margin` and `credit` name the columns holding each."""
    permanent = Q(**{f"{prefix}kind": PlacementKind.PERMANENT})
    contract = Q(**{f"{prefix}kind": PlacementKind.CONTRACT})
    timed = Q(**{f"{prefix}applied_at__isnull": False})
    return {
        "permanent": Count("pk", filter=permanent),
        "contracts": Count("pk", filter=contract),
        "fees": Sum(fee, filter=permanent),
        "credits": Sum(credit, filter=permanent),
        "margin": Sum(margin, filter=contract),
        "timed": Count("pk", filter=timed),
        "to_place": Sum(F(f"{prefix}placed_at") - F(f"{prefix}applied_at"), filter=timed),
    }


def add_placements(target, row):
    target.permanent += row["permanent"]
    target.contracts += row["contracts"]
    target.placements += row["permanent"] + row["contracts"]
    target.fees += row["fees"] or ZERO
    target.credits += row["credits"] or ZERO
    target.margin += row["margin"] or ZERO
    target.placed_after_applying += row["timed"]
    target.time_to_place += row["to_place"] or timedelta(0)


def days(duration):
    return duration.total_seconds() / 86400
