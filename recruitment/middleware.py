import hashlib
import re
import uuid

from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.utils.cache import get_conditional_response

from .logging import current_request_id


def security_headers(get_response):
    """Headers Django does not set itself."""
    permissions_policy = settings.PERMISSIONS_POLICY

    def middleware(request):
        response = get_response(request)
        response.headers.setdefault("Permissions-Policy", permissions_policy)
        return response

    return middleware


# What django-csp's decorators leave on a response whose policy differs from the settings'.
OWN_POLICY = tuple(
    f"_csp_{part}{suffix}" for part in ("config", "update", "replace") for suffix in ("", "_ro")
)


class ContentSecurityPolicy(CSPMiddleware):
    """django-csp's middleware, with the policies in settings built once, at start-up.

    django-csp builds both policies from the settings for every response (a fifth of what a
    bare page cost us). A response with a policy of its own (django-csp's decorators) or a
    page that used a nonce is still built by django-csp for that response.
    """

    def __init__(self, get_response):
        super().__init__(get_response)
        self.policies = [
            (HEADER, build_policy(), "_csp_exempt", excluded("CONTENT_SECURITY_POLICY")),
            (
                HEADER_REPORT_ONLY,
                build_policy(report_only=True),
                "_csp_exempt_ro",
                excluded("CONTENT_SECURITY_POLICY_REPORT_ONLY"),
            ),
        ]

    def process_response(self, request, response):
        if getattr(request, "_csp_nonce", None) or any(
            hasattr(response, name) for name in OWN_POLICY
        ):
            return super().process_response(request, response)
        if settings.DEBUG and response.status_code in (404, 500):
            return response  # Django's debug pages, as django-csp leaves them
        for header, policy, exempt, prefixes in self.policies:
            if (
                policy
                and header not in response
                and not getattr(response, exempt, False)
                and not request.path_info.startswith(prefixes)
            ):
                response[header] = policy
        # As django-csp does: a nonce asked for after the header is written is an error.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response


def excluded(setting):
    return tuple((getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES") or ())


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
        # META, not request.headers: that mapping of every header is built on first use.
        given = request.META.get("HTTP_X_REQUEST_ID", "")
        value = given if REQUEST_ID.match(given) else uuid.uuid4().hex
        # Kept until the request_finished signal, so Django's own "Not Found" and error
        # lines, written after the middleware returns, carry it too.
        current_request_id.set(value)
        response = get_response(request)
        response["X-Request-ID"] = value
        return response

    return middleware
