from django import template
from django.utils import timezone
from django.utils.formats import date_format

register = template.Library()


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
