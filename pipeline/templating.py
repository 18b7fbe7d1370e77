"""Email templates staff write in the admin: plain text with a fixed set of placeholders.

Placeholders look like {{ candidate_first_name }}. Only the names below exist: a template
cannot reach anything else about a candidate (no template language, no attribute lookups),
and one that names an unknown placeholder is refused when it is saved.
"""

import re

from django.conf import settings
from django.core.exceptions import ValidationError

PLACEHOLDER = re.compile(r"\{\{\s*(\w+)\s*\}\}")
TEMPLATE_SYNTAX = re.compile(r"\{\{|\}\}|\{%|%\}")

PLACEHOLDERS = {
    "candidate_first_name": "the candidate's first name",
    "candidate_name": "the candidate's full name",
    "vacancy_title": "the job's title",
    "vacancy_reference": "the job's reference",
    "vacancy_location": "the job's location",
    "consultant_name": "your name",
    "consultant_email": "your email address",
    "consultant_phone": "your phone number",
    "agency_name": "the agency's name",
    "contact_first_name": "the client contact's first name (emails to clients)",
    "contact_name": "the client contact's full name (emails to clients)",
}


def shown(name):
    return "{{ " + name + " }}"


def check(text):
    """Raise ValidationError naming each unknown placeholder or stray brace pair."""
    unknown = sorted({name for name in PLACEHOLDER.findall(text) if name not in PLACEHOLDERS})
    if unknown:
        raise ValidationError(
            "Unknown placeholder(s): %(names)s. You can use: %(known)s.",
            params={
                "names": ", ".join(map(shown, unknown)),
                "known": ", ".join(map(shown, PLACEHOLDERS)),
            },
            code="unknown_placeholder",
        )
    if TEMPLATE_SYNTAX.search(PLACEHOLDER.sub("", text)):
        raise ValidationError(
            "Braces must hold a placeholder, like {{ candidate_first_name }}.", code="braces"
        )


def values_for(*, candidate=None, vacancy=None, consultant=None, contact=None):
    """Every placeholder's value for these records (blank where a record is not given)."""
    name = candidate.name if candidate else ""
    contact_name = contact.name if contact else ""
    return {
        "candidate_first_name": name.split()[0] if name.split() else "",
        "candidate_name": name,
        "vacancy_title": vacancy.title if vacancy else "",
        "vacancy_reference": vacancy.reference if vacancy else "",
        "vacancy_location": vacancy.location if vacancy else "",
        "consultant_name": consultant.name if consultant else "",
        "consultant_email": consultant.email if consultant else "",
        "consultant_phone": consultant.phone if consultant else "",
        "agency_name": settings.AGENCY["NAME"],
        "contact_first_name": contact_name.split()[0] if contact_name.split() else "",
        "contact_name": contact_name,
    }


def fill(text, values):
    return PLACEHOLDER.sub(lambda match: values.get(match[1], match[0]), text)
