import timeit

import pytest

from recruitment.logging import redact

HOSTILE = {
    "a long host name": "a" * 65536,
    "at signs": "a@" * 32768,
    "an address without a dot": "x" * 32768 + "@" + "y" * 32767,
    "phone-like": "1 (" * 21845,
    "link-like": "/j/" * 21845,
}


@pytest.mark.parametrize("text", HOSTILE.values(), ids=HOSTILE.keys())
def test_64_kb_of_hostile_text_is_redacted_in_linear_time(text):
    # The quickest of three runs, so another process on the machine does not decide it.
    seconds = min(timeit.repeat(lambda: redact(text), number=1, repeat=3))
    assert seconds < 0.05


def test_addresses_emails_and_phone_numbers_are_redacted():
    line = "zoe.private@example.com 07911 123456 from 203.0.113.9 and 2001:db8::7 at 23:20:25"
    assert redact(line) == "[email] [phone] from [address] and [address] at 23:20:25"


def token_patterns(patterns, prefix=""):
    """Every URL pattern (with its full path) that has a `<token:…>` part."""
    from django.urls import URLPattern

    for entry in patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLPattern):
            if "<token:" in route:
                yield route
        else:
            yield from token_patterns(entry.url_patterns, route)


def test_every_secret_links_token_is_redacted_from_logs():
    from django.urls import get_resolver

    routes = list(token_patterns(get_resolver().url_patterns))
    assert len(routes) >= 8  # links, alerts, thanks, review pages, sign-in, objections
    secret = "Sx3_vQ-9kLm2Rt7YpW4aZc"
    for route in routes:
        path = "/" + route.replace("<token:token>", secret).replace("<int:pk>", "7")
        line = f"GET {path}?utm_source=email HTTP/1.1"
        assert secret not in redact(line), route
        assert "[token]" in redact(line)


def test_gunicorns_access_log_redacts_tokens_in_the_request_line_and_referrer():
    from datetime import timedelta
    from types import SimpleNamespace

    from gunicorn.config import Config

    from recruitment.access_log import RedactingLogger

    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": "/j/Sx3_vQ-9kLm2Rt7YpW4aZc/",
        "PATH_INFO": "/j/Sx3_vQ-9kLm2Rt7YpW4aZc/",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_REFERER": "https://jobs.example/review/Qw8-ZXcv_bnm12LkjhGf34Dsa/",
    }
    response = SimpleNamespace(status="200 OK", sent=10, headers=[])
    request = SimpleNamespace(headers=[])
    atoms = RedactingLogger(Config()).atoms(response, request, environ, timedelta(0))
    assert atoms["r"] == "GET /j/[token]/ HTTP/1.1"
    assert atoms["U"] == "/j/[token]/"
    assert atoms["f"] == "https://jobs.example/review/[token]/"
