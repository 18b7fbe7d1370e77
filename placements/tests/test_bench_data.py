from datetime import timedelta

import pytest
from django.utils import timezone

from pipeline.models import StageMove
from placements.bench_data import seed
from placements.models import FeeSplit, Placement
from placements.numbers import build_report, roll_up

pytestmark = pytest.mark.django_db


def test_the_benchmark_history_is_one_the_report_reads_the_same_rolled_up_or_not():
    seed(entries=600, placements=25, links=40, say=lambda text: None)
    assert Placement.objects.count() == 25
    for placement in Placement.objects.prefetch_related("splits"):
        assert sum(split.amount for split in placement.splits.all()) == placement.value
    today = timezone.localdate()
    live = build_report(today - timedelta(days=365), today)
    roll_up()
    rolled = build_report(today - timedelta(days=365), today)
    assert live.team.applications == 600
    assert live.team.placements == 25 and live.team.links_sent == 40
    assert [vars(row) for row in rolled.consultants] == [vars(row) for row in live.consultants]
    assert [vars(row) for row in rolled.stages] == [vars(row) for row in live.stages]
    assert sum(row.arrived for row in rolled.stages) == StageMove.objects.count()
    assert FeeSplit.objects.count() >= 25
