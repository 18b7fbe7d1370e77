import importlib
import os
import shutil
import subprocess
import time
import urllib.request
import uuid

import pytest

from candidates.tests.smtp import SMTPServer, free_port
from recruitment import shared_cache
from recruitment.settings import redis_caches


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def fresh_cache(settings):
    """Caches of their own for each test, so one test's rate-limit counts never reach another.

    The database cache's table is not a model: test transactions and flushes leave it alone.
    Whole-page caching is off unless a test turns it on (see recruitment/tests/test_page_cache).
    """
    prefix = f"{uuid.uuid4().hex}-"
    if os.environ.get("REDIS_URL"):  # CI's scaled pass: the real shared cache, a prefix each
        settings.CACHES = redis_caches(os.environ["REDIS_URL"], prefix=prefix)
    else:
        settings.CACHES = {
            name: {
                "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                "LOCATION": f"{prefix}{name}",
            }
            for name in settings.CACHES
        }
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    shared_cache.Outage.reset()  # one test's cache outage is not the next one's


@pytest.fixture(autouse=True)
def fresh_content_types():
    """Content types are cached by id for the process; a transactional test's flush makes
    new rows (new ids) that the cache would not know. The outbox refers to them."""
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    """Background tasks run as they are queued, inside the test's own transaction.

    Tests of the real queue and worker ask for `database_tasks` instead (and commit).
    """
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def database_tasks(settings, immediate_tasks):
    """The production task backend: tasks wait in the database for `run_worker`."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def run_worker(database_tasks):
    """Run the real task worker over everything queued, as `manage.py db_worker` does."""
    from recruitment.tests.worker import run_task_worker

    return run_task_worker


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


@pytest.fixture
def form_data():
    from candidates.tests.factories import form_data

    return form_data


@pytest.fixture
def enquire():
    """Post a job's enquiry form: enquire(client, vacancy, **fields)."""
    from candidates.tests.factories import enquire

    return enquire


@pytest.fixture
def plain_body():
    """The text part of an email parsed by the test SMTP server."""
    return lambda message: message.get_body(("plain",)).get_content()


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    """CVs uploaded by a test go to a place of its own: a temporary folder, or (in CI's
    scaled pass, with S3_BUCKET set) a prefix of its own in the bucket."""
    private = settings.STORAGES["private"]
    if private["BACKEND"] == "storages.backends.s3.S3Storage":
        options = {**private["OPTIONS"], "location": f"test-{uuid.uuid4().hex}"}
        settings.STORAGES = {**settings.STORAGES, "private": {**private, "OPTIONS": options}}
        return
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private", "base_url": None},
        },
    }


@pytest.fixture(scope="session")
def s3_server():
    if not shutil.which("moto_server"):
        pytest.fail("moto_server is missing: install requirements-dev.txt")
    port = free_port()
    process = subprocess.Popen(  # noqa: S603 - the local S3 server from our dev dependencies
        [shutil.which("moto_server"), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(url, timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    yield url
    process.terminate()
    process.wait(timeout=10)


DATA_MIGRATIONS = [
    "jobs.migrations.0002_staff_groups",
    "candidates.migrations.0002_staff_groups",
    "candidates.migrations.0005_link_permissions",
    "candidates.migrations.0008_privacy_permissions",
    "candidates.migrations.0022_note_and_cv_permissions",
    "outbox.migrations.0002_staff_permissions",
    "pipeline.migrations.0002_default_stages",
    "pipeline.migrations.0004_starter_templates",
    "pipeline.migrations.0006_privacy_permissions",
    "pipeline.migrations.0009_client_review_starters",
    "placements.migrations.0002_staff_permissions",
]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database, with the staff groups its data migrations make.

    A database kept by --reuse-db may have lost them to a transactional test's flush in an
    earlier run: make them again, and take the copy that serialized_rollback restores anew.
    """
    from django.db import connections

    with django_db_blocker.unblock():
        restore_migration_data()
        for connection in connections.all():
            if getattr(connection, "_test_serialized_contents", None) is not None:
                connection._test_serialized_contents = connection.creation.serialize_db_to_string()


def restore_migration_data():
    """Make the staff groups and the default pipeline again, as their data migrations did.

    A browser test's database is flushed between tests. When browser tests follow other
    database tests, we found the serialized copy Django should restore missing (Playwright
    runs an event loop in this thread), so the fixtures that need groups replay the migrations.
    """
    from django.apps import apps

    for name in DATA_MIGRATIONS:
        for operation in importlib.import_module(name).Migration.operations:
            operation.code(apps, None)


@pytest.fixture
def staff_groups(transactional_db):
    """The staff groups, for tests that commit (their flushes remove what migrations made)."""
    restore_migration_data()
