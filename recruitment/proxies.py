"""The client's address, the one way every part of the site reads it.

Behind a proxy every connection comes from the proxy. Its X-Forwarded-For header names the
client, but a client can send that header too: it is believed only when the connection
comes from an address in TRUSTED_PROXIES, and only as far back as the hops are trusted.
"""

import functools
import ipaddress

from django.conf import settings


@functools.lru_cache(maxsize=8)
def networks(entries):
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def parse(text):
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    return address.ipv4_mapped or address if address.version == 6 else address


def is_trusted(address):
    """Whether the address (None: none given) is one of TRUSTED_PROXIES."""
    trusted = networks(tuple(settings.TRUSTED_PROXIES))
    return address is not None and any(address in network for network in trusted)


def connecting_address(request):
    return parse(request.META.get("REMOTE_ADDR", ""))


def forwarded_proto_only_from_trusted_proxies(get_response):
    """X-Forwarded-Proto (SECURE_PROXY_SSL_HEADER) counts only from a trusted proxy.

    Otherwise anyone who reaches the app directly could say their plain HTTP request came over
    HTTPS: no redirect to HTTPS, and secure cookies set on an insecure connection.
    """

    def middleware(request):
        claimed = "HTTP_X_FORWARDED_PROTO" in request.META
        if claimed and not is_trusted(connecting_address(request)):
            del request.META["HTTP_X_FORWARDED_PROTO"]
        return get_response(request)

    return middleware


def client_address(request):
    """The client's address as a string, or None when the connection gives none.

    Also django-axes' AXES_CLIENT_IP_CALLABLE, so lock-outs count the same address.
    """
    address = connecting_address(request)
    hops = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
    # Each trusted proxy appended the address it was reached from: walk back from the
    # nearest hop while the address we hold is a proxy we trust.
    while hops and is_trusted(address):
        previous = parse(hops.pop())
        if previous is None:
            break
        address = previous
    return str(address) if address is not None else None
