import uuid

import pytest

from candidates.tests.smtp import SMTPServer


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def fresh_cache(settings):
    """Caches of their own for each test, so one test's rate-limit counts never reach another.

    The database cache's table is not a model: test transactions and flushes leave it alone.
    Whole-page caching is off unless a test turns it on (see recruitment/tests/test_page_cache).
    """
    settings.CACHES = {
        name: {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": str(uuid.uuid4()),
        }
        for name in ("default", "pages")
    }
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server, with Django pointed at it (pytest-django would use locmem)."""
    server = SMTPServer()
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    """CVs uploaded by a test go to its own temporary folder."""
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private", "base_url": None},
        },
    }
