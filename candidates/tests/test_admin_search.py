"""Consultants find people in the admin by name, email, phone or reference."""

import uuid

import pytest
from django.urls import reverse

from candidates.models import Candidate, Enquiry
from jobs.tests.factories import OpenVacancyFactory

pytestmark = pytest.mark.django_db


def person(name, email, phone="", vacancy=None, company=""):
    candidate = Candidate.objects.create(name=name, email=email, phone=phone)
    return Enquiry.objects.create(
        submission_id=uuid.uuid4(), kind="question" if vacancy else "general",
        candidate=candidate, vacancy=vacancy,
        name=name, email=email, phone=phone, company=company, notify_email="c@example.com",
    )  # fmt: skip


@pytest.fixture
def people():
    nurse_job = OpenVacancyFactory(reference="SSR-00042")
    return {
        "zoe": person("Zoë Nguyễn", "Zoe.N@Example.com", "07911 123456", nurse_job),
        "amir": person("Amir Khan", "amir@example.com", "020 7946 0000", company="Khan & Co"),
        "grace": person("Grace Okafor", "grace@example.org", "+33 1 23 45 67 89"),
    }


def found(admin_client, model, term):
    url = reverse(f"admin:candidates_{model}_changelist")
    response = admin_client.get(url, {"q": term})
    assert response.status_code == 200
    return {row.name for row in response.context["cl"].result_list}


@pytest.mark.parametrize("model", ["candidate", "enquiry"])
@pytest.mark.parametrize(
    "term, names",
    [
        ("zoe.n@example.COM", {"Zoë Nguyễn"}),  # a whole address, any case
        ("example.com", set()),  # part of an address: addresses are looked up whole
        ("khan", {"Amir Khan"}),
        ("grace OKAFOR", {"Grace Okafor"}),  # every word must match
        ("grace khan", set()),
        ("7946", {"Amir Khan"}),  # digits search the phone too
        ("  ", {"Zoë Nguyễn", "Amir Khan", "Grace Okafor"}),
    ],
)
def test_search_by_name_email_or_phone(admin_client, people, model, term, names):
    assert found(admin_client, model, term) == names


def test_enquiries_are_found_by_company_and_references(admin_client, people):
    assert found(admin_client, "enquiry", "Khan & Co") == {"Amir Khan"}
    assert found(admin_client, "enquiry", "ssr-00042") == {"Zoë Nguyễn"}
    assert found(admin_client, "enquiry", people["grace"].reference) == {"Grace Okafor"}


def test_an_email_search_reads_the_index_not_every_row(admin_client, people):
    """The lookup SQL compares lower(email) with the address, which the indexes cover."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        found(admin_client, "enquiry", "amir@example.com")
    searched = [q["sql"] for q in queries if "amir@example.com" in q["sql"]]
    assert searched and all("LIKE" not in sql.upper() for sql in searched)
