"""Page addresses made from names: one function, whichever way a vacancy or sector arrives."""

import unicodedata

from anyascii import anyascii
from django.utils.text import slugify


def make_slug(text, max_length=200):
    """ "Kierownik – Łódź" -> "kierownik-lodz".

    Django's slugify drops what NFKD cannot split into a letter and an accent (ł, ø, æ, ß,
    đ, þ, œ) and every non-Latin script; those letters are transliterated first, as the
    admin's own script does in the browser.
    """
    ascii_text = "".join(char if char.isascii() else transliterate(char) for char in text)
    return slugify(ascii_text)[:max_length].strip("-")


def transliterate(char):
    # Letters, marks and digits only: a symbol such as £ is dropped, not spelt "GBP".
    return anyascii(char) if unicodedata.category(char)[0] in "LMN" else " "


def unique_slug(queryset, text, fallback, max_length=200):
    """A slug for `text` that no row of `queryset` has yet: "name", "name-2", "name-3"…

    `max_length` bounds the part made from the text; leave the field room for a suffix.
    """
    base = make_slug(text, max_length) or fallback
    slug, suffix = base, 2
    while queryset.filter(slug=slug).exists():
        slug, suffix = f"{base}-{suffix}", suffix + 1
    return slug
