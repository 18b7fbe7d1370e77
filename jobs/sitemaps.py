from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import SitemapIndexItem, x_robots_tag
from django.template.response import TemplateResponse
from django.urls import reverse

from recruitment.site import absolute_url, site_scheme_and_domain

from .models import Sector, Vacancy


class SiteSitemap(Sitemap):
    """Addresses from SITE_URL, not from the request's Host header."""

    def get_protocol(self, protocol=None):
        return site_scheme_and_domain()[0]

    def get_domain(self, site=None):
        return site_scheme_and_domain()[1]


class LiveVacancySitemap(SiteSitemap):
    """Live jobs only: a closed or filled job drops out of the sitemap at once."""

    changefreq = "daily"
    limit = 10000

    def items(self):
        return Vacancy.objects.live().only("slug", "updated_at", "published_at").order_by("pk")

    def lastmod(self, vacancy):
        # A scheduled job goes live at its publish time without being edited.
        return max(vacancy.updated_at, vacancy.published_at)


class SectorSitemap(SiteSitemap):
    """Sectors with live jobs: a landing page with nothing on it is not worth a search."""

    changefreq = "daily"

    def items(self):
        return Sector.objects.with_live_jobs().order_by("pk")


class PageSitemap(SiteSitemap):
    changefreq = "weekly"
    names = [
        "jobs:home",
        "jobs:vacancy_list",
        "jobs:sector_list",
        "jobs:team",
        "jobs:about",
        "candidates:send_cv",
        "candidates:contact",
        "candidates:employers",
        "candidates:privacy",
        "jobs:cookies",
        "jobs:terms",
        "jobs:accessibility",
    ]

    def items(self):
        return self.names

    def location(self, name):
        return reverse(name)


@x_robots_tag
def index(request, sitemaps):
    """Django's sitemap index names each section at the request's host: ours, at SITE_URL."""
    items = []
    for section, sitemap in sitemaps.items():
        sitemap = sitemap() if callable(sitemap) else sitemap
        url = absolute_url(
            reverse("django.contrib.sitemaps.views.sitemap", kwargs={"section": section})
        )
        lastmod = sitemap.get_latest_lastmod()
        items.append(SitemapIndexItem(url, lastmod))
        pages = range(2, sitemap.paginator.num_pages + 1)
        items += [SitemapIndexItem(f"{url}?p={page}", lastmod) for page in pages]
    return TemplateResponse(
        request, "sitemap_index.xml", {"sitemaps": items}, content_type="application/xml"
    )
