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

A stored page is answered by `answer_from_cache`, a middleware placed as early as is safe:
after the security headers, ETags and the CSRF cookie are seen to, before sessions, the
candidate space, CommonMiddleware, users, messages, URL dispatch and the view. The view's
decorator renders and keeps the page on a miss.
"""

import hashlib
import math
import uuid
from datetime import datetime, time, timedelta
from functools import lru_cache, wraps

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse
from django.urls import Resolver404, get_urlconf, resolve
from django.utils import timezone

from . import shared_cache
from .csrf import get_token
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
    """An anonymous GET (below), while pages are cached at all."""
    return settings.PUBLIC_PAGE_CACHE_SECONDS > 0 and is_anonymous_get(request)


def is_anonymous_get(request):
    """A GET from someone with no session, candidate sign-in or pending messages: the same
    page for everyone."""
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and settings.CANDIDATE_SESSION_COOKIE not in request.COOKIES
        and "messages" not in request.COOKIES
    )


def no_query(request):
    return ""


def page_key(request, version, query):
    page = f"{request.scheme}://{request.get_host()}{request.path}?{query}"
    return f"page:{version}:{hashlib.sha256(page.encode()).hexdigest()}"


def placeholder(field):
    return b"__fresh_" + field + b"__"


def store(response):
    """What is kept of a response; its ETag is hashed once, here, and kept with it."""
    headers = {name: response[name] for name in KEPT_HEADERS if name in response}
    content = VOLATILE_VALUES.sub(lambda match: match[1] + placeholder(match[2]), response.content)
    if response.status_code == 200:
        headers["ETag"] = response["ETag"] = etag_for(response.content)
    return response.status_code, headers, content


def restore(request, entry):
    status, headers, content = entry
    for field, fresh in FRESH_VALUES.items():
        if (mark := placeholder(field)) in content:
            content = content.replace(mark, fresh(request).encode())
    response = HttpResponse(content, status=status)
    for name, value in headers.items():
        response[name] = value
    response["Content-Length"] = len(content)  # as CommonMiddleware, which a hit skips, would
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


def look_up(request, query):
    """The data version, the page's key under it and its stored copy (or None for each).

    Looked up once a request: by the middleware, and by the view only when called without it.
    """
    if not hasattr(request, "public_page"):
        version = shared_cache.version()
        key = entry = None
        if version is not None:
            key = page_key(request, version, query(request))
            entry = shared_cache.attempt(lambda: caches["pages"].get(key))
        request.public_page = version, key, entry
    return request.public_page


def cache_public_page(view=None, *, query=no_query):
    """Serve anonymous visitors a stored copy of the page while nothing has changed.

    `query(request)` gives the query string the page depends on, normalised; by default a
    page depends on none, and every query string shares its one copy. The view keeps it as
    `public_page_query`, which is how `answer_from_cache` knows the page is kept.
    """
    if view is None:
        return lambda view: cache_public_page(view, query=query)

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not is_anonymous_visit(request):
            return view(request, *args, **kwargs)
        version, key, entry = look_up(request, query)
        if version is None:
            return view(request, *args, **kwargs)
        if entry is not None:
            return restore(request, entry)
        response = view(request, *args, **kwargs)
        if response.status_code in (200, 404, 410) and not response.streaming:
            if hasattr(response, "render"):
                response.render()  # a TemplateResponse renders late; we need its content now
            shared_cache.attempt(lambda: keep(request, version, key, response))
        return response

    wrapped.public_page_query = query
    return wrapped


def answer_from_cache(get_response):
    """Answer an anonymous visit to a kept page from the cache, early in the middleware.

    After the middleware whose headers every answer needs (security headers, CSP, ETags,
    X-Frame-Options) and after CsrfViewMiddleware, which reads the visitor's CSRF cookie for
    their token and sets it; before what a stored page does not need: sessions and the
    candidate space (a visitor with either cookie is never answered from the cache),
    CommonMiddleware (a kept page's address is one that resolved, and its Content-Length is
    set here), users, messages, URL dispatch and the view.
    """

    def middleware(request):
        entry = None
        if is_anonymous_visit(request) and (query := kept_page_query(request)):
            entry = look_up(request, query)[2]
        return get_response(request) if entry is None else restore(request, entry)

    return middleware


def kept_page_query(request):
    """The `query` of the page cache at this address, or None if its view is not cached."""
    return query_at(getattr(request, "urlconf", None) or get_urlconf(), request.path_info)


@lru_cache(maxsize=10_000)
def query_at(urlconf, path):
    """Remembered per path: Django resolves the path again for every view it runs, and
    resolving twice would cost every page, cached or not."""
    try:
        match = resolve(path, urlconf)
    except Resolver404:
        return None
    return getattr(match.func, "public_page_query", None)
