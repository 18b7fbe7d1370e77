import pytest
from django.test import RequestFactory

from recruitment.proxies import client_address


def address(remote, forwarded=None):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return client_address(RequestFactory().get("/", REMOTE_ADDR=remote, **headers))


@pytest.mark.parametrize(
    ("remote", "forwarded", "client"),
    [
        ("127.0.0.1", "203.0.113.9", "203.0.113.9"),
        # nginx's $proxy_add_x_forwarded_for keeps what the client sent, to the left
        ("127.0.0.1", "6.6.6.6, 203.0.113.9", "203.0.113.9"),
        # a load balancer in 10.0.0.0/8, then nginx: each trusted hop is passed over
        ("127.0.0.1", "6.6.6.6, 203.0.113.9, 10.1.2.3", "203.0.113.9"),
        ("::ffff:127.0.0.1", "2001:db8::1", "2001:db8::1"),
        ("127.0.0.1", "not an address", "127.0.0.1"),
        ("127.0.0.1", None, "127.0.0.1"),
        ("192.0.2.5", "203.0.113.9", "192.0.2.5"),  # not a proxy: its header names no one
        ("", None, None),
    ],
)
def test_the_client_is_the_nearest_address_that_is_not_a_trusted_proxy(
    settings, remote, forwarded, client
):
    settings.TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/8"]
    assert address(remote, forwarded) == client


def test_without_trusted_proxies_the_connection_is_the_client(settings):
    settings.TRUSTED_PROXIES = []
    assert address("127.0.0.1", "203.0.113.9") == "127.0.0.1"


def is_secure(remote):
    from recruitment.proxies import forwarded_proto_only_from_trusted_proxies

    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_PROTO="https")
    return forwarded_proto_only_from_trusted_proxies(lambda request: request.is_secure())(request)


@pytest.mark.parametrize(
    ("remote", "secure"),
    [("127.0.0.1", True), ("10.1.2.3", True), ("192.0.2.5", False), ("", False)],
)
def test_only_a_trusted_proxy_can_say_the_request_came_over_https(settings, remote, secure):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/8"]
    assert is_secure(remote) is secure


@pytest.mark.django_db
def test_a_direct_client_claiming_https_is_still_redirected_to_it(client, settings):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    response = client.get("/", REMOTE_ADDR="192.0.2.5", HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code == 301 and response["Location"].startswith("https://")
    response = client.get("/", REMOTE_ADDR="10.0.0.9", HTTP_X_FORWARDED_PROTO="https")
    assert response.status_code != 301
