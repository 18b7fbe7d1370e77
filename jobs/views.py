from urllib.parse import urlencode

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe
from django.views.generic import ListView

from .models import Sector, Vacancy
from .structured_data import job_posting

MAX_QUERY_LENGTH = 200


def clean_query(text):
    """Keywords as typed, without control characters (PostgreSQL refuses NUL) or excess length."""
    printable = "".join(char if char.isprintable() else " " for char in text)
    return " ".join(printable.split())[:MAX_QUERY_LENGTH]


@require_safe
def home(request):
    live = Vacancy.objects.live().for_listing().newest_first()
    context = {
        "featured": live.featured()[:3],
        "latest": live[:6],
        "sectors": Sector.objects.with_live_jobs(),
    }
    return render(request, "jobs/home.html", context)


class VacancyListView(ListView):
    template_name = "jobs/vacancy_list.html"
    context_object_name = "vacancies"
    paginate_by = settings.JOBS_PER_PAGE
    http_method_names = ["get", "head"]

    def get(self, request, *args, **kwargs):
        self.query = clean_query(request.GET.get("q", ""))
        self.sectors = list(Sector.objects.with_live_jobs())
        slug = request.GET.get("sector", "")
        self.sector = next((sector for sector in self.sectors if sector.slug == slug), None)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        vacancies = Vacancy.objects.live().for_listing().newest_first()
        if self.sector:
            vacancies = vacancies.in_sector(self.sector)
        if self.query:
            vacancies = vacancies.search(self.query)
        return vacancies

    def get_context_data(self, **kwargs):
        filters = {"q": self.query, "sector": self.sector.slug if self.sector else ""}
        return super().get_context_data(
            query=self.query,
            sectors=self.sectors,
            sector=self.sector,
            filter_query=urlencode({key: value for key, value in filters.items() if value}),
            **kwargs,
        )


@require_safe
def vacancy_detail(request, slug):
    vacancy = get_object_or_404(
        Vacancy.objects.select_related("client", "consultant", "sector"), slug=slug
    )
    if vacancy.is_live:
        context = {"vacancy": vacancy, "structured_data": job_posting(vacancy, request)}
        return render(request, "jobs/vacancy_detail.html", context)
    if request.user.is_staff:
        return render(request, "jobs/vacancy_detail.html", {"vacancy": vacancy, "preview": True})
    if vacancy.has_ended:
        similar = Vacancy.objects.live().for_listing().newest_first()
        if vacancy.sector_id:
            similar = similar.in_sector(vacancy.sector_id)
        context = {"vacancy": vacancy, "similar": similar[:5]}
        return render(request, "jobs/vacancy_ended.html", context)
    raise Http404("No vacancy found")


@require_safe
def robots_txt(request):
    context = {"admin_url": settings.ADMIN_URL}
    return render(request, "robots.txt", context, content_type="text/plain")
