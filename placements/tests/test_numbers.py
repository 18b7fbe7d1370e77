from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from pipeline.models import Stage
from placements.models import DayChannelFigures, DayStageFigures, NumbersRolledUp
from placements.numbers import SETTLE, build_report, roll_up

from .history import at, known_history

pytestmark = pytest.mark.django_db


def by_label(rows):
    return {row.label: row for row in rows}


def pipeline_counts(figures):
    return (
        figures.applications,
        figures.new_candidates,
        figures.cvs_sent,
        figures.interviews,
        figures.offers,
        figures.placements,
    )


def money_figures(figures):
    return (figures.fees, figures.credits, figures.net_fees, figures.margin)


def check_known_answers(report, history):
    team = report.team
    assert pipeline_counts(team) == (40, 38, 12, 5, 3, 2)
    assert money_figures(team) == (
        Decimal("16000.00"),
        Decimal("3000.00"),
        Decimal("13000.00"),
        Decimal("0.00"),
    )
    assert (team.cv_to_interview, team.interview_to_offer, team.offer_to_placement) == (
        5 / 12,
        3 / 5,
        2 / 3,
    )
    people = by_label(report.consultants)
    alice, bob = people["Alice Adams"], people["Bob Brown"]
    assert pipeline_counts(alice) == (31, 30, 10, 4, 2, 2)
    assert pipeline_counts(bob) == (9, 8, 2, 1, 1, 1)
    assert money_figures(alice) == (
        Decimal("12000.00"),
        Decimal("3000.00"),
        Decimal("9000.00"),
        Decimal("0.00"),
    )
    assert money_figures(bob) == (Decimal("4000.00"), Decimal("0.00"), Decimal("4000.00"), 0)
    # Client response: the time from a CV sent to the next move, on the day of that move.
    assert team.client_response_days == pytest.approx(13 / 5)
    assert alice.client_response_days == pytest.approx(3.0)
    assert bob.client_response_days == pytest.approx(1.0)
    # Application to placement: entry 25 joined on day 5, entry 1 on day 1; both placed now.
    linked, fixed = history.placements
    expected = [
        (placement.placed_at - at(history.start + timedelta(days=day))).total_seconds() / 86400
        for placement, day in ((linked, 5), (fixed, 1))
    ]
    assert team.average_days_to_place == pytest.approx(sum(expected) / 2)
    assert bob.average_days_to_place == pytest.approx(expected[0])
    # £ placed per link sent: Bob's 10 links led to £10,000 of fees.
    assert (bob.links_sent, bob.link_placements, bob.link_fees) == (1 * 10, 1, Decimal("10000"))
    assert bob.fees_per_link == Decimal("1000")
    assert team.fees_per_link == Decimal("1000")

    channels = {row.key: row for row in report.channels}
    assert pipeline_counts(channels["direct"]) == (25, 25, 9, 3, 1, 1)
    assert pipeline_counts(channels["link"]) == (5, 5, 1, 1, 1, 1)
    assert pipeline_counts(channels["database"]) == (9, 8, 2, 1, 1, 0)
    assert pipeline_counts(channels["referral"]) == (1, 0, 0, 0, 0, 0)
    assert channels["link"].net_fees == Decimal("10000.00")
    assert channels["direct"].net_fees == Decimal("3000.00")
    assert channels["link"].fees_per_application == Decimal("2000")

    stages = {row.stage.role: row for row in report.stages if row.stage.role}
    assert (stages["cv_sent"].arrived, stages["cv_sent"].left) == (12, 5)
    assert stages["cv_sent"].average_days == pytest.approx(13 / 5)
    assert (stages["offer"].arrived, stages["offer"].left) == (3, 2)  # placed today
    assert (stages["new"].arrived, stages["new"].left) == (40, 12)


def test_the_report_counts_a_known_history_exactly():
    history = known_history()
    check_known_answers(build_report(history.start, history.end), history)


def same_report(one, other):
    assert [vars(row) for row in one.consultants] == [vars(row) for row in other.consultants]
    assert [vars(row) for row in one.channels] == [vars(row) for row in other.channels]
    assert [vars(row) for row in one.stages] == [vars(row) for row in other.stages]
    assert vars(one.team) == vars(other.team)


def test_rolled_up_days_give_the_same_report_as_counting_live():
    history = known_history()
    live = build_report(history.start, history.end)
    now = timezone.now()
    assert roll_up(now) > 0
    assert NumbersRolledUp.objects.get().until == now - SETTLE
    assert DayStageFigures.objects.exists() and DayChannelFigures.objects.exists()
    # The placements were just recorded: their moves are still counted live.
    partly = build_report(history.start, history.end)
    assert partly.rolled_until == now - SETTLE
    check_known_answers(partly, history)
    same_report(partly, live)
    roll_up(now + timedelta(hours=1))
    wholly = build_report(history.start, history.end)
    check_known_answers(wholly, history)
    same_report(wholly, live)


def test_rolling_up_again_changes_nothing_and_carries_on_where_it_stopped():
    history = known_history()
    now = timezone.now()
    roll_up(now)
    rows = sorted(DayStageFigures.objects.values_list("day", "consultant", "stage", "arrived"))
    assert roll_up(now) == 0
    assert (
        sorted(DayStageFigures.objects.values_list("day", "consultant", "stage", "arrived")) == rows
    )
    assert roll_up(now + timedelta(days=1)) >= 1
    assert NumbersRolledUp.objects.get().until == now + timedelta(days=1) - SETTLE
    check_known_answers(build_report(history.start, history.end), history)


def test_a_consultant_sees_only_their_own_figures():
    history = known_history()
    report = build_report(history.start, history.end, consultant=history.bob, sees_team=False)
    assert report.team is None
    [bob] = report.consultants
    assert bob.label == "Bob Brown"
    assert pipeline_counts(bob) == (9, 8, 2, 1, 1, 1)
    assert bob.net_fees == Decimal("4000.00")
    channels = {row.key: row for row in report.channels}
    # Bob's share of the linked placement, under its source.
    assert (channels["link"].placements, channels["link"].net_fees) == (1, Decimal("4000.00"))
    assert channels["direct"].applications == 0
    stages = {row.stage.role: row for row in report.stages if row.stage.role}
    assert (stages["cv_sent"].arrived, stages["cv_sent"].left) == (2, 1)


def test_a_period_before_the_history_counts_nothing_of_it():
    history = known_history()
    report = build_report(history.start - timedelta(days=3), history.start - timedelta(days=1))
    assert pipeline_counts(report.team) == (1, 1, 1, 0, 0, 0)
    assert report.team.links_sent == 1


def test_contract_margin_is_counted_apart_from_fees():
    from .factories import place_contract

    placement = place_contract(pay_rate=Decimal("510"), charge_rate=Decimal("500"))
    today = timezone.localdate()
    report = build_report(today, today)
    assert (report.team.fees, report.team.margin) == (Decimal("0.00"), Decimal("-1300.00"))
    assert report.team.contracts == 1 and report.team.placements == 1
    assert placement.splits.get().amount == Decimal("-1300.00")


def test_stages_without_a_role_are_reported_too():
    known_history()
    report = build_report(timezone.localdate() - timedelta(days=1), timezone.localdate())
    names = [row.stage.name for row in report.stages]
    assert names == list(Stage.objects.in_order().values_list("name", flat=True))


def test_rolled_up_time_in_a_stage_keeps_every_microsecond():
    from candidates.tests.factories import CandidateFactory
    from jobs.tests.factories import OpenVacancyFactory

    from .history import join, move

    today = timezone.localdate()
    vacancy = OpenVacancyFactory()
    for number in range(3):
        entry = join(
            CandidateFactory(), vacancy, at(today - timedelta(days=9)) + timedelta(microseconds=7)
        )
        move(
            entry,
            Stage.Role.CV_SENT,
            at(today - timedelta(days=8 - number)) + timedelta(seconds=0.3, microseconds=number),
        )
    live = build_report(today - timedelta(days=10), today)
    roll_up()
    rolled = build_report(today - timedelta(days=10), today)
    assert [vars(row) for row in rolled.stages] == [vars(row) for row in live.stages]
    new = next(row for row in rolled.stages if row.stage.role == "new")
    assert new.stayed == timedelta(days=3 + 2 + 1, seconds=0.9, microseconds=3 - 21)


def test_the_roll_up_command_says_how_far_the_figures_go():
    from io import StringIO

    from django.core.management import call_command

    history = known_history()
    out = StringIO()
    call_command("roll_up_numbers", stdout=out)
    until = timezone.localtime(NumbersRolledUp.objects.get().until)
    days = (until.date() - (history.start - timedelta(days=3))).days + 1
    assert out.getvalue() == (
        f"{days} day(s) written; the figures now hold every move before {until:%Y-%m-%d %H:%M}.\n"
    )
