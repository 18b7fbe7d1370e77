"""CSRF tokens exactly as Django makes them, from one read of the system's randomness.

Django's `get_token` draws each of a token's characters with a call of its own to
`secrets.choice`: 64 calls for a first visit (the cookie's secret and the token's mask), a
fifth of what a page from the page cache cost us. These draw all of a string's characters
from one `os.urandom` read, each uniformly from Django's alphabet (bytes of 248 and over,
the last partial run of 62, are thrown away), and otherwise do what Django's `get_token`
does: the same secret in the same request header, the same masking, so Django's
CsrfViewMiddleware checks and sets them as its own. A test holds them to Django's checks.
"""

import os

from django.middleware import csrf as django_csrf
from django.utils.functional import SimpleLazyObject

ALPHABET = django_csrf.CSRF_ALLOWED_CHARS
LENGTH = django_csrf.CSRF_SECRET_LENGTH
USABLE_BYTES = 256 - 256 % len(ALPHABET)
POSITION = {char: index for index, char in enumerate(ALPHABET)}


def random_string(length=LENGTH):
    chars = []
    while len(chars) < length:
        chars += [ALPHABET[b % len(ALPHABET)] for b in os.urandom(length + 8) if b < USABLE_BYTES]
    return "".join(chars[:length])


def get_token(request):
    """The visitor's CSRF token, masked afresh; a new secret (and cookie) if they had none."""
    if "CSRF_COOKIE" not in request.META:
        request.META["CSRF_COOKIE"] = random_string()
    request.META["CSRF_COOKIE_NEEDS_UPDATE"] = True
    secret, mask = request.META["CSRF_COOKIE"], random_string()
    pairs = zip(secret, mask, strict=False)
    return mask + "".join(
        ALPHABET[(POSITION[char] + POSITION[key]) % len(ALPHABET)] for char, key in pairs
    )


def csrf(request):
    """Django's csrf context processor ({% csrf_token %}), with the tokens above. Listed
    after Django's own, which it replaces."""
    return {"csrf_token": SimpleLazyObject(lambda: get_token(request))}
