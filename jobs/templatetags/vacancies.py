from django import template
from django.utils import timezone
from django.utils.formats import date_format

from jobs import cards

register = template.Library()


@register.simple_tag(takes_context=True)
def cards_version(context):
    """What job cards drawn for this request are kept under (jobs/cards.py), or ""."""
    return cards.cards_version(context.get("request"))


@register.filter
def posted(when):
    """ "today", "yesterday", "3 days ago", then the date: what a candidate scans for.

    Counted in whole days, so a cached page stays right until midnight, when it expires.
    """
    days = (timezone.localdate() - timezone.localdate(when)).days
    if days <= 0:
        return "today"
    if days == 1:
        return "yesterday"
    if days < 14:
        return f"{days} days ago"
    return f"on {date_format(timezone.localtime(when), 'j F Y')}"
