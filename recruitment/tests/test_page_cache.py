import hashlib
import subprocess
import sys
import uuid
from datetime import datetime, time, timedelta

import pytest
from csp.utils import build_policy
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import connection, transaction
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from candidates.models import Enquiry
from jobs.tests.factories import (
    ClosedVacancyFactory,
    DraftVacancyFactory,
    OpenVacancyFactory,
    StaffUserFactory,
)
from recruitment import middleware, page_cache, shared_cache
from recruitment.middleware import VOLATILE_VALUES
from recruitment.page_cache import seconds_to_keep

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 300


@pytest.fixture
def vacancy():
    return OpenVacancyFactory(title="Staff Nurse")


PAGES = ["jobs:home", "jobs:vacancy_list", "jobs:feed_rss"]


def test_anonymous_pages_are_served_from_the_cache_without_sql(
    client, vacancy, django_assert_num_queries
):
    urls = [reverse(name) for name in PAGES] + [vacancy.get_absolute_url()]
    first = {url: client.get(url).content for url in urls}
    with django_assert_num_queries(0):
        again = {url: client.get(url).content for url in urls}
    assert again.keys() == first.keys()
    # The same page, but for the CSRF tokens of its forms (each visitor gets their own).
    home = reverse("jobs:home")
    assert VOLATILE_VALUES.sub(rb"\1", again[home]) == VOLATILE_VALUES.sub(rb"\1", first[home])


@pytest.mark.parametrize("change", ["publish", "edit", "close"])
def test_a_change_to_a_vacancy_shows_on_every_page_at_once(client, vacancy, change):
    draft = DraftVacancyFactory(title="Midwife")
    urls = [reverse(name) for name in PAGES]
    for url in urls:
        client.get(url)  # cached
    if change == "publish":
        draft.publish()
        expected, gone = "Midwife", None
    elif change == "edit":
        vacancy.title = "Senior Staff Nurse"
        vacancy.save()
        expected, gone = "Senior Staff Nurse", None
    else:
        vacancy.close()
        expected, gone = None, "Staff Nurse"
    for url in urls:
        content = client.get(url).content.decode()
        if expected:
            assert expected in content, url
        if gone:
            assert gone not in content, url


def test_a_cached_job_page_still_takes_an_enquiry_from_someone_else(vacancy, settings):
    settings.FORM_RATE_LIMIT = 100
    Client().get(vacancy.get_absolute_url())  # the first visitor fills the cache
    visitor = Client(enforce_csrf_checks=True)
    page = visitor.get(vacancy.get_absolute_url()).content.decode()
    token = page.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    submission = page.split('name="submission_id" value="', 1)[1].split('"', 1)[0]
    response = visitor.post(
        reverse("candidates:enquire", args=[vacancy.slug]),
        {
            "csrfmiddlewaretoken": token,
            "name": "Zoë",
            "email": "zoe@example.com",
            "message": "Hello",
            "consent": "on",
            "submission_id": submission,
        },
    )
    assert response.status_code == 302
    assert Enquiry.objects.count() == 1


def test_staff_are_never_served_the_page_cached_for_the_public(client):
    closed = ClosedVacancyFactory(title="Night Sister")
    public = client.get(closed.get_absolute_url()).content.decode()  # cached for the public
    assert "no longer open" in public and "Staff preview" not in public
    staff = Client()
    staff.force_login(StaffUserFactory())
    assert "Staff preview" in staff.get(closed.get_absolute_url()).content.decode()


def test_a_visitor_with_a_message_waiting_is_never_served_the_cached_page(client, vacancy):
    url = vacancy.get_absolute_url()
    client.get(url)  # cached for everyone without a session or messages
    visitor = Client()
    request = RequestFactory().get("/")
    storage = CookieStorage(request)
    storage.add(messages.SUCCESS, "Your job alert is confirmed.")
    response = HttpResponse()
    storage.update(response)
    visitor.cookies[storage.cookie_name] = response.cookies[storage.cookie_name].value
    assert "Your job alert is confirmed." in visitor.get(url).content.decode()


def test_query_parameters_the_page_does_not_read_share_its_cached_copy(
    client, vacancy, django_assert_num_queries, settings
):
    client.get(reverse("jobs:vacancy_list"), {"q": "nurse", "workplace": "remote"})
    client.get(vacancy.get_absolute_url())
    with django_assert_num_queries(0):
        client.get(
            reverse("jobs:vacancy_list"),
            {
                "workplace": "remote",
                "q": "nurse",
                "utm_source": "newsletter",
                "fbclid": "abc",
                "gclid": "def",
                "colour": "blue",
                "page": "01",
            },
        )
        client.get(vacancy.get_absolute_url(), {"utm_campaign": "spring", "x": "1"})
    # What the page does read still makes a page of its own.
    OpenVacancyFactory.create_batch(settings.JOBS_PER_PAGE, title="Staff Nurse, Nights")
    url = reverse("jobs:vacancy_list")
    pages = [client.get(url, {"q": "nurse", "page": page}) for page in ("1", "2")]
    assert [page.context["page_obj"].number for page in pages] == [1, 2]
    assert client.get(url, {"q": "midwife"}).context["paginator"].count == 0


def test_the_cache_keeps_a_bounded_number_of_copies_of_a_page(
    client, vacancy, settings, django_assert_max_num_queries
):
    settings.PUBLIC_PAGE_CACHE_MAX_PAGES = 2
    searches = [{"q": word} for word in ("nurse", "staff", "midwife")]
    for search in searches:
        client.get(reverse("jobs:vacancy_list"), search)
    with django_assert_max_num_queries(0):
        client.get(reverse("jobs:vacancy_list"), searches[0])
    response = client.get(reverse("jobs:vacancy_list"), searches[2])
    assert response.context is not None  # rendered again: there was no room to keep it


def test_pages_are_never_shared_between_hosts(vacancy, settings):
    settings.ALLOWED_HOSTS = ["jobs.example", "staging.example"]
    url = vacancy.get_absolute_url()
    Client(HTTP_HOST="staging.example").get(url)  # now kept for staging.example
    with CaptureQueriesContext(connection) as same_host:
        Client(HTTP_HOST="staging.example").get(url)
    with CaptureQueriesContext(connection) as other_host:
        page = Client(HTTP_HOST="jobs.example").get(url).content.decode()
    assert len(same_host) == 0 and len(other_host) > 0  # made afresh for the other host
    assert "staging.example" not in page and f"{settings.SITE_URL}{url}" in page


def test_a_scheduled_job_ends_the_cache_when_it_goes_live():
    OpenVacancyFactory(published_at=timezone.now() + timedelta(seconds=90))
    assert seconds_to_keep() <= 90


def test_pages_are_never_kept_past_midnight(settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 7 * 24 * 3600
    midnight = timezone.make_aware(datetime.combine(timezone.localdate(), time.min))
    just_before = midnight + timedelta(days=1, seconds=-30)
    assert seconds_to_keep(just_before) == 30  # closing dates pass at midnight


def test_job_pages_and_feeds_answer_conditional_gets(client, vacancy):
    for url in (vacancy.get_absolute_url(), reverse("jobs:feed_rss")):
        etag = client.get(url)["ETag"]
        assert client.get(url, headers={"If-None-Match": etag}).status_code == 304


def test_a_cached_page_is_answered_before_sessions_users_and_the_view(
    vacancy, django_assert_num_queries
):
    url = vacancy.get_absolute_url()
    Client().get(url)  # kept
    with django_assert_num_queries(0):
        response = Client().get(url)
    assert response.context is None  # not rendered
    request = response.wsgi_request
    assert not hasattr(request, "user")  # AuthenticationMiddleware never ran
    assert not hasattr(request, "session") and "sessionid" not in response.cookies
    assert not hasattr(request, "candidate")  # nor the candidate space's


def test_a_cached_page_carries_every_security_header(vacancy, settings):
    settings.SECURE_HSTS_SECONDS = 3600
    url = vacancy.get_absolute_url()
    Client().get(url, secure=True)  # kept
    response = Client().get(url, secure=True)
    assert response.context is None  # from the cache
    assert response["Content-Security-Policy"] == build_policy()
    assert response["Strict-Transport-Security"].startswith("max-age=3600")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["Permissions-Policy"] == settings.PERMISSIONS_POLICY
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Request-ID"] and response["Content-Length"] == str(len(response.content))


def csrf_token_in(response):
    page = response.content.decode()
    return page.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]


def test_each_visitor_of_a_cached_page_gets_a_csrf_token_and_cookie_of_their_own(vacancy):
    url = vacancy.get_absolute_url()
    Client().get(url)  # kept
    visitors = [Client(), Client()]
    tokens = [csrf_token_in(visitor.get(url)) for visitor in visitors]
    cookies = [visitor.cookies["csrftoken"].value for visitor in visitors]
    assert tokens[0] != tokens[1] and cookies[0] != cookies[1]
    # A visitor who has a CSRF cookie keeps it: a form open in another tab still posts.
    again = visitors[0].get(url)
    assert again.context is None and visitors[0].cookies["csrftoken"].value == cookies[0]
    assert csrf_token_in(again) != tokens[0]  # masked afresh, as Django does on every page


def test_a_page_is_hashed_for_its_etag_once_when_it_is_kept_and_never_again(
    vacancy, monkeypatch, client
):
    hashed, real = [], middleware.etag_for

    def etag_for(content):
        hashed.append(content)
        return real(content)

    monkeypatch.setattr(page_cache, "etag_for", etag_for)
    monkeypatch.setattr(middleware, "etag_for", lambda content: hashed.append("again"))
    url = vacancy.get_absolute_url()
    first = client.get(url)
    assert first.context is not None and len(hashed) == 1 and first["ETag"]
    again = Client().get(url)
    assert again.context is None and again["ETag"] == first["ETag"]
    assert Client().get(url, headers={"If-None-Match": first["ETag"]}).status_code == 304
    assert len(hashed) == 1


def test_each_visitor_of_a_cached_job_page_gets_a_submission_id_of_their_own(vacancy):
    ids = set()
    for _ in range(3):
        page = Client().get(vacancy.get_absolute_url()).content.decode()
        ids.add(page.split('name="submission_id" value="', 1)[1].split('"', 1)[0])
    assert len(ids) == 3
    assert all(str(uuid.UUID(value)) == value for value in ids)


def test_the_version_changes_again_when_a_change_commits(
    vacancy, django_capture_on_commit_callbacks
):
    """Another process may render the page before the change commits, from the old data:
    what it stores must be under a version that is gone once the change is visible."""
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        vacancy.title = "Senior Staff Nurse"
        vacancy.save()
        during = shared_cache.version()
    assert shared_cache.version() != during


def test_every_process_on_the_machine_reads_the_version_from_one_file(settings, tmp_path):
    settings.CACHES = {
        **settings.CACHES,
        "shared": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path),
        },
    }
    before = shared_cache.version()
    shared_cache.invalidate()
    # Another gunicorn worker: a process of its own that reads the same folder.
    other_worker = subprocess.run(  # noqa: S603
        [sys.executable, "-c", READ_SHARED, str(tmp_path), shared_cache.VERSION_KEY],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert other_worker == shared_cache.version() != before


READ_SHARED = """
import sys
from django.conf import settings
from django.core.cache.backends.filebased import FileBasedCache
settings.configure()
print(FileBasedCache(sys.argv[1], {}).get(sys.argv[2]))
"""


def test_search_facets_are_counted_once_for_every_process(client, vacancy, settings, tmp_path):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0  # the page itself is rendered each time
    settings.CACHES = {
        **settings.CACHES,
        "shared": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path),
        },
    }
    client.get(reverse("jobs:vacancy_list"), {"q": "nurse"})
    search = hashlib.sha256(b"q=nurse").hexdigest()
    key = f"search-counts:{search}:{shared_cache.version()}"
    other_worker = subprocess.run(  # noqa: S603
        [sys.executable, "-c", READ_SHARED, str(tmp_path), key],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "'total': 1" in other_worker
