from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from recruitment.site import absolute_url

from .models import Sector
from .search import JobSearch

FEED_ITEMS = 50


class LiveJobsFeed(Feed):
    """Live jobs, newest first: all of them, one sector's (?sector=), or a search's (?q=)."""

    def get_object(self, request):
        return JobSearch.from_params(request.GET)

    def title(self, search):
        parts = [f"{settings.AGENCY['NAME']}: live jobs"]
        if search.sector:
            sector = Sector.objects.filter(slug=search.sector).first()
            parts.append(f"in {sector.name if sector else search.sector}")
        if search.q:
            parts.append(f"matching “{search.q}”")
        return " ".join(parts)

    def get_feed(self, obj, request):
        feed = super().get_feed(obj, request)
        # Django makes its addresses from the request's host; ours come from SITE_URL.
        feed.feed["feed_url"] = absolute_url(request.get_full_path())
        return feed

    def link(self, search):
        query = search.querystring()
        return absolute_url(reverse("jobs:vacancy_list") + (f"?{query}" if query else ""))

    def item_link(self, vacancy):
        return absolute_url(vacancy.get_absolute_url())

    def description(self, search):
        return f"The latest live vacancies from {settings.AGENCY['NAME']}."

    def items(self, search):
        return search.results()[:FEED_ITEMS]

    def item_title(self, vacancy):
        return f"{vacancy.title}, {vacancy.location} ({vacancy.salary_display})"

    def item_description(self, vacancy):
        return vacancy.summary_line or vacancy.title

    def item_pubdate(self, vacancy):
        return vacancy.published_at

    def item_categories(self, vacancy):
        return [vacancy.sector.name] if vacancy.sector else []

    def item_guid(self, vacancy):
        return vacancy.reference


class LiveJobsAtomFeed(LiveJobsFeed):
    feed_type = Atom1Feed
    subtitle = LiveJobsFeed.description
