from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path

from jobs.sitemaps import LiveVacancySitemap, PageSitemap, SectorSitemap, index
from recruitment import health

sitemaps = {"pages": PageSitemap, "sectors": SectorSitemap, "jobs": LiveVacancySitemap}

# The public pages first: Django tries each pattern in turn, and most requests are for them.
urlpatterns = [
    path("", include("jobs.urls")),
    path("", include("candidates.urls")),
    path("", include("pipeline.urls")),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("sitemap.xml", index, {"sitemaps": sitemaps}, name="sitemap_index"),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": sitemaps},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    path(settings.ADMIN_URL, admin.site.urls),
]

if settings.DEBUG:
    # Consultants' photos; in production the web server serves MEDIA_ROOT (DEPLOY.md).
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
