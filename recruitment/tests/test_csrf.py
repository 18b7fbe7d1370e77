"""CSRF tokens from recruitment.csrf are Django's own: Django's middleware checks them."""

import re

import pytest
from django.middleware import csrf as django_csrf
from django.test import Client, RequestFactory
from django.urls import reverse

from candidates.models import Enquiry
from jobs.tests.factories import OpenVacancyFactory
from recruitment import csrf

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def test_a_token_unmasks_to_the_visitors_secret_with_a_new_mask_each_time():
    request = RequestFactory().get("/")
    first, second = csrf.get_token(request), csrf.get_token(request)
    secret = request.META["CSRF_COOKIE"]
    assert len(secret) == django_csrf.CSRF_SECRET_LENGTH
    assert len(first) == len(second) == django_csrf.CSRF_TOKEN_LENGTH
    assert set(first + second + secret) <= set(django_csrf.CSRF_ALLOWED_CHARS)
    assert first != second
    assert django_csrf._unmask_cipher_token(first) == secret
    assert django_csrf._unmask_cipher_token(second) == secret
    assert request.META["CSRF_COOKIE_NEEDS_UPDATE"] is True


def test_a_returning_visitor_keeps_their_secret():
    request = RequestFactory().get("/")
    request.META["CSRF_COOKIE"] = known = django_csrf._get_new_csrf_string()
    assert django_csrf._unmask_cipher_token(csrf.get_token(request)) == known
    assert request.META["CSRF_COOKIE"] == known


def test_random_strings_use_the_whole_alphabet_and_differ():
    strings = [csrf.random_string() for _ in range(2_000)]
    assert len(set(strings)) == len(strings)
    assert set("".join(strings)) == set(django_csrf.CSRF_ALLOWED_CHARS)


@pytest.mark.django_db
@pytest.mark.parametrize("cache_seconds", [0, 300])
def test_djangos_middleware_accepts_the_page_token_and_refuses_a_forged_one(
    settings, cache_seconds
):
    settings.PUBLIC_PAGE_CACHE_SECONDS = cache_seconds
    vacancy = OpenVacancyFactory()
    Client().get(vacancy.get_absolute_url())  # the page is kept, when the cache is on
    browser = Client(enforce_csrf_checks=True)
    page = browser.get(vacancy.get_absolute_url()).content.decode()
    token = TOKEN.search(page)[1]
    cookie = browser.cookies[settings.CSRF_COOKIE_NAME].value
    assert django_csrf._unmask_cipher_token(token) == cookie
    data = {
        "name": "Ada Lovelace",
        "email": "ada@example.com",
        "message": "Is this role still open?",
        "consent": "on",
        "submission_id": re.search(r'name="submission_id" value="([^"]+)"', page)[1],
    }
    url = reverse("candidates:enquire", args=[vacancy.slug])
    forged = token[:-1] + ("a" if token[-1] != "a" else "b")
    assert browser.post(url, {**data, "csrfmiddlewaretoken": forged}).status_code == 403
    assert not Enquiry.objects.exists()
    assert browser.post(url, {**data, "csrfmiddlewaretoken": token}).status_code == 302
    assert Enquiry.objects.count() == 1
