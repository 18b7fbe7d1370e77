"""A per-address limit on public form posts, counted in the shared cache."""

import ipaddress
import logging

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render

from recruitment.proxies import client_address

from .models import RejectedSubmission

logger = logging.getLogger(__name__)
WINDOW_SECONDS = 3600


def bucket(request):
    """Whom a post is counted against: the client's address, or its /64 for IPv6, where one
    household or server is handed a whole /64 to pick addresses from."""
    address = client_address(request)
    if address and ":" in address:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return address or "unknown"


def count(key):
    cache.add(key, 0, timeout=WINDOW_SECONDS)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=WINDOW_SECONDS)
        return 1


def over_limit(request, counter="form-posts", limit=None):
    """Count this request; True once the address has made more than the limit this hour."""
    limit = settings.FORM_RATE_LIMIT if limit is None else limit
    try:
        return count(f"{counter}:{bucket(request)}") > limit
    except Exception as error:  # noqa: BLE001 - any cache backend's failure, whatever it raises
        # Fail open: with the cache down a genuine application must still arrive.
        logger.warning(
            "Rate limit %s not applied: the cache failed (%s)", counter, type(error).__name__
        )
        return False


def rate_limited(form):
    """Mark a public form's view: its POSTs count towards FORM_RATE_LIMIT, and are refused
    past it, before their body is read. `form` names it in the refused counts; the
    site-wide form pages are named by their URL's `page`."""

    def mark(view):
        view.rate_limited_form = form
        return view

    return mark


class RateLimitMiddleware:
    """Counts a post to a rate-limited view before anything reads its body.

    It runs before CsrfViewMiddleware, which parses the body (a 5 MB CV included) to find
    its token: a view counting the post itself would already have paid for that.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view, args, kwargs):
        form = getattr(view, "rate_limited_form", None)
        if form is None or request.method != "POST" or not over_limit(request):
            return None
        RejectedSubmission.count_one(kwargs.get("page", form), "rate limit")
        return render(request, "candidates/refused.html", {"reason": "rate"}, status=429)
