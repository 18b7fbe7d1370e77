"""Property-based tests: random and hostile input never gets a 500, and never half-saves."""

import uuid

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from candidates.models import Candidate, Enquiry, JobAlert
from jobs.tests.factories import OpenVacancyFactory

pytestmark = pytest.mark.django_db

HOSTILE = st.sampled_from(
    [
        "",
        " ",
        "\x00",
        "\u202e",
        "<script>alert(1)</script>",
        "' OR 1=1 --",
        '"; DROP TABLE x;',
        "../../etc/passwd",
        "%00",
        "😀" * 50,
        "x" * 10_000,
        "=cmd|'/c calc'!A1",
        "\r\nBcc: x@y.z",
    ]
)
TEXT = st.one_of(st.text(max_size=300), HOSTILE)
FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
FIELDS = [
    "name",
    "email",
    "phone",
    "message",
    "consent",
    "company",
    "sector",
    "request",
    "website",
    "submission_id",
    "link",
    "frequency",
    "search",
]


@pytest.fixture(autouse=True)
def no_rate_limit(settings):
    # Every example posts from the same address: the limit would soon answer them all with 429.
    settings.FORM_RATE_LIMIT = 10**6


def saved():
    return Enquiry.objects.count(), Candidate.objects.count(), JobAlert.objects.count()


@pytest.fixture
def vacancy():
    return OpenVacancyFactory()


@pytest.fixture
def public_forms(vacancy):
    return [
        reverse("candidates:enquire", args=[vacancy.slug]),
        reverse("candidates:send_cv"),
        reverse("candidates:contact"),
        reverse("candidates:employers"),
        reverse("candidates:privacy_request"),
        reverse("candidates:alert_subscribe"),
        reverse("candidates:space_sign_in"),
        reverse("candidates:space_sign_in_link", args=["made-up"]),
        reverse("candidates:space_save", args=[vacancy.slug]),
    ]


@FUZZ
@given(data=st.fixed_dictionaries({}, optional=dict.fromkeys(FIELDS, TEXT)))
def test_public_forms_never_fail_or_half_save(public_forms, data):
    client = Client()
    for url in public_forms:
        before = saved()
        response = client.post(url, data)
        assert response.status_code < 500, (url, data)
        if response.status_code != 302:
            assert saved() == before, (url, data)


@FUZZ
@given(data=st.fixed_dictionaries({}, optional=dict.fromkeys(FIELDS, TEXT)))
def test_a_valid_submission_with_hostile_extras_saves_once(vacancy, data):
    client = Client(REMOTE_ADDR=f"10.0.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}")
    base = {
        "name": "Zoë",
        "email": "zoe@example.com",
        "consent": "on",
        "message": "Hello",
        "submission_id": str(uuid.uuid4()),
    }
    before = Enquiry.objects.count()
    response = client.post(reverse("candidates:enquire", args=[vacancy.slug]), {**data, **base})
    assert response.status_code in (302, 400)
    assert Enquiry.objects.count() == before + (1 if response.status_code == 302 else 0)


QUERY_KEYS = [
    "q",
    "sector",
    "location",
    "workplace",
    "contract_type",
    "hours",
    "salary",
    "posted",
    "sort",
    "page",
]


@FUZZ
@given(params=st.fixed_dictionaries({}, optional=dict.fromkeys(QUERY_KEYS, TEXT)))
def test_job_list_and_feeds_never_fail(vacancy, params):
    client = Client()
    for url in (reverse("jobs:vacancy_list"), reverse("jobs:feed_rss"), reverse("jobs:home")):
        assert client.get(url, params).status_code < 500, (url, params)
