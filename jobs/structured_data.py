"""schema.org JobPosting for a live job page, as search engines read it."""

import json
from datetime import datetime, time

from django.conf import settings
from django.utils import timezone
from django.utils.safestring import mark_safe

from recruitment.site import absolute_url

from .models import VacancyContractType, VacancyHours, VacancySalaryPeriod, VacancyWorkplace

# Google's employmentType words: the hours, then the kind of contract unless permanent.
EMPLOYMENT_TYPES = {
    VacancyContractType.PERMANENT: None,
    VacancyContractType.CONTRACT: "CONTRACTOR",
    VacancyContractType.TEMPORARY: "TEMPORARY",
}
HOURS = {VacancyHours.FULL_TIME: "FULL_TIME", VacancyHours.PART_TIME: "PART_TIME"}
SALARY_UNITS = {
    VacancySalaryPeriod.YEAR: "YEAR",
    VacancySalaryPeriod.DAY: "DAY",
    VacancySalaryPeriod.HOUR: "HOUR",
}


def base_salary(vacancy):
    """A MonetaryAmount of a QuantitativeValue: one figure as `value`, a range as
    minValue/maxValue, always with its unitText."""
    low, high = vacancy.salary_min, vacancy.salary_max
    if low is None and high is None:
        return None
    value = {"@type": "QuantitativeValue", "unitText": SALARY_UNITS[vacancy.salary_period]}
    if low is not None and low == high:
        value["value"] = float(low)
    else:
        if low is not None:
            value["minValue"] = float(low)
        if high is not None:
            value["maxValue"] = float(high)
    return {"@type": "MonetaryAmount", "currency": vacancy.salary_currency, "value": value}


def postal_address(vacancy):
    """The address parts the agency records; Google warns about each one missing."""
    address = {"@type": "PostalAddress", "addressLocality": vacancy.location}
    if vacancy.region:
        address["addressRegion"] = vacancy.region
    if vacancy.public_postcode:
        address["postalCode"] = vacancy.public_postcode
    address["addressCountry"] = "GB"
    return address


def employment_types(vacancy):
    types = [HOURS[vacancy.hours], EMPLOYMENT_TYPES[vacancy.contract_type]]
    return [kind for kind in types if kind]


def job_posting(vacancy):
    agency = settings.AGENCY
    employer = vacancy.client.advertised_employer
    # "confidential": Google's value for an employer hiring anonymously through an agency.
    organisation = {"@type": "Organization", "name": employer} if employer else "confidential"
    data = {
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": vacancy.title,
        "description": vacancy.description_html,
        "datePosted": vacancy.published_at.isoformat(),
        "employmentType": employment_types(vacancy),
        "hiringOrganization": organisation,
        "jobLocation": {"@type": "Place", "address": postal_address(vacancy)},
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
