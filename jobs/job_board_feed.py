"""The XML feed job boards and aggregators read (the common <source><job> format)."""

from xml.sax.saxutils import escape

from django.conf import settings
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.views.decorators.http import require_safe

from recruitment.site import absolute_url

from .models import Vacancy, VacancyContractType, VacancyHours, VacancyWorkplace

JOB_TYPES = {
    VacancyContractType.PERMANENT: "permanent",
    VacancyContractType.CONTRACT: "contract",
    VacancyContractType.TEMPORARY: "temporary",
}


def cdata(text):
    # "]]>" would end the section early: split it across two sections.
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def company_name(client):
    # Boards want a hiring company; a confidential client is shown as the agency.
    return client.advertised_employer or settings.AGENCY["NAME"]


def job_xml(vacancy):
    hours = "fulltime" if vacancy.hours == VacancyHours.FULL_TIME else "parttime"
    fields = [
        ("title", cdata(vacancy.title)),
        ("date", escape(vacancy.published_at.isoformat())),
        ("referencenumber", escape(vacancy.reference)),
        ("url", escape(absolute_url(vacancy.get_absolute_url()))),
        ("company", cdata(company_name(vacancy.client))),
        ("city", cdata(vacancy.location)),
        ("country", "GB"),
        ("description", cdata(vacancy.description_html)),
        ("salary", cdata(vacancy.salary_display)),
        ("jobtype", f"{hours}, {JOB_TYPES[vacancy.contract_type]}"),
        ("category", cdata(vacancy.sector.name if vacancy.sector else "")),
        ("remotetype", "remote" if vacancy.workplace == VacancyWorkplace.REMOTE else ""),
        ("expirationdate", vacancy.closes_on.isoformat() if vacancy.closes_on else ""),
    ]
    inner = "".join(f"<{name}>{value}</{name}>" for name, value in fields if value)
    return f"<job>{inner}</job>\n"


def job_board_xml():
    agency = settings.AGENCY
    yield '<?xml version="1.0" encoding="utf-8"?>\n<source>\n'
    yield f"<publisher>{escape(agency['NAME'])}</publisher>\n"
    yield f"<publisherurl>{escape(absolute_url('/'))}</publisherurl>\n"
    yield f"<lastBuildDate>{timezone.now().isoformat()}</lastBuildDate>\n"
    vacancies = Vacancy.objects.live().select_related("client", "sector").order_by("-published_at")
    for vacancy in vacancies.iterator(chunk_size=500):
        yield job_xml(vacancy)
    yield "</source>\n"


@require_safe
def job_board_feed(request):
    """Every live job, streamed so that a large feed never sits in memory whole."""
    return StreamingHttpResponse(job_board_xml(), content_type="application/xml; charset=utf-8")
