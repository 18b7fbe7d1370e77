"""JobPosting JSON-LD against Google's published rules for job postings: the required and
recommended properties, each in the type and words Google reads, wherever the agency has the
data. Google's Rich Results Test is a web service; its rules are asserted here instead."""

import json
import re
from datetime import datetime

import pytest

from .factories import ConfidentialClientFactory, OpenVacancyFactory

pytestmark = pytest.mark.django_db
JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)
EMPLOYMENT_TYPES = {
    "FULL_TIME",
    "PART_TIME",
    "CONTRACTOR",
    "TEMPORARY",
    "INTERN",
    "VOLUNTEER",
    "PER_DIEM",
    "OTHER",
}
UNITS = {"HOUR", "DAY", "WEEK", "MONTH", "YEAR"}


def job_posting(client, vacancy):
    html = client.get(vacancy.get_absolute_url()).content.decode()
    return json.loads(JSON_LD.search(html)[1])


def warnings(posting):
    """What Google's rules would flag, as a list of short messages (empty: none)."""
    found = []
    for name in ("title", "description", "datePosted", "hiringOrganization", "jobLocation"):
        if not posting.get(name):
            found.append(f"missing {name}")
    organisation = posting.get("hiringOrganization")
    if organisation != "confidential" and not (
        isinstance(organisation, dict)
        and organisation.get("@type") == "Organization"
        and organisation.get("name")
    ):
        found.append("hiringOrganization is neither an Organization nor 'confidential'")
    address = (posting.get("jobLocation") or {}).get("address", {})
    if address.get("@type") != "PostalAddress":
        found.append("jobLocation.address is not a PostalAddress")
    if not re.fullmatch(r"[A-Z]{2}", address.get("addressCountry", "")):
        found.append("addressCountry is not a two-letter country code")
    try:
        datetime.fromisoformat(posting["datePosted"])
    except (KeyError, ValueError):
        found.append("datePosted is not ISO 8601")
    types = posting.get("employmentType", [])
    if not types or not set(types) <= EMPLOYMENT_TYPES:
        found.append(f"employmentType {types!r}")
    identifier = posting.get("identifier", {})
    if identifier.get("@type") != "PropertyValue" or not identifier.get("value"):
        found.append("identifier is not a PropertyValue with a value")
    if salary := posting.get("baseSalary"):
        value = salary.get("value", {})
        if salary.get("@type") != "MonetaryAmount" or not re.fullmatch(
            r"[A-Z]{3}", salary.get("currency", "")
        ):
            found.append("baseSalary is not a MonetaryAmount with a currency")
        if value.get("@type") != "QuantitativeValue" or value.get("unitText") not in UNITS:
            found.append("baseSalary.value is not a QuantitativeValue with a unitText")
        figures = [value.get(key) for key in ("value", "minValue", "maxValue") if key in value]
        if not figures or not all(isinstance(figure, int | float) for figure in figures):
            found.append("baseSalary has no numeric value")
        if "value" in value and ("minValue" in value or "maxValue" in value):
            found.append("baseSalary has both a value and a range")
    if "validThrough" in posting:
        try:
            datetime.fromisoformat(posting["validThrough"])
        except ValueError:
            found.append("validThrough is not ISO 8601")
    if posting.get("jobLocationType") == "TELECOMMUTE" and not posting.get(
        "applicantLocationRequirements"
    ):
        found.append("remote job without applicantLocationRequirements")
    return found


def test_a_fully_described_job_has_no_warnings_and_every_address_part(client):
    vacancy = OpenVacancyFactory(
        location="Leeds", region="West Yorkshire", postcode="LS1 4AP", closes_on="2099-01-31"
    )
    posting = job_posting(client, vacancy)
    assert warnings(posting) == []
    assert posting["jobLocation"]["address"] == {
        "@type": "PostalAddress",
        "addressLocality": "Leeds",
        "addressRegion": "West Yorkshire",
        "postalCode": "LS1 4AP",
        "addressCountry": "GB",
    }
    assert posting["validThrough"].startswith("2099-01-31T23:59")


def test_address_parts_not_recorded_are_left_out_not_empty(client):
    address = job_posting(client, OpenVacancyFactory())["jobLocation"]["address"]
    assert "addressRegion" not in address and "postalCode" not in address


@pytest.mark.parametrize(
    ("fields", "value"),
    [
        (
            {"salary_min": 40000, "salary_max": 50000},
            {"minValue": 40000.0, "maxValue": 50000.0, "unitText": "YEAR"},
        ),
        (
            {"salary_min": 450, "salary_max": 450, "salary_period": "day"},
            {"value": 450.0, "unitText": "DAY"},
        ),
        (
            {"salary_min": 18.5, "salary_max": None, "salary_period": "hour"},
            {"minValue": 18.5, "unitText": "HOUR"},
        ),
    ],
)
def test_salary_is_a_monetary_amount_with_a_unit(client, fields, value):
    posting = job_posting(client, OpenVacancyFactory(**fields))
    assert warnings(posting) == []
    assert posting["baseSalary"] == {
        "@type": "MonetaryAmount",
        "currency": "GBP",
        "value": {"@type": "QuantitativeValue", **value},
    }


def test_no_figures_means_no_base_salary_rather_than_an_empty_one(client):
    vacancy = OpenVacancyFactory(salary_min=None, salary_max=None, salary_text="Competitive")
    posting = job_posting(client, vacancy)
    assert "baseSalary" not in posting and warnings(posting) == []


@pytest.mark.parametrize(
    ("contract_type", "hours", "types"),
    [
        ("permanent", "full_time", ["FULL_TIME"]),
        ("permanent", "part_time", ["PART_TIME"]),
        ("contract", "full_time", ["FULL_TIME", "CONTRACTOR"]),
        ("temporary", "part_time", ["PART_TIME", "TEMPORARY"]),
    ],
)
def test_employment_type_is_in_googles_words(client, contract_type, hours, types):
    posting = job_posting(client, OpenVacancyFactory(contract_type=contract_type, hours=hours))
    assert posting["employmentType"] == types


def test_a_remote_job_is_telecommute_with_where_applicants_may_live(client):
    posting = job_posting(client, OpenVacancyFactory(workplace="remote"))
    assert posting["jobLocationType"] == "TELECOMMUTE"
    assert posting["applicantLocationRequirements"] == {
        "@type": "Country",
        "name": "United Kingdom",
    }
    assert warnings(posting) == []


def test_a_confidential_clients_job_has_no_warnings(client):
    posting = job_posting(client, OpenVacancyFactory(client=ConfidentialClientFactory()))
    assert posting["hiringOrganization"] == "confidential"
    assert warnings(posting) == []


def test_text_from_the_advert_cannot_end_the_script_element(client):
    vacancy = OpenVacancyFactory(
        title="Nurse </script><!-- x", region="</SCRIPT>", postcode="<b>", salary_text="&amp;"
    )
    html = client.get(vacancy.get_absolute_url()).content.decode()
    [script] = JSON_LD.findall(html)
    assert "<" not in script and ">" not in script and "&" not in script
    posting = json.loads(script)
    assert posting["title"] == "Nurse </script><!-- x"
    assert posting["jobLocation"]["address"]["addressRegion"] == "</SCRIPT>"


def test_a_confidential_clients_postcode_is_left_out(client):
    vacancy = OpenVacancyFactory(client=ConfidentialClientFactory(), postcode="EC1A 1BB")
    assert "postalCode" not in job_posting(client, vacancy)["jobLocation"]["address"]
