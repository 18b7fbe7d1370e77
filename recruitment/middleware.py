import hashlib
import re
import uuid

from django.conf import settings
from django.utils.cache import get_conditional_response

from .logging import current_request_id


def security_headers(get_response):
    """Headers Django does not set itself."""

    def middleware(request):
        response = get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response

    return middleware


# Form values that differ on every render of the same page: left out of its ETag (and put
# in fresh for each visitor of a cached page). Group 2 is the field's name.
VOLATILE_VALUES = re.compile(rb'(name="(csrfmiddlewaretoken|submission_id)" value=")[^"]*')


def etag_for(content):
    digest = hashlib.md5(VOLATILE_VALUES.sub(rb"\1", content), usedforsecurity=False)
    return f'"{digest.hexdigest()}"'


def conditional_get(get_response):
    """ETags for GET pages, so a browser or proxy that has a page gets a 304 instead.

    Like Django's ConditionalGetMiddleware, but the ETag ignores the per-render CSRF token
    and form submission id, or no page with a form would ever match. A page from the
    page cache comes with the ETag it was stored with.
    """

    def middleware(request):
        response = get_response(request)
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        if not response.has_header("ETag"):
            if response.streaming:
                return response
            response["ETag"] = etag_for(response.content)
        return get_conditional_response(request, etag=response["ETag"], response=response)

    return middleware


REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def request_id(get_response):
    """A request id for the logs: the proxy's X-Request-ID if it sent a sane one, else new."""

    def middleware(request):
        given = request.headers.get("X-Request-ID", "")
        value = given if REQUEST_ID.match(given) else uuid.uuid4().hex
        # Kept until the request_finished signal, so Django's own "Not Found" and error
        # lines, written after the middleware returns, carry it too.
        current_request_id.set(value)
        response = get_response(request)
        response["X-Request-ID"] = value
        return response

    return middleware
