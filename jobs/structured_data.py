"""schema.org JobPosting for a live job page, as search engines read it."""

import json
from datetime import datetime, time

from django.conf import settings
from django.utils import timezone
from django.utils.safestring import mark_safe

from recruitment.site import absolute_url

from .models import VacancyContractType, VacancyHours, VacancySalaryPeriod, VacancyWorkplace

EMPLOYMENT_TYPES = {
    VacancyContractType.PERMANENT: "FULL_TIME",
    VacancyContractType.CONTRACT: "CONTRACTOR",
    VacancyContractType.TEMPORARY: "TEMPORARY",
}
SALARY_UNITS = {
    VacancySalaryPeriod.YEAR: "YEAR",
    VacancySalaryPeriod.DAY: "DAY",
    VacancySalaryPeriod.HOUR: "HOUR",
}


def base_salary(vacancy):
    if vacancy.salary_min is None and vacancy.salary_max is None:
        return None
    value = {"@type": "QuantitativeValue", "unitText": SALARY_UNITS[vacancy.salary_period]}
    if vacancy.salary_min is not None:
        value["minValue"] = float(vacancy.salary_min)
    if vacancy.salary_max is not None:
        value["maxValue"] = float(vacancy.salary_max)
    return {"@type": "MonetaryAmount", "currency": vacancy.salary_currency, "value": value}


def job_posting(vacancy):
    agency = settings.AGENCY
    employer = vacancy.client.advertised_employer
    # "confidential": Google's value for an employer hiring anonymously through an agency.
    organisation = {"@type": "Organization", "name": employer} if employer else "confidential"
    types = [EMPLOYMENT_TYPES[vacancy.contract_type]]
    if vacancy.hours == VacancyHours.PART_TIME:
        types = ["PART_TIME", *[t for t in types if t != "FULL_TIME"]]
    data = {
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": vacancy.title,
        "description": vacancy.description_html,
        "datePosted": vacancy.published_at.isoformat(),
        "employmentType": types,
        "hiringOrganization": organisation,
        "jobLocation": {
            "@type": "Place",
            "address": {
                "@type": "PostalAddress",
                "addressLocality": vacancy.location,
                "addressCountry": "GB",
            },
        },
        "identifier": {
            "@type": "PropertyValue",
            "name": agency["NAME"],
            "value": vacancy.reference,
        },
        "url": absolute_url(vacancy.get_absolute_url()),
        "directApply": True,
    }
    if vacancy.closes_on:
        end = datetime.combine(vacancy.closes_on, time(23, 59), timezone.get_current_timezone())
        data["validThrough"] = end.isoformat()
    if vacancy.workplace == VacancyWorkplace.REMOTE:
        data["jobLocationType"] = "TELECOMMUTE"
        data["applicantLocationRequirements"] = {"@type": "Country", "name": "United Kingdom"}
    if salary := base_salary(vacancy):
        data["baseSalary"] = salary
    return as_script(data)


def as_script(data):
    # Escape what could close the script element or start an HTML comment inside it.
    text = json.dumps(data, ensure_ascii=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    # Safe: json.dumps quotes every value and <, > and & are escaped above.
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308  # nosec B308 B703
