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
        submission_id=uuid.uuid4(),
        kind="question" if vacancy else "general",
        candidate=candidate,
        vacancy=vacancy,
        name=name,
        email=email,
        phone=phone,
        company=company,
        notify_email="c@example.com",
    )


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


def test_candidates_filter_by_the_notice_they_agreed_to(admin_client, people, settings):
    Candidate.objects.filter(name="Amir Khan").update(consent_version="2025-01")
    Candidate.objects.filter(name="Grace Okafor").update(consent_version="")
    Candidate.objects.filter(name="Zoë Nguyễn").update(consent_version="2026-11")
    settings.PRIVACY_NOTICE_VERSION = "2026-11"
    url = reverse("admin:candidates_candidate_changelist")
    chosen = {
        value: {c.name for c in admin_client.get(url, {"consent": value}).context["cl"].result_list}
        for value in ("current", "older", "none")
    }
    assert chosen == {"current": {"Zoë Nguyễn"}, "older": {"Amir Khan"}, "none": {"Grace Okafor"}}


def test_enquiries_filter_by_job_offering_the_consultants_own(client, people):
    from django.contrib.auth.models import Group

    from jobs.tests.factories import ConsultantFactory, StaffUserFactory

    user = StaffUserFactory()
    user.groups.add(Group.objects.get(name="Consultant"))
    consultant = ConsultantFactory(user=user)
    own_job = OpenVacancyFactory(consultant=consultant, title="Ward Sister")
    person("Ola Own", "ola@example.com", vacancy=own_job)
    client.force_login(user)
    url = reverse("admin:candidates_enquiry_changelist")
    page = client.get(url, {"whose": "all"}).content.decode()
    nurse_job = people["zoe"].vacancy
    assert f"{own_job.reference} Ward Sister" in page  # their own job is offered
    assert f"{nurse_job.reference} {nurse_job.title}" not in page  # a colleague's is not
    response = client.get(url, {"whose": "all", "vacancy": nurse_job.pk})
    assert [e.name for e in response.context["cl"].result_list] == ["Zoë Nguyễn"]
    assert f"{nurse_job.reference} {nurse_job.title}" in response.content.decode()  # named
    assert client.get(url, {"vacancy": "nonsense"}).status_code == 200


def test_postgresql_answers_name_searches_from_trigram_indexes():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no trigram indexes; it scans")
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname FROM pg_indexes WHERE indexname LIKE '%%_trgm'")
        names = {row[0] for row in cursor.fetchall()}
    assert {
        "candidates_candidate_name_trgm",
        "candidates_enquiry_name_trgm",
        "candidates_enquiry_company_trgm",
    } <= names
