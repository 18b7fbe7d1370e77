"""Rate limits count each client behind the proxy on its own, and never stop a post when the
cache is down."""

import logging

import pytest
from django.urls import reverse

from candidates.models import Enquiry
from candidates.tests.smtp import free_port
from jobs.tests.factories import OpenVacancyFactory

from .factories import form_data

pytestmark = pytest.mark.django_db
PROXY = "127.0.0.1"


@pytest.fixture
def behind_proxy(settings):
    settings.TRUSTED_PROXIES = [PROXY]
    settings.FORM_RATE_LIMIT = 3


def junk(client, **headers):
    """An invalid post (no consent): it still counts towards the limit."""
    return client.post(reverse("candidates:contact"), form_data(consent=None), **headers)


def genuine(client, **headers):
    return client.post(reverse("candidates:contact"), form_data(), **headers)


def via_proxy(address):
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": address}


def test_clients_behind_the_proxy_are_counted_apart_and_a_forged_header_changes_nothing(
    client, behind_proxy, settings
):
    codes = [junk(client, **via_proxy("198.51.100.7")).status_code for _ in range(4)]
    assert codes == [400, 400, 400, 429]
    assert genuine(client, **via_proxy("203.0.113.9")).status_code == 302

    # A client that reaches the app directly cannot pick its own bucket with the header.
    direct = [
        junk(client, REMOTE_ADDR="192.0.2.5", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}").status_code
        for n in range(4)
    ]
    assert direct == [400, 400, 400, 429]

    # With no trusted proxy configured, the header is ignored whoever sends it.
    settings.TRUSTED_PROXIES = []
    settings.FORM_RATE_LIMIT = 1
    assert genuine(client, **via_proxy("203.0.113.10")).status_code == 302
    assert genuine(client, **via_proxy("203.0.113.11")).status_code == 429


def test_ipv6_clients_are_counted_by_their_64_bit_prefix(client, behind_proxy):
    codes = [junk(client, **via_proxy(f"2001:db8:0:1::{n}")).status_code for n in range(4)]
    assert codes == [400, 400, 400, 429]
    assert genuine(client, **via_proxy("2001:db8:0:2::1")).status_code == 302


def test_the_enquiry_records_the_clients_address(client, behind_proxy):
    vacancy = OpenVacancyFactory()
    url = reverse("candidates:enquire", args=[vacancy.slug])
    client.post(url, form_data(), **via_proxy("203.0.113.9"))
    genuine(client, **via_proxy("2001:db8::7"))
    assert sorted(Enquiry.objects.values_list("client_address", flat=True)) == [
        "2001:db8::7",
        "203.0.113.9",
    ]


def test_with_the_cache_down_posts_are_saved_and_a_warning_logged(client, settings, caplog):
    closed = free_port()  # nothing listens there
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed}/0",
        },
    }
    with caplog.at_level(logging.WARNING, logger="candidates.ratelimit"):
        response = genuine(client)
    assert response.status_code == 302
    assert Enquiry.objects.count() == 1
    assert "Rate limit form-posts not applied: the cache failed (ConnectionError)" in caplog.text
