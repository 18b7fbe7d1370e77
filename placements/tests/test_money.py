from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from placements import money


def test_a_fee_is_rounded_once_to_the_penny_half_up():
    assert money.percent_of(Decimal("33333.33"), Decimal("17.5")) == Decimal("5833.33")
    assert money.percent_of(Decimal("10.10"), Decimal("5")) == Decimal("0.51")  # 0.505


@pytest.mark.parametrize(
    ("total", "percents", "shares"),
    [
        ("100.00", ["33.33", "33.33", "33.34"], ["33.33", "33.33", "33.34"]),
        ("0.10", ["33.33", "33.33", "33.34"], ["0.03", "0.03", "0.04"]),
        ("1000.01", ["50", "50"], ["500.01", "500.00"]),
        ("12000.00", ["60", "40"], ["7200.00", "4800.00"]),
        ("-100.01", ["50", "50"], ["-50.00", "-50.01"]),
    ],
)
def test_split_shares_add_up_to_the_whole_to_the_penny(total, percents, shares):
    result = money.split(Decimal(total), [Decimal(p) for p in percents])
    assert result == [Decimal(share) for share in shares]
    assert sum(result) == Decimal(total)


def test_split_gives_left_over_pennies_to_the_largest_remainders():
    # 0.05 by 1/3 each: 0.01666… each, floors 0.01; two pennies left for the largest
    # remainders, tied, so the larger percentages (then the order given) get them.
    assert money.split(Decimal("0.05"), [Decimal("33.33"), Decimal("33.34"), Decimal("33.33")]) == [
        Decimal("0.02"),
        Decimal("0.02"),
        Decimal("0.01"),
    ]


def test_a_rebate_schedule_reads_bands_from_shortest_to_longest():
    assert money.parse_rebate_schedule("4:100, 8 weeks: 50%, 12:0") == [
        (4, Decimal(100)),
        (8, Decimal(50)),
        (12, Decimal(0)),
    ]
    assert money.parse_rebate_schedule("") == []


@pytest.mark.parametrize(
    "text", ["4:100, 2:50", "4:50, 8:100", "four:100", "4:150", "0:100", "4:100,,x"]
)
def test_a_rebate_schedule_out_of_order_or_unreadable_is_refused(text):
    with pytest.raises(ValidationError):
        money.parse_rebate_schedule(text)


@pytest.mark.parametrize(
    ("left_on", "percent"),
    [
        (date(2026, 3, 2), 100),  # their first day
        (date(2026, 3, 29), 100),  # 27 days in: within 4 weeks
        (date(2026, 3, 30), 50),  # the same weekday 4 weeks on: the next band
        (date(2026, 5, 24), 0),  # within 12 weeks: the band refunds nothing
        (date(2026, 9, 1), 0),  # after every band
    ],
)
def test_the_rebate_is_the_first_band_the_leaving_day_falls_in(left_on, percent):
    bands = money.parse_rebate_schedule("4:100, 8:50, 12:0")
    assert money.rebate_percent(bands, date(2026, 3, 2), left_on) == percent
