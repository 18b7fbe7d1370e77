"""Working days: Monday to Friday, less the bank holidays of the agency's part of the UK.

Follow-ups ("chase in 3 working days") and a client's time to answer CVs count these. The bank
holidays come from the `holidays` package's tables, offline (BANK_HOLIDAYS_REGION: ENG for
England and Wales, SCT, NIR).
"""

import functools
from datetime import timedelta

import holidays
from django.conf import settings


@functools.lru_cache(maxsize=32)
def bank_holidays(year, region):
    return frozenset(holidays.country_holidays("GB", subdiv=region, years=year))


def is_working_day(day):
    return day.weekday() < 5 and day not in bank_holidays(day.year, settings.BANK_HOLIDAYS_REGION)


def after(day, count):
    """The day `count` working days after `day`."""
    return step(day, count, timedelta(days=1))


def before(day, count):
    """The day `count` working days before `day`."""
    return step(day, count, timedelta(days=-1))


def step(day, count, by):
    while count:
        day += by
        if is_working_day(day):
            count -= 1
    return day
