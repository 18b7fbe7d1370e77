"""Whole-page cache for anonymous visitors, invalidated the moment a job changes.

Every cached page is keyed by the shared data version (recruitment.shared_cache), which any
change to a vacancy, client, sector or consultant replaces, so an edit shows on every page at
once. Pages also expire before the next scheduled publication or the next midnight (when
closing dates pass), so time alone never leaves a page stale. Forms keep working: the CSRF
token and the form's one-time submission id are taken out of the stored page and fresh ones
put in for each visitor.

A page is stored once per scheme, host, path and the query parameters its view reads
(normalised by the view: unknown keys, tracking tags and values the page ignores do not make
copies), and at most PUBLIC_PAGE_CACHE_MAX_PAGES copies of each page per data version; past
that, visitors get the page rendered for them. Without the shared cache, pages are simply
not cached.
"""

import hashlib
import math
import uuid
from datetime import datetime, time, timedelta
from functools import wraps

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone

from . import shared_cache
from .middleware import VOLATILE_VALUES, etag_for

# The form values that must differ for each visitor (middleware.VOLATILE_VALUES): a stored
# page keeps a placeholder for each, and each visitor gets fresh ones.
FRESH_VALUES = {
    b"csrfmiddlewaretoken": get_token,
    b"submission_id": lambda request: str(uuid.uuid4()),
}
KEPT_HEADERS = ("Content-Type", "Content-Language", "X-Robots-Tag")


def seconds_to_keep(now=None):
    """Until the next scheduled job goes live or the next midnight, within the setting."""
    from jobs.models import Vacancy

    now = now or timezone.now()
    tomorrow = timezone.localdate(now) + timedelta(days=1)
    midnight = timezone.make_aware(datetime.combine(tomorrow, time.min))
    next_publication = (
        Vacancy.objects.scheduled(now)
        .order_by("published_at")
        .values_list("published_at", flat=True)
        .first()
    )
    limits = [settings.PUBLIC_PAGE_CACHE_SECONDS, (midnight - now).total_seconds()]
    if next_publication:
        limits.append((next_publication - now).total_seconds())
    return max(1, math.floor(min(limits)))


def is_anonymous_visit(request):
    """A GET from someone with no session, candidate sign-in or pending messages: the same
    page for everyone."""
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and settings.CANDIDATE_SESSION_COOKIE not in request.COOKIES
        and "messages" not in request.COOKIES
        and settings.PUBLIC_PAGE_CACHE_SECONDS > 0
    )


def no_query(request):
    return ""


def page_key(request, version, query):
    page = f"{request.scheme}://{request.get_host()}{request.path}?{query}"
    return f"page:{version}:{hashlib.sha256(page.encode()).hexdigest()}"


def placeholder(field):
    return b"__fresh_" + field + b"__"


def store(response):
    headers = {name: response[name] for name in KEPT_HEADERS if name in response}
    content = VOLATILE_VALUES.sub(lambda match: match[1] + placeholder(match[2]), response.content)
    if response.status_code == 200:
        headers["ETag"] = etag_for(response.content)  # hashed once, not on every visit
    return response.status_code, headers, content


def restore(request, entry):
    status, headers, content = entry
    for field, fresh in FRESH_VALUES.items():
        if (mark := placeholder(field)) in content:
            content = content.replace(mark, fresh(request).encode())
    response = HttpResponse(content, status=status)
    for name, value in headers.items():
        response[name] = value
    return response


def has_room(request, version):
    """Whether this page may keep one more copy under this version (see the module's notes)."""
    pages = caches["pages"]
    page = getattr(request.resolver_match, "view_name", request.path)
    counter = f"page-copies:{version}:{page}"
    pages.add(counter, 0, timeout=settings.PUBLIC_PAGE_CACHE_SECONDS)
    return pages.incr(counter) <= settings.PUBLIC_PAGE_CACHE_MAX_PAGES


def keep(request, version, key, response):
    if has_room(request, version):
        caches["pages"].set(key, store(response), timeout=seconds_to_keep())


def cache_public_page(view=None, *, query=no_query):
    """Serve anonymous visitors a stored copy of the page while nothing has changed.

    `query(request)` gives the query string the page depends on, normalised; by default a
    page depends on none, and every query string shares its one copy.
    """
    if view is None:
        return lambda view: cache_public_page(view, query=query)

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not is_anonymous_visit(request):
            return view(request, *args, **kwargs)
        version = shared_cache.version()
        if version is None:
            return view(request, *args, **kwargs)
        key = page_key(request, version, query(request))
        if (entry := shared_cache.attempt(lambda: caches["pages"].get(key))) is not None:
            return restore(request, entry)
        response = view(request, *args, **kwargs)
        if response.status_code in (200, 404, 410) and not response.streaming:
            if hasattr(response, "render"):
                response.render()  # a TemplateResponse renders late; we need its content now
            shared_cache.attempt(lambda: keep(request, version, key, response))
        return response

    return wrapped
