"""A per-address limit on public form posts, counted in the shared cache."""

from django.conf import settings
from django.core.cache import cache

WINDOW_SECONDS = 3600


def client_address(request):
    # Behind a proxy, set it to pass the real address in REMOTE_ADDR (e.g. nginx real_ip).
    return request.META.get("REMOTE_ADDR", "unknown")


def over_limit(request, counter="form-posts", limit=None):
    """Count this request; True once the address has made more than the limit this hour."""
    limit = settings.FORM_RATE_LIMIT if limit is None else limit
    key = f"{counter}:{client_address(request)}"
    cache.add(key, 0, timeout=WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=WINDOW_SECONDS)
        count = 1
    return count > limit
