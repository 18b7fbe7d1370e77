import pytest
from django.core.cache import caches
from django.test import RequestFactory

from candidates.ratelimit import over_limit
from candidates.tests.smtp import free_port
from recruitment import shared_cache
from recruitment.settings import redis_caches

pytestmark = pytest.mark.django_db
REDIS = "redis://127.0.0.1:6379/15"  # a database of its own on this machine's Redis


def test_healthz_needs_no_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert (response.status_code, response.content) == (200, b"ok")


def test_readyz_checks_each_dependency(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "ready": True,
        "database": "ok",
        "cache": "ok",
        "storage": "ok",
        "queue": "ok",
    }


def test_readyz_says_which_dependency_is_down(client, settings, tmp_path):
    not_a_folder = tmp_path / "a-file"
    not_a_folder.write_text("")
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": not_a_folder / "cvs"},
        },
    }
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["storage"] == "failing" and response.json()["database"] == "ok"


def test_readyz_reports_a_cache_outage_as_degraded_and_stays_in_the_load_balancer(client, settings):
    """Every page is still served without the cache, so the server stays ready."""
    settings.CACHES = redis_caches(f"redis://127.0.0.1:{free_port()}/0")  # nobody listens
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "ready": True,
        "database": "ok",
        "cache": "degraded",
        "storage": "ok",
        "queue": "ok",
    }


def test_readyz_reports_an_unwritable_shared_cache_as_degraded(client, settings, tmp_path):
    not_a_folder = tmp_path / "a-file"
    not_a_folder.write_text("")
    settings.CACHES = {
        **settings.CACHES,
        "shared": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(not_a_folder / "cache"),
        },
    }
    response = client.get("/readyz")
    assert (response.status_code, response.json()["cache"]) == (200, "degraded")


def test_with_redis_rate_limits_and_page_versions_are_shared_between_servers(settings):
    settings.CACHES = redis_caches(REDIS, prefix="test-")
    caches["default"].clear()
    settings.FORM_RATE_LIMIT = 2
    request = RequestFactory().post("/contact/", REMOTE_ADDR="203.0.113.9")
    # Two app servers are two processes: each has its own connection to the same Redis.
    assert [over_limit(request) for _ in range(2)] == [False, False]
    other_server = caches.create_connection("default")
    assert other_server.get("form-posts:203.0.113.9") == 2
    assert over_limit(request) is True

    before = shared_cache.version()
    shared_cache.invalidate()
    other_server_versions = caches.create_connection("shared")
    assert other_server_versions.get(shared_cache.VERSION_KEY) not in (None, before)
    caches["default"].clear()
