"""Consultants find candidates by the words of their CVs, current or past."""

import pytest
from django.urls import reverse

from candidates.models import Candidate, CandidateCV
from jobs.tests.factories import OpenVacancyFactory

from .factories import CandidateFactory, docx_with_text, enquire, pdf_with_text

pytestmark = pytest.mark.django_db


def found(admin_client, term):
    url = reverse("admin:candidates_candidate_changelist")
    response = admin_client.get(url, {"q": term})
    assert response.status_code == 200
    return {row.name for row in response.context["cl"].result_list}


def version(name, text, current=False):
    candidate = Candidate.objects.filter(name=name).first() or CandidateFactory(name=name)
    return CandidateCV.objects.create(
        candidate=candidate,
        file="cvs/x.pdf",
        text=text,
        text_status="extracted",
        is_current=current,
    )


@pytest.fixture
def people():
    version("Zoë Nguyễn", "Registered nurse. Intensive care unit, Leeds General Infirmary.")
    version("Zoë Nguyễn", "Python developer, Django and PostgreSQL.", current=True)
    version("Amir Khan", "Chartered accountant in Bristol; audit and tax.")
    version("Grace Okafor", "Nursing assistant, care homes in Leeds.")


@pytest.mark.parametrize(
    ("term", "names"),
    [
        ("python", {"Zoë Nguyễn"}),  # the current CV
        ("intensive care", {"Zoë Nguyễn"}),  # an older CV
        ("nurses", {"Zoë Nguyễn", "Grace Okafor"}),  # stemmed: nurse, nursing
        ("accountants", {"Amir Khan"}),
        ("leeds", {"Zoë Nguyễn", "Grace Okafor"}),
        ("leeds audit", set()),  # every word, in one CV
        ("python intensive", set()),
        ("Khan", {"Amir Khan"}),  # names still work
        ('"audit" AND tax*', {"Amir Khan"}),  # search syntax is just words
        ("NEAR(audit", set()),
    ],
)
def test_candidates_are_found_by_the_words_of_any_of_their_cvs(admin_client, people, term, names):
    assert found(admin_client, term) == names


def test_an_email_address_is_still_looked_up_whole(admin_client, people):
    Candidate.objects.filter(name="Amir Khan").update(email="amir@leeds.example")
    assert found(admin_client, "amir@leeds.example") == {"Amir Khan"}
    assert found(admin_client, "leeds.example") == set()


def test_an_uploaded_cv_is_found_by_its_words(admin_client, client):
    vacancy = OpenVacancyFactory()
    enquire(client, vacancy, cv=pdf_with_text("Paediatric physiotherapist"))
    enquire(client, vacancy, email="ana@example.com", name="Ana", cv=docx_with_text("Welder"))
    assert found(admin_client, "physiotherapist") == {"Zoë Nguyễn"}
    assert found(admin_client, "welders") == {"Ana"}


def test_the_index_follows_changed_and_deleted_text(admin_client, people):
    amir = CandidateCV.objects.get(candidate__name="Amir Khan")
    amir.record_text("extracted", "Payroll clerk")
    assert found(admin_client, "accountant") == set()
    assert found(admin_client, "payroll") == {"Amir Khan"}
    amir.delete()
    assert found(admin_client, "payroll") == set()
