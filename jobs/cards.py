"""Job cards kept in each process for visitors who are not signed in.

What a card says of its job (includes/vacancy_card_about.html) reads the same for every
visitor until any job, client, sector or consultant changes, or the day turns ("posted
today"). A view marked `keeps_job_cards` files the cards it draws under the data version
and the date (recruitment.shared_cache), so a search the page cache has not seen draws only
cards no page has drawn yet. Signed-in visitors' cards, and everyone's while the shared cache
is unreachable, are drawn afresh.
"""

from functools import wraps

from django.utils import timezone

from recruitment import shared_cache
from recruitment.page_cache import is_anonymous_get


def keeps_job_cards(view):
    """Read the data version before the view reads any job, as the page cache does: a job
    changed in between then ends the version its old card was kept under."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if is_anonymous_get(request):
            if hasattr(request, "public_page"):  # the page cache has just read it
                version = request.public_page[0]
            else:
                version = shared_cache.version()
            request.cards_version = f"{version}:{timezone.localdate()}" if version else ""
        return view(request, *args, **kwargs)

    return wrapped


def cards_version(request):
    """What this request's cards are kept under, or "" to draw them afresh."""
    return getattr(request, "cards_version", "")
