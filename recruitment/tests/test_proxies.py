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
