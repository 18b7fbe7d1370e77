"""Pounds and pence, and the one rounding rule every figure follows.

- Every amount is a Decimal in pounds to the penny (two places).
- A figure worked out from others (a fee from a salary and a percentage, a credit from a fee
  and a rebate, a contract's margin) is rounded once, from the exact inputs, to the penny,
  half up (ROUND_HALF_UP: £0.005 becomes £0.01). A figure is never worked out from another
  rounded one.
- A split of a whole between consultants gives each share its exact amount rounded down to
  the penny, then hands the pennies left over, one each, to the shares with the largest
  remainders (ties: the larger percentage first, then the order given): the largest
  remainder method, so the shares always add up to the whole, to the penny.
"""

import re
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError

PENNY = Decimal("0.01")
HUNDRED = Decimal(100)


def pounds(value):
    """An exact figure, rounded once to the penny, half up."""
    return Decimal(value).quantize(PENNY, rounding=ROUND_HALF_UP)


def percent_of(amount, percent):
    return pounds(Decimal(amount) * Decimal(percent) / HUNDRED)


def split(total, percents):
    """`total` shared by `percents` (adding up to 100): amounts adding up to `total` exactly."""
    total = Decimal(total)
    exact = [total * Decimal(percent) / HUNDRED for percent in percents]
    shares = [amount.quantize(PENNY, rounding=ROUND_FLOOR) for amount in exact]
    left_over = int((total - sum(shares, Decimal(0))) / PENNY)
    by_remainder = sorted(
        range(len(shares)),
        key=lambda index: (exact[index] - shares[index], Decimal(percents[index]), -index),
        reverse=True,
    )
    for index in by_remainder[:left_over]:
        shares[index] += PENNY
    return shares


def as_money(amount):
    """£1,234.50, or −£12.00."""
    if amount is None:
        return "–"
    sign = "−" if amount < 0 else ""
    return f"{sign}£{abs(amount):,.2f}"


# A client's rebate (guarantee) schedule, e.g. "4:100, 8:50, 12:0": 100 % of the fee back if
# the candidate leaves within 4 weeks of starting, 50 % within 8, nothing within 12 or after.
BAND = re.compile(r"^\s*(\d{1,3})\s*(?:weeks?|w)?\s*:\s*(\d{1,3}(?:\.\d{1,2})?)\s*%?\s*$")


def parse_rebate_schedule(text):
    """[(weeks, percent refunded)], weeks rising and percents never rising; "" is none."""
    bands = []
    for part in filter(str.strip, (text or "").split(",")):
        match = BAND.match(part)
        if not match:
            raise ValidationError(
                f"“{part.strip()}” is not a band: write weeks:percent, e.g. “4:100, 8:50, 12:0”."
            )
        weeks, percent = int(match[1]), Decimal(match[2])
        if weeks < 1 or percent > HUNDRED:
            raise ValidationError(
                f"“{part.strip()}”: weeks start at 1 and a refund is at most 100 %."
            )
        if bands and (weeks <= bands[-1][0] or percent > bands[-1][1]):
            raise ValidationError(
                "List the bands from the shortest time to the longest, each refunding no more "
                "than the one before, e.g. “4:100, 8:50, 12:0”."
            )
        bands.append((weeks, percent))
    return bands


def format_rebate_schedule(bands):
    return ", ".join(f"{weeks}:{percent.normalize():f}" for weeks, percent in bands)


def describe_rebate_schedule(bands):
    if not bands:
        return "No rebate"
    parts = [f"{percent.normalize():f} % within {weeks} weeks" for weeks, percent in bands]
    return "; ".join(parts) + "; nothing after"


def rebate_percent(bands, start_date, left_on):
    """The refund for a candidate who started on `start_date` and left on `left_on`.

    A band of N weeks applies when they left before the same weekday N weeks after starting;
    the first (shortest) band that applies decides.
    """
    days = (left_on - start_date).days
    for weeks, percent in bands:
        if days < weeks * 7:
            return percent
    return Decimal(0)
