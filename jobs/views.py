from contextlib import suppress
from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.decorators.http import require_safe
from django.views.generic import ListView, TemplateView

from accounts.staff import is_verified_staff
from recruitment.page_cache import cache_public_page
from recruitment.shared_cache import remember
from recruitment.site import absolute_url

from . import places, search_page
from .cards import keeps_job_cards
from .models import Consultant, Sector, Vacancy
from .search import SEARCH_PARAMS, JobSearch
from .structured_data import job_posting


@require_safe
@cache_public_page
@keeps_job_cards
def home(request):
    live = Vacancy.objects.live().for_listing().newest_first()
    context = {
        "featured": live.featured()[:3],
        "latest": live[:6],
        "sectors": remember(
            "home-sectors", lambda: list(Sector.objects.with_live_jobs().order_by("name"))
        ),
    }
    return render(request, "jobs/home.html", context)


def search_query(request):
    """The search parameters a search page or feed reads, sorted, blank ones left out.

    Tracking tags (utm_*, fbclid...) and unknown keys make no copy of their own. Cheaper
    than parsing the search: it runs on every visit to a cached page.
    """
    given = ((name, request.GET.get(name, "").strip()) for name in SEARCH_PARAMS)
    return urlencode(sorted((name, value) for name, value in given if value))


def search_page_query(request):
    """The search and the page number: `?page=01&utm_source=x` is page 1 of all jobs."""
    page = request.GET.get("page") or "1"
    with suppress(ValueError):  # "last" stays as it is; anything else is a 404
        page = str(int(page))
    return f"{search_query(request)}&page={page}" if page != "1" else search_query(request)


@method_decorator(cache_public_page(query=search_page_query), name="dispatch")
@method_decorator(keeps_job_cards, name="dispatch")
class VacancyListView(ListView):
    template_name = "jobs/vacancy_list.html"
    context_object_name = "vacancies"
    paginate_by = settings.JOBS_PER_PAGE
    http_method_names = ["get", "head"]

    def get(self, request, *args, **kwargs):
        self.search = JobSearch.from_params(request.GET)
        self.typed = None  # the search as typed, when its typos were corrected
        if corrected := self.search.corrected():
            self.typed, self.search = self.search, corrected
        self.facets = self.search.facets
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return self.search.results()

    def get_paginator(self, *args, **kwargs):
        paginator = super().get_paginator(*args, **kwargs)
        paginator.count = self.facets["total"]  # counted with the facets: one query fewer
        return paginator

    def get_context_data(self, **kwargs):
        facets = self.facets
        sector_names = {slug: name for slug, name, _ in facets["sector"]}
        applied = search_page.applied_filters(self.search, facets)
        context = super().get_context_data(
            search=self.search,
            filter_groups=search_page.filter_groups(self.search, facets),
            sort_links=search_page.sort_links(self.search),
            applied_filters=applied,
            active_filters=sum(1 for applied_filter in applied if applied_filter.name != "q"),
            removable_filters=search_page.removable_filters(self.search),
            sector_name=sector_names.get(self.search.sector, ""),
            page_query=self.search.querystring(),
            typed=self.typed,
            typed_query=self.typed.querystring(as_typed="1") if self.typed else "",
            within_options=search_page.within_options(self.search),
            **kwargs,
        )
        self.label_distances(context["vacancies"])
        return context

    def label_distances(self, vacancies):
        """How far each job on the page is from the town searched near."""
        if place := self.search.place:
            for vacancy in vacancies:
                miles = places.miles_between(
                    place.latitude, place.longitude, vacancy.latitude, vacancy.longitude
                )
                vacancy.distance_label = places.distance_label(miles)


@require_safe
@cache_public_page
def vacancy_detail(request, slug):
    vacancy = get_object_or_404(
        Vacancy.objects.select_related("client", "consultant", "sector"), slug=slug
    )
    if vacancy.is_live:
        context = {"vacancy": vacancy, "structured_data": job_posting(vacancy)}
        return render(request, "jobs/vacancy_detail.html", context)
    if is_verified_staff(request):
        return render(request, "jobs/vacancy_detail.html", {"vacancy": vacancy, "preview": True})
    if vacancy.has_ended:
        context = {"vacancy": vacancy, "similar": vacancy.similar_live_jobs()}
        status = 410 if vacancy.is_gone else 200
        return render(request, "jobs/vacancy_ended.html", context, status=status)
    raise Http404("No vacancy found")


# Jobs on a sector's page; the rest are a search away.
SECTOR_PAGE_JOBS = 10


@require_safe
@cache_public_page
def sector_list(request):
    sectors = Sector.objects.with_live_counts().select_related("lead_consultant").order_by("name")
    return render(request, "jobs/sector_list.html", {"sectors": sectors})


@require_safe
@cache_public_page
@keeps_job_cards
def sector_detail(request, slug):
    sector = get_object_or_404(
        Sector.objects.with_live_counts().select_related("lead_consultant"), slug=slug
    )
    context = {
        "sector": sector,
        "jobs": Vacancy.objects.live()
        .in_sector(sector)
        .for_listing()
        .newest_first()[:SECTOR_PAGE_JOBS],
        "consultants": Consultant.objects.recruiting_in(sector),
    }
    return render(request, "jobs/sector_detail.html", context)


@require_safe
@cache_public_page
def team(request):
    consultants = Consultant.objects.team()
    return render(request, "jobs/team.html", {"consultants": consultants})


def agency_page(template_name):
    """A page of the agency's own words: the same for every visitor, and no queries."""
    return require_safe(cache_public_page(TemplateView.as_view(template_name=template_name)))


@require_safe
def robots_txt(request):
    # The admin is not named: robots.txt is public, and a moved admin's address is a secret.
    # Its pages say noindex themselves.
    context = {"sitemap_url": absolute_url(reverse("sitemap_index"))}
    return render(request, "robots.txt", context, content_type="text/plain")
