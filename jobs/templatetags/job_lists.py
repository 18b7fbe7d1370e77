"""What a job list repeats many times, formatted in Python rather than template markup.

A list page shows 20 cards and some 60 filter options: the `date` filter took half of a
card's rendering, and the options' markup more than the cards.
"""

from django import template
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.html import format_html_join

register = template.Library()


@register.filter
def iso_datetime(value):
    """For <time datetime>: the same as |date:'Y-m-d\\TH:i:sO', in local time."""
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M:%S%z") if value else ""


@register.filter
def long_date(value):
    """'7 November 2026', like |date:'j F Y', in local time."""
    if not value:
        return ""
    local = timezone.localtime(value)
    return f"{local.day} {MONTHS[local.month]} {local.year}"


@register.simple_tag
def filter_options(options):
    """<option>s for (value, label, count, selected) tuples, as JobSearch.filter_groups gives."""
    return format_html_join(
        "",
        '<option value="{}"{}>{} ({})</option>',
        (
            (value, " selected" if selected else "", label, count)
            for value, label, count, selected in options
        ),
    )
