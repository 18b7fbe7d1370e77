from django import template

from recruitment.site import absolute_url

register = template.Library()


@register.filter
def absolute(path):
    """{{ vacancy.get_absolute_url|absolute }}: the page's full address, from SITE_URL."""
    return absolute_url(path)
