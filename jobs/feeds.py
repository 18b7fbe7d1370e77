from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from .models import Sector, Vacancy
from .views import clean_query

FEED_ITEMS = 50


class LiveJobsFeed(Feed):
    """Live jobs, newest first: all of them, one sector's (?sector=), or a search's (?q=)."""

    def get_object(self, request):
        slug = request.GET.get("sector", "")
        sector = Sector.objects.filter(slug=slug).first() if slug else None
        return {"sector": sector, "query": clean_query(request.GET.get("q", ""))}

    def title(self, search):
        parts = [f"{settings.AGENCY['NAME']}: live jobs"]
        if search["sector"]:
            parts.append(f"in {search['sector'].name}")
        if search["query"]:
            parts.append(f"matching “{search['query']}”")
        return " ".join(parts)

    def link(self, search):
        return reverse("jobs:vacancy_list")

    def description(self, search):
        return f"The latest live vacancies from {settings.AGENCY['NAME']}."

    def items(self, search):
        vacancies = Vacancy.objects.live().for_listing().newest_first()
        if search["sector"]:
            vacancies = vacancies.in_sector(search["sector"])
        if search["query"]:
            vacancies = vacancies.search(search["query"])
        return vacancies[:FEED_ITEMS]

    def item_title(self, vacancy):
        return f"{vacancy.title}, {vacancy.location} ({vacancy.salary_display})"

    def item_description(self, vacancy):
        return vacancy.summary or vacancy.title

    def item_pubdate(self, vacancy):
        return vacancy.published_at

    def item_categories(self, vacancy):
        return [vacancy.sector.name] if vacancy.sector else []

    def item_guid(self, vacancy):
        return vacancy.reference


class LiveJobsAtomFeed(LiveJobsFeed):
    feed_type = Atom1Feed
    subtitle = LiveJobsFeed.description
