from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from recruitment.site import absolute_url

from .job_board_feed import xml_text
from .models import Sector
from .search import JobSearch

FEED_ITEMS = 50


class LiveJobsFeed(Feed):
    """Live jobs, newest first: all of them, one sector's (?sector=), or a search's (?q=)."""

    url_name = "feed_rss"

    def get_object(self, request):
        return JobSearch.from_params(request.GET)

    def title(self, search):
        parts = [f"{settings.AGENCY['NAME']}: live jobs"]
        if search.sector:
            sector = Sector.objects.filter(slug=search.sector).first()
            parts.append(f"in {sector.name if sector else search.sector}")
        if search.q:
            parts.append(f"matching “{search.q}”")
        if search.place:
            parts.append(f"within {search.within} miles of {search.place}")
        return xml_text(" ".join(parts))

    def get_feed(self, obj, request):
        feed = super().get_feed(obj, request)
        # Django makes its addresses from the request's host; ours come from SITE_URL. The
        # self link is the search as the feed read it: a tracking tag or unknown key is not
        # part of it (a cached copy serves every such variant alike).
        feed.feed["feed_url"] = self.address(self.url_name, obj)
        return feed

    @staticmethod
    def address(url_name, search):
        query = search.querystring()
        return absolute_url(reverse(f"jobs:{url_name}") + (f"?{query}" if query else ""))

    def link(self, search):
        return self.address("vacancy_list", search)

    def item_link(self, vacancy):
        return absolute_url(vacancy.get_absolute_url())

    def description(self, search):
        return f"The latest live vacancies from {settings.AGENCY['NAME']}."

    def items(self, search):
        return search.results()[:FEED_ITEMS]

    def item_title(self, vacancy):
        # A control character pasted into an advert would make the whole feed a 500.
        return xml_text(f"{vacancy.title}, {vacancy.location} ({vacancy.salary_display})")

    def item_description(self, vacancy):
        return xml_text(vacancy.summary_line or vacancy.title)

    def item_pubdate(self, vacancy):
        return vacancy.published_at

    def item_categories(self, vacancy):
        return [xml_text(vacancy.sector.name)] if vacancy.sector else []

    # The job page's address: RSS's permalink guid and Atom's entry id (an IRI, as RFC 4287
    # asks; the bare reference was neither).
    item_guid_is_permalink = True

    def item_guid(self, vacancy):
        return self.item_link(vacancy)

    def item_updateddate(self, vacancy):
        # Atom requires <updated>; an advert published after its last edit changed then.
        return max(vacancy.updated_at, vacancy.published_at)

    def author_name(self):
        return settings.AGENCY["NAME"]

    def item_author_name(self, vacancy):
        # Every Atom entry names its author (the agency that advertises it).
        return settings.AGENCY["NAME"]


class LiveJobsAtomFeed(LiveJobsFeed):
    feed_type = Atom1Feed
    url_name = "feed_atom"
    subtitle = LiveJobsFeed.description
