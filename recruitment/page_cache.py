"""Whole-page cache for anonymous visitors, invalidated the moment a job changes.

Every cached page is keyed by a version that any save or delete of a vacancy, client,
sector or consultant replaces, so an edit shows on every page at once. Pages also expire
before the next scheduled publication or the next midnight (when closing dates pass), so
time alone never leaves a page stale. Forms keep working: the CSRF token and the form's
one-time submission id are taken out of the stored page and fresh ones put in for each visitor.
"""

import hashlib
import math
import uuid
from datetime import datetime, time, timedelta
from functools import wraps

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone

from .middleware import VOLATILE_VALUES, etag_for

VERSION_KEY = "public-pages:version"
# The form values that must differ for each visitor (middleware.VOLATILE_VALUES): a stored
# page keeps a placeholder for each, and each visitor gets fresh ones.
FRESH_VALUES = {
    b"csrfmiddlewaretoken": get_token,
    b"submission_id": lambda request: str(uuid.uuid4()),
}
KEPT_HEADERS = ("Content-Type", "Content-Language", "X-Robots-Tag")


def version():
    versions = caches["shared"]
    current = versions.get(VERSION_KEY)
    if current is None:
        versions.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        current = versions.get(VERSION_KEY)
    return current


def invalidate(**kwargs):
    """Connected to saves and deletes of whatever public pages show.

    The version changes now, for this process, and again when the change commits: a page
    another process renders in between, from data before the change, is kept under a
    version that is already gone.
    """
    new_version()
    transaction.on_commit(new_version)


def new_version():
    caches["shared"].set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


def remember(name, compute, seconds=60):
    """A value every process shares until any job changes, or for `seconds` at most."""
    key = f"{name}:{version()}"
    value = caches["shared"].get(key)
    if value is None:
        value = compute()
        caches["shared"].set(key, value, timeout=seconds)
    return value


def seconds_to_keep(now=None):
    """Until the next scheduled job goes live or the next midnight, within the setting."""
    from jobs.models import Vacancy

    now = now or timezone.now()
    tomorrow = timezone.localdate(now) + timedelta(days=1)
    midnight = timezone.make_aware(datetime.combine(tomorrow, time.min))
    next_publication = (
        Vacancy.objects.filter(status=Vacancy.Status.OPEN, published_at__gt=now)
        .order_by("published_at")
        .values_list("published_at", flat=True)
        .first()
    )
    limits = [settings.PUBLIC_PAGE_CACHE_SECONDS, (midnight - now).total_seconds()]
    if next_publication:
        limits.append((next_publication - now).total_seconds())
    return max(1, math.floor(min(limits)))


def is_anonymous_visit(request):
    """A GET from someone with no session or pending messages: the same page for everyone."""
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "messages" not in request.COOKIES
        and settings.PUBLIC_PAGE_CACHE_SECONDS > 0
    )


def page_key(request):
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    return f"page:{version()}:{path}"


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


def cache_public_page(view):
    """Serve anonymous visitors a stored copy of the page while nothing has changed."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not is_anonymous_visit(request):
            return view(request, *args, **kwargs)
        pages = caches["pages"]
        key = page_key(request)
        if (entry := pages.get(key)) is not None:
            return restore(request, entry)
        response = view(request, *args, **kwargs)
        if response.status_code in (200, 404, 410) and not response.streaming:
            if hasattr(response, "render"):
                response.render()  # a TemplateResponse renders late; we need its content now
            pages.set(key, store(response), timeout=seconds_to_keep())
        return response

    return wrapped
