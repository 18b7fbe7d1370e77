"""The XML feed job boards and aggregators read: Indeed's <source><job> format.

Every element Indeed's XML feed reference lists for a job, in its words (jobtype, remotetype)
and wrapped in CDATA as it asks; see docs/publishing.md.
"""

import re

from django.conf import settings
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.views.decorators.http import require_safe

from recruitment.site import absolute_url

from .formatting import format_salary
from .models import (
    Vacancy,
    VacancyContractType,
    VacancyHours,
    VacancySalaryPeriod,
    VacancyWorkplace,
)

# Indeed's words for <jobtype>: fulltime, parttime, contract, temporary, internship. A
# permanent job is just its hours.
JOB_TYPES = {
    VacancyContractType.PERMANENT: None,
    VacancyContractType.CONTRACT: "contract",
    VacancyContractType.TEMPORARY: "temporary",
}
HOURS = {VacancyHours.FULL_TIME: "fulltime", VacancyHours.PART_TIME: "parttime"}
# Indeed's <remotetype> values; an on-site job has none.
REMOTE_TYPES = {VacancyWorkplace.REMOTE: "Fully remote", VacancyWorkplace.HYBRID: "Hybrid remote"}
SALARY_PERIODS = {
    VacancySalaryPeriod.YEAR: "per year",
    VacancySalaryPeriod.DAY: "per day",
    VacancySalaryPeriod.HOUR: "per hour",
}
# Characters XML 1.0 cannot carry at all, even in CDATA (a pasted form feed would make the
# whole feed unreadable).
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(text):
    return NOT_XML.sub("", str(text))


def cdata(text):
    # "]]>" would end the section early: split it across two sections.
    return "<![CDATA[" + xml_text(text).replace("]]>", "]]]]><![CDATA[>") + "]]>"


def company_name(client):
    # Boards want a hiring company; a confidential client is shown as the agency.
    return client.advertised_employer or settings.AGENCY["NAME"]


def job_type(vacancy):
    words = [HOURS[vacancy.hours], JOB_TYPES[vacancy.contract_type]]
    return ", ".join(word for word in words if word)


def salary(vacancy):
    """Indeed's reading: "£40,000 - £50,000 per year", then the advert's words; nothing when
    neither figures nor words are given."""
    if vacancy.salary_min is None and vacancy.salary_max is None and not vacancy.salary_text:
        return ""
    per = SALARY_PERIODS[vacancy.salary_period]
    text = format_salary(
        vacancy.salary_min,
        vacancy.salary_max,
        per,
        vacancy.salary_currency,
        vacancy.salary_text,
    )
    return text.replace(" – ", " - ")


def job_fields(vacancy):
    """Indeed's job elements in its order; empty ones are left out."""
    agency = settings.AGENCY["NAME"]
    return [
        ("title", vacancy.title),
        ("date", vacancy.published_at.isoformat()),
        ("referencenumber", vacancy.reference),
        ("requisitionid", vacancy.reference),
        ("url", absolute_url(vacancy.get_absolute_url())),
        ("company", company_name(vacancy.client)),
        ("sourcename", agency),
        ("city", vacancy.location),
        ("state", vacancy.region),
        ("country", "GB"),
        ("postalcode", vacancy.public_postcode),
        ("description", vacancy.description_html),
        ("salary", salary(vacancy)),
        ("jobtype", job_type(vacancy)),
        ("category", vacancy.sector.name if vacancy.sector else ""),
        ("remotetype", REMOTE_TYPES.get(vacancy.workplace, "")),
        ("expirationdate", vacancy.closes_on.isoformat() if vacancy.closes_on else ""),
    ]


def job_xml(vacancy):
    # Indeed asks for every value in CDATA, and for no HTML entities anywhere.
    inner = "".join(
        f"<{name}>{cdata(value)}</{name}>" for name, value in job_fields(vacancy) if value
    )
    return f"<job>{inner}</job>\n"


def job_board_xml():
    agency = settings.AGENCY
    yield '<?xml version="1.0" encoding="utf-8"?>\n<source>\n'
    yield f"<publisher>{cdata(agency['NAME'])}</publisher>\n"
    yield f"<publisherurl>{cdata(absolute_url('/'))}</publisherurl>\n"
    yield f"<lastBuildDate>{timezone.now().isoformat()}</lastBuildDate>\n"
    vacancies = Vacancy.objects.live().select_related("client", "sector").order_by("-published_at")
    for vacancy in vacancies.iterator(chunk_size=500):
        yield job_xml(vacancy)
    yield "</source>\n"


@require_safe
def job_board_feed(request):
    """Every live job, streamed so that a large feed never sits in memory whole."""
    return StreamingHttpResponse(job_board_xml(), content_type="application/xml; charset=utf-8")
