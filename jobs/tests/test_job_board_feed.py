"""The job-board XML as Indeed's XML feed reference describes it: every element it asks for,
in its words, every value in CDATA."""

import re
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from .factories import ConfidentialClientFactory, OpenVacancyFactory, SectorFactory

pytestmark = pytest.mark.django_db
JOB_TYPE_WORDS = {"fulltime", "parttime", "contract", "temporary", "internship"}
REMOTE_TYPES = {"Fully remote", "Hybrid remote", "COVID-19"}
ALWAYS = [
    "title",
    "date",
    "referencenumber",
    "requisitionid",
    "url",
    "company",
    "sourcename",
    "city",
    "country",
    "description",
    "jobtype",
]


def feed_bytes(client):
    response = client.get(reverse("jobs:feed_job_board"))
    return b"".join(response.streaming_content)


def jobs_in(client):
    root = ET.fromstring(feed_bytes(client))
    return root, {job.findtext("referencenumber"): job for job in root.iter("job")}


def test_every_job_has_every_element_indeed_requires(client, settings):
    vacancy = OpenVacancyFactory(
        location="Leeds",
        region="West Yorkshire",
        postcode="LS1 4AP",
        closes_on="2099-01-31",
        sector=SectorFactory(name="Healthcare"),
    )
    root, jobs = jobs_in(client)
    assert root.findtext("publisher") == "Sam Small Recruitment"
    assert root.findtext("publisherurl") == f"{settings.SITE_URL}/"
    job = jobs[vacancy.reference]
    for name in ALWAYS:
        assert job.findtext(name), name
    assert job.findtext("requisitionid") == vacancy.reference
    assert job.findtext("sourcename") == "Sam Small Recruitment"
    assert job.findtext("city") == "Leeds"
    assert job.findtext("state") == "West Yorkshire"
    assert job.findtext("postalcode") == "LS1 4AP"
    assert job.findtext("country") == "GB"
    assert job.findtext("category") == "Healthcare"
    assert job.findtext("expirationdate") == "2099-01-31"
    assert job.findtext("salary") == "£40,000 - £50,000 per year"


def test_address_parts_not_recorded_are_left_out_not_sent_empty(client):
    vacancy = OpenVacancyFactory(sector=None)
    _, jobs = jobs_in(client)
    job = jobs[vacancy.reference]
    for name in ("state", "postalcode", "category", "expirationdate", "remotetype"):
        assert job.find(name) is None, name


@pytest.mark.parametrize(
    ("contract_type", "hours", "words"),
    [
        ("permanent", "full_time", "fulltime"),
        ("permanent", "part_time", "parttime"),
        ("contract", "full_time", "fulltime, contract"),
        ("temporary", "part_time", "parttime, temporary"),
    ],
)
def test_job_type_is_in_indeeds_words(client, contract_type, hours, words):
    vacancy = OpenVacancyFactory(contract_type=contract_type, hours=hours)
    _, jobs = jobs_in(client)
    job_type = jobs[vacancy.reference].findtext("jobtype")
    assert job_type == words
    assert set(job_type.split(", ")) <= JOB_TYPE_WORDS


@pytest.mark.parametrize(
    ("workplace", "remote_type"),
    [("remote", "Fully remote"), ("hybrid", "Hybrid remote"), ("on_site", None)],
)
def test_remote_type_is_one_of_indeeds_values(client, workplace, remote_type):
    vacancy = OpenVacancyFactory(workplace=workplace)
    _, jobs = jobs_in(client)
    assert jobs[vacancy.reference].findtext("remotetype") == remote_type
    assert remote_type is None or remote_type in REMOTE_TYPES


@pytest.mark.parametrize(
    ("fields", "salary"),
    [
        ({"salary_period": "day", "salary_min": 450, "salary_max": 450}, "£450 per day"),
        ({"salary_period": "hour", "salary_min": 18.5, "salary_max": None}, "From £18.50 per hour"),
        (
            {"salary_min": 40000, "salary_max": 50000, "salary_text": "Plus bonus"},
            "£40,000 - £50,000 per year, plus bonus",
        ),
        ({"salary_min": None, "salary_max": None, "salary_text": "Competitive"}, "Competitive"),
        ({"salary_min": None, "salary_max": None}, None),
    ],
)
def test_salary_reads_as_indeed_expects(client, fields, salary):
    vacancy = OpenVacancyFactory(**fields)
    _, jobs = jobs_in(client)
    assert jobs[vacancy.reference].findtext("salary") == salary


def test_every_value_is_in_cdata_and_no_entity_appears(client):
    OpenVacancyFactory(title="R&D Lead ]]> 1 < 2 & more", closes_on="2099-01-31", region="Kent")
    raw = feed_bytes(client).decode()
    [job_text] = re.findall(r"<job>.*?</job>", raw, re.S)
    # What each element holds, its CDATA sections emptied: an element, or text.
    outline = re.sub(r"<!\[CDATA\[.*?\]\]>", "<![CDATA[]]>", job_text, flags=re.S)
    opened = re.findall(r"<(\w+)>(<!\[CDATA\[)?", outline)
    assert len(opened) > len(ALWAYS)
    assert [name for name, cdata in opened if not cdata] == ["job"], outline
    assert "<publisher><![CDATA[" in raw and "<publisherurl><![CDATA[" in raw
    assert "&amp;" not in raw and "&lt;" not in raw
    _, jobs = jobs_in(client)
    [job] = jobs.values()
    assert job.findtext("title") == "R&D Lead ]]> 1 < 2 & more"


def test_characters_xml_cannot_carry_are_dropped_not_fatal(client):
    OpenVacancyFactory(title="Nurse\x0cManager", summary="Shifts\x0b")
    OpenVacancyFactory(title="Porter")
    _, jobs = jobs_in(client)
    assert {job.findtext("title") for job in jobs.values()} == {"NurseManager", "Porter"}


def test_a_confidential_client_is_never_named(client):
    OpenVacancyFactory(client=ConfidentialClientFactory())
    raw = feed_bytes(client).decode()
    assert "Hidden Healthcare" not in raw
    assert "<company><![CDATA[Sam Small Recruitment]]></company>" in raw


def test_a_confidential_clients_postcode_is_never_published(client):
    OpenVacancyFactory(client=ConfidentialClientFactory(), postcode="EC1A 1BB", region="London")
    raw = feed_bytes(client).decode()
    assert "EC1A 1BB" not in raw and "<state><![CDATA[London]]></state>" in raw
