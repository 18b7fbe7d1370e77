"""Searching near a town: places from GeoNames, vacancies placed by their location."""

from importlib import import_module
from io import StringIO
from urllib.parse import urlencode

import pytest
from django.apps import apps as django_apps
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from candidates.alerts import new_jobs, saved_search
from candidates.models import JobAlert
from jobs import places
from jobs.models import Place, Vacancy
from jobs.search import JobSearch
from jobs.search_page import applied_filters, removable_filters, sort_links
from jobs.tests.factories import OpenVacancyFactory, SuperUserFactory
from jobs.views import search_page_query

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module", autouse=True)
def gb_places(django_db_setup, django_db_blocker):
    """The places migration 0017 loaded. A committing test's flush earlier in the session
    empties the table: then they are loaded again, as the migration does, outside any
    test's transaction, so they stay for the tests here."""
    with django_db_blocker.unblock():
        places.load_places(Place)


def search_near(client, **params):
    return client.get(reverse("jobs:vacancy_list"), params)


def test_the_migration_loads_the_uk_towns_and_cities():
    assert Place.objects.count() > 4000
    assert Place.objects.filter(region_code__in=["ENG", "SCT", "WLS", "NIR"]).count() > 4000
    for name in ("Leeds", "Harrogate", "Hebden Bridge", "Camden Town", "Kirkby Lonsdale"):
        assert Place.objects.filter(name=name).exists(), name


@pytest.mark.parametrize(
    "location",
    ["Leeds", "leeds", "Leeds, West Yorkshire", "Hybrid – Leeds", "Hybrid - Leeds", "Léeds"],
)
def test_a_location_naming_leeds_is_placed_in_leeds(location):
    latitude, longitude = places.coordinates(Place, location)
    assert (round(latitude, 2), round(longitude, 2)) == (53.80, -1.55)


def test_a_part_of_a_place_is_placed_in_it_but_a_part_of_the_country_is_not():
    assert places.coordinates(Place, "Central London") == places.coordinates(Place, "London")
    assert places.coordinates(Place, "Greater Manchester") == places.coordinates(
        Place, "Manchester"
    )
    west_bromwich = places.find_place(Place, *places.candidate_names("West Bromwich"))
    assert west_bromwich.name == "West Bromwich"
    assert places.coordinates(Place, "South East") == (None, None)


def test_a_location_naming_no_place_is_not_placed():
    assert places.coordinates(Place, "Remote") == (None, None)
    assert places.coordinates(Place, "Multiple locations, UK") == (None, None)
    assert places.coordinates(Place, "") == (None, None)


def test_the_most_populous_place_of_a_name_wins_and_a_name_may_start_a_longer_one():
    newcastle = places.find_place(Place, "Newcastle")
    assert newcastle.name == "Newcastle upon Tyne"
    assert places.find_place(Place, "stoke").name == "Stoke-on-Trent"
    assert places.find_place(Place, "Hull").name == "Kingston upon Hull"
    assert places.find_place(Place, "Nowhere-on-Sea") is None


def test_a_region_places_a_vacancy_whose_location_names_no_town():
    assert places.coordinates(Place, "Head office", "Harrogate") == places.coordinates(
        Place, "Harrogate"
    )


def test_a_vacancy_is_placed_when_saved_and_again_when_it_moves():
    vacancy = OpenVacancyFactory(location="Leeds")
    assert round(vacancy.latitude, 1) == 53.8
    vacancy = Vacancy.objects.get(pk=vacancy.pk)
    vacancy.location = "Remote"
    vacancy.save(update_fields=["location"])
    vacancy.refresh_from_db()
    assert vacancy.latitude is None and vacancy.longitude is None


def test_saving_a_vacancy_that_has_not_moved_looks_no_place_up(django_assert_num_queries):
    vacancy = Vacancy.objects.get(pk=OpenVacancyFactory(location="Leeds").pk)
    vacancy.title = "Account Director"
    with django_assert_num_queries(1):  # the update, and no lookup
        vacancy.save(update_fields=["title"])


def test_the_great_circle_distance_from_leeds_to_bradford_is_about_eight_miles():
    leeds, bradford = Place.objects.get(name="Leeds"), Place.objects.get(name="Bradford")
    miles = places.miles_between(
        leeds.latitude, leeds.longitude, bradford.latitude, bradford.longitude
    )
    assert 8 < miles < 9


def found(response):
    return [vacancy.title for vacancy in response.context["vacancies"]]


def test_a_job_in_bradford_is_within_10_miles_of_leeds_but_not_5(client):
    OpenVacancyFactory(title="Bradford Nurse", location="Bradford")
    OpenVacancyFactory(title="London Nurse", location="London")
    response = search_near(client, near="Leeds", within="10")
    assert found(response) == ["Bradford Nurse"]
    assert "1 live job within 10 miles of Leeds" in response.content.decode()
    assert found(search_near(client, near="Leeds", within="5")) == []
    assert found(search_near(client, near="leeds", within="50")) == ["Bradford Nurse"]
    assert found(search_near(client, near="Central Leeds, West Yorks")) == ["Bradford Nurse"]


def test_a_job_card_says_how_far_away_the_job_is(client):
    OpenVacancyFactory(location="Bradford")
    OpenVacancyFactory(location="Leeds, West Yorkshire")
    page = search_near(client, near="Leeds").content.decode()
    assert "(8 miles away)" in page
    assert "(Under a mile away)" in page


def test_remote_jobs_with_no_place_are_left_out_of_a_search_near_a_town(client):
    OpenVacancyFactory(title="Anywhere", location="Remote", workplace="remote")
    OpenVacancyFactory(title="Remote from Leeds", location="Leeds", workplace="remote")
    assert found(search_near(client, near="Leeds")) == ["Remote from Leeds"]


def test_a_town_alone_lists_the_nearest_jobs_first_and_keywords_keep_relevance(client):
    OpenVacancyFactory(title="Nurse in Harrogate", location="Harrogate")
    OpenVacancyFactory(title="Manager in Bradford", location="Bradford")
    OpenVacancyFactory(title="Nurse in Leeds", location="Leeds")
    assert found(search_near(client, near="Leeds")) == [
        "Nurse in Leeds",
        "Manager in Bradford",
        "Nurse in Harrogate",
    ]
    assert JobSearch.from_params({"near": "Leeds"}).effective_sort == "nearest"
    with_words = JobSearch.from_params({"near": "Leeds", "q": "nurse"})
    assert with_words.effective_sort == "relevance"
    assert [label for label, *_ in sort_links(with_words)] == [
        "Relevance",
        "Newest",
        "Salary",
        "Nearest",
    ]
    assert found(search_near(client, near="Leeds", q="nurse", sort="nearest")) == [
        "Nurse in Leeds",
        "Nurse in Harrogate",
    ]


def test_without_a_known_town_there_is_no_nearest_order():
    assert [label for label, *_ in sort_links(JobSearch.from_params({}))] == ["Newest", "Salary"]
    assert JobSearch.from_params({"sort": "nearest"}).effective_sort == "newest"


def test_an_unknown_town_is_said_plainly_and_the_other_filters_still_apply(client):
    OpenVacancyFactory(title="Remote job", location="London", workplace="remote")
    OpenVacancyFactory(title="Office job", location="London")
    response = search_near(client, near="Atlantis <b>", workplace="remote")
    page = response.content.decode()
    assert response.status_code == 200
    assert "We don't know a place called “Atlantis &lt;b&gt;”: try a nearby town." in page
    assert found(response) == ["Remote job"]
    assert "Unknown place: Atlantis &lt;b&gt;" in page  # a chip that removes it
    assert 'value="remote" selected' in page


def test_a_distance_reads_as_one_removable_chip_that_takes_the_town_with_it():
    search = JobSearch.from_params({"near": "leeds", "within": "10", "hours": "part_time"})
    chip = applied_filters(search, search.facets)[0]
    assert (chip.name, chip.label, chip.query) == (
        "near",
        "Within 10 miles of Leeds",
        "hours=part_time",
    )
    assert ("distance: leeds", "hours=part_time") in removable_filters(search)


def test_a_town_without_a_distance_gets_25_miles_and_a_distance_alone_is_dropped():
    assert JobSearch.from_params({"near": "Leeds", "within": "7"}).within == "25"
    assert JobSearch.from_params({"within": "10"}).params() == {}


def test_the_filters_offer_the_town_and_the_distances_with_the_credit(client):
    page = search_near(client, near="Leeds", within="10").content.decode()
    assert 'name="near" value="Leeds"' in page
    assert '<option value="10" selected>10 miles</option>' in page
    assert "Filters (1 active)" in page
    assert "GeoNames" in page and "CC BY 4.0" in page


def test_the_page_cache_keys_on_the_town_and_distance():
    request = RequestFactory().get("/jobs/", {"near": "Leeds", "within": "10", "utm_source": "x"})
    assert search_page_query(request) == urlencode({"near": "Leeds", "within": "10"})


@pytest.mark.parametrize("count", [1, 30])
def test_a_search_near_a_town_runs_a_fixed_number_of_queries(
    client, django_assert_num_queries, count
):
    OpenVacancyFactory.create_batch(count, location="Bradford")
    # The town, every facet count with the total, then the page.
    with django_assert_num_queries(3):
        response = search_near(client, near="Leeds", within="10")
    assert len(response.context["vacancies"]) == min(count, 20)


def test_a_job_alert_near_a_town_sends_only_jobs_within_its_distance():
    alert = JobAlert.objects.create(
        email="ana@example.com", search=saved_search("near=Leeds&within=10&sort=nearest")
    )
    assert alert.search == {"near": "Leeds", "within": "10"}
    assert alert.describe() == "within 10 miles of Leeds"
    alert.jobs_since = alert.created_at.replace(year=2000)
    OpenVacancyFactory(title="In Bradford", location="Bradford")
    OpenVacancyFactory(title="In London", location="London")
    assert [job.title for job in new_jobs(alert, timezone.now())] == ["In Bradford"]


def test_a_job_alert_for_an_unknown_town_is_saved_without_it():
    assert saved_search("near=Atlantis&q=nurse") == {"q": "nurse"}


def test_the_demo_and_generated_vacancies_are_placed_in_their_towns():
    call_command("seed_demo", "--vacancies", "30", stdout=StringIO())
    demo = Vacancy.objects.filter(source="demo", location="Leeds").first()
    assert round(demo.latitude, 1) == 53.8
    generated = Vacancy.objects.filter(source="seed_demo")
    assert generated.count() > 0
    assert not generated.filter(latitude__isnull=True).exists()
    newcastle = generated.filter(location="Newcastle").first()
    assert newcastle is None or round(newcastle.latitude, 1) == 55.0  # upon Tyne


def test_a_vacancy_saved_before_the_places_were_known_is_placed_by_the_migration():
    vacancy = OpenVacancyFactory(location="Harrogate")
    Vacancy.objects.filter(pk=vacancy.pk).update(latitude=None, longitude=None)
    locate_vacancies = import_module("jobs.migrations.0018_near_vacancy_coordinates")
    locate_vacancies.locate_vacancies(django_apps, None)
    vacancy.refresh_from_db()
    assert round(vacancy.latitude, 2) == 53.99


def test_a_feed_near_a_town_lists_only_the_jobs_within_its_distance(client):
    OpenVacancyFactory(title="In Bradford", location="Bradford")
    OpenVacancyFactory(title="In London", location="London")
    feed = client.get(reverse("jobs:feed_rss"), {"near": "Leeds", "within": "10"})
    body = feed.content.decode()
    assert "In Bradford" in body and "In London" not in body
    assert "live jobs within 10 miles of Leeds" in body


def test_staff_see_whether_a_vacancy_was_placed(client):
    client.force_login(SuperUserFactory())
    placed = OpenVacancyFactory(location="Leeds")
    unplaced = OpenVacancyFactory(location="Remote")
    page = client.get(reverse("admin:jobs_vacancy_change", args=[placed.pk])).content.decode()
    assert "Placed at 53.796, -1.548" in page
    page = client.get(reverse("admin:jobs_vacancy_change", args=[unplaced.pk])).content.decode()
    assert "Not placed: neither the location nor the region names a UK town we know" in page
