from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import Vacancy


class LiveVacancySitemap(Sitemap):
    """Live jobs only: a closed or filled job drops out of the sitemap at once."""

    changefreq = "daily"
    limit = 10000

    def items(self):
        return Vacancy.objects.live().only("slug", "updated_at", "published_at").order_by("pk")

    def lastmod(self, vacancy):
        # A scheduled job goes live at its publish time without being edited.
        return max(vacancy.updated_at, vacancy.published_at)


class PageSitemap(Sitemap):
    changefreq = "weekly"
    names = [
        "jobs:home",
        "jobs:vacancy_list",
        "candidates:send_cv",
        "candidates:contact",
        "candidates:employers",
        "candidates:privacy",
    ]

    def items(self):
        return self.names

    def location(self, name):
        return reverse(name)
