from datetime import date

import pytest

from pipeline import working_days

FRIDAY = date(2026, 12, 4)


def test_working_days_skip_the_weekend():
    assert working_days.after(FRIDAY, 1) == date(2026, 12, 7)
    assert working_days.after(FRIDAY, 5) == date(2026, 12, 11)
    assert working_days.after(date(2026, 12, 5), 1) == date(2026, 12, 7)  # Saturday → Monday
    assert working_days.before(date(2026, 12, 7), 2) == date(2026, 12, 3)


def test_working_days_skip_bank_holidays_christmas_and_boxing_day_observed():
    # Christmas Day is a Friday in 2026: Boxing Day (Saturday) is observed on Monday the 28th.
    assert working_days.after(date(2026, 12, 24), 1) == date(2026, 12, 29)
    assert working_days.before(date(2026, 12, 29), 1) == date(2026, 12, 24)
    assert working_days.after(date(2026, 4, 2), 1) == date(2026, 4, 7)  # Good Friday, Easter Monday


@pytest.mark.parametrize(
    ("region", "next_working_day"),
    [("ENG", date(2026, 8, 4)), ("SCT", date(2026, 8, 5))],  # Scotland's August holiday
)
def test_bank_holidays_follow_the_agencys_part_of_the_uk(settings, region, next_working_day):
    settings.BANK_HOLIDAYS_REGION = region
    assert working_days.after(date(2026, 8, 2), 2) == next_working_day
