import logging

import pytest
from django.apps import apps
from django.urls import reverse

from candidates.tests.smtp import free_port
from jobs.apps import PUBLIC_MODELS
from jobs.models import Client, Consultant, PublicQuerySet, Sector, Vacancy
from jobs.search import JobSearch
from jobs.tests.factories import (
    ClientFactory,
    ConsultantFactory,
    OpenVacancyFactory,
    SectorFactory,
)
from recruitment import shared_cache
from recruitment.settings import redis_caches

pytestmark = pytest.mark.django_db
REDIS = "redis://127.0.0.1:6379/6"  # a database of its own on this machine's Redis


@pytest.fixture
def redis_down(settings):
    """The real Redis cache backend, pointed at a port nobody listens on."""
    settings.CACHES = redis_caches(f"redis://127.0.0.1:{free_port()}/0")
    settings.PUBLIC_PAGE_CACHE_SECONDS = 300


def bulk_update(model, field, value):
    rows = list(model.objects.all())
    for row in rows:
        setattr(row, field, value)
    model.objects.bulk_update(rows, [field])


BULK_WRITES = {
    "update": lambda model, field, value: model.objects.update(**{field: value}),
    "bulk_update": bulk_update,
}
FIELDS = {Vacancy: "title", Client: "name", Sector: "name", Consultant: "name"}


@pytest.mark.parametrize("write", BULK_WRITES)
@pytest.mark.parametrize("model", FIELDS, ids=lambda model: model.__name__)
def test_a_bulk_write_to_what_public_pages_show_ends_the_cached_pages(
    model, write, django_capture_on_commit_callbacks
):
    OpenVacancyFactory()
    before = shared_cache.version()
    with django_capture_on_commit_callbacks(execute=True):
        BULK_WRITES[write](model, FIELDS[model], "Renamed")
    assert shared_cache.version() != before


@pytest.mark.parametrize(
    "make",
    [
        lambda job: Vacancy.objects.bulk_create(
            [
                OpenVacancyFactory.build(
                    client=job.client, consultant=job.consultant, sector=job.sector
                )
            ]
        ),
        lambda job: Client.objects.bulk_create([ClientFactory.build()]),
        lambda job: Sector.objects.bulk_create([SectorFactory.build()]),
        lambda job: Consultant.objects.bulk_create([ConsultantFactory.build()]),
    ],
    ids=["Vacancy", "Client", "Sector", "Consultant"],
)
def test_bulk_created_rows_end_the_cached_pages(make, django_capture_on_commit_callbacks):
    job = OpenVacancyFactory()
    before = shared_cache.version()
    with django_capture_on_commit_callbacks(execute=True):
        make(job)
    assert shared_cache.version() != before


def test_every_model_the_public_pages_show_writes_through_a_public_queryset():
    for name in PUBLIC_MODELS:
        manager = apps.get_model("jobs", name)._default_manager
        assert issubclass(manager._queryset_class, PublicQuerySet), name


def test_public_pages_are_served_uncached_while_the_shared_cache_is_down(client, redis_down):
    vacancy = OpenVacancyFactory(title="Staff Nurse")
    urls = [
        reverse("jobs:home"),
        reverse("jobs:vacancy_list"),
        reverse("jobs:vacancy_list") + "?q=nurse",
        reverse("jobs:feed_rss"),
        vacancy.get_absolute_url(),
        reverse("candidates:send_cv"),
        reverse("candidates:contact"),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
    vacancy.title = "Senior Staff Nurse"
    vacancy.save()  # nothing to invalidate, and no error for the consultant either
    assert b"Senior Staff Nurse" in client.get(reverse("jobs:vacancy_list")).content


def test_search_counts_are_counted_each_time_while_the_shared_cache_is_down(redis_down):
    OpenVacancyFactory(title="Staff Nurse", workplace=Vacancy.Workplace.REMOTE)
    facets = JobSearch.from_params({"q": "nurse"}).facets
    assert facets["total"] == 1
    assert facets["workplace"]["remote"] == 1


def test_a_cache_outage_is_logged_once_not_on_every_request(client, redis_down, caplog):
    OpenVacancyFactory()
    with caplog.at_level(logging.WARNING, logger="recruitment.shared_cache"):
        for _ in range(5):
            shared_cache.Outage.retry_at = 0  # as if each visit came after the pause
            assert client.get(reverse("jobs:vacancy_list")).status_code == 200
    warnings = [record for record in caplog.records if record.name == "recruitment.shared_cache"]
    assert len(warnings) == 1
    assert "unavailable" in warnings[0].getMessage()


def test_a_change_made_during_an_outage_ends_the_pages_cached_before_it(client, settings):
    settings.CACHES = redis_caches(REDIS, prefix=f"test-{free_port()}-")
    settings.PUBLIC_PAGE_CACHE_SECONDS = 300
    vacancy = OpenVacancyFactory(title="Staff Nurse")
    assert b"Staff Nurse" in client.get(reverse("jobs:vacancy_list")).content  # cached
    working = settings.CACHES
    settings.CACHES = redis_caches(f"redis://127.0.0.1:{free_port()}/0")
    vacancy.title = "Midwife"
    vacancy.save()
    settings.CACHES = working  # the cache is back
    shared_cache.Outage.retry_at = 0
    assert b"Midwife" in client.get(reverse("jobs:vacancy_list")).content
