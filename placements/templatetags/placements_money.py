from django import template

from placements.money import as_money

register = template.Library()


@register.filter
def money(amount):
    """£1,234.50"""
    return as_money(amount)
