"""Typos in keywords: a search that finds nothing is tried again with each unknown word
corrected to the nearest headline word, on SQLite (fts5vocab) and PostgreSQL (pg_trgm)."""

import pytest
from django.db import connection
from django.urls import reverse

from jobs.search import JobSearch, NewestMatches
from jobs.spelling import corrected_words

from .factories import ClosedVacancyFactory, ConfidentialClientFactory, OpenVacancyFactory

pytestmark = pytest.mark.django_db


def search_page(client, **params):
    return client.get(reverse("jobs:vacancy_list"), params)


def titles(response):
    return [vacancy.title for vacancy in response.context["vacancies"]]


def test_a_typo_still_finds_the_jobs_and_says_what_was_searched(client):
    OpenVacancyFactory(title="Account Manager", summary="Consumer PR.")
    OpenVacancyFactory(title="Accounts Manager", summary="Consumer PR.")
    OpenVacancyFactory(title="Staff Nurse", summary="Wards.", description="Care.")
    response = search_page(client, q="acount manager")
    assert titles(response) == ["Account Manager", "Accounts Manager"]
    page = response.content.decode()
    assert "Showing results for <strong>account manager</strong>" in page
    assert 'href="/jobs/?q=acount+manager&amp;as_typed=1">Search instead for acount manager' in page
    assert response.context["search"].q == "account manager"


def test_the_words_as_typed_are_searched_when_asked(client):
    OpenVacancyFactory(title="Account Manager")
    response = search_page(client, q="acount manager", as_typed="1")
    assert titles(response) == []
    assert "Showing results for" not in response.content.decode()
    assert "No live jobs match this search." in response.content.decode()


@pytest.mark.parametrize(
    ("typed", "corrected"),
    [
        ("Nurce", "nurse"),
        ("enginer", "engineer"),
        ("Acountant", "accountant"),
        ("accountant", "accountant"),  # a word the index has is no typo
        ("midwife", "midwife"),  # nothing like it: left alone
        ("PR", "PR"),  # too short to correct
        ("5000", "5000"),
    ],
)
def test_each_unknown_word_is_corrected_to_the_nearest_headline_word(typed, corrected):
    OpenVacancyFactory(title="Staff Nurse", location="Leeds")
    OpenVacancyFactory(title="Civil Engineer", location="Leicester")
    OpenVacancyFactory(title="Management Accountant", location="Leeds")
    assert corrected_words([typed]) == [corrected]


def test_a_word_only_in_an_advert_is_not_a_typo_and_nothing_is_corrected(client):
    OpenVacancyFactory(title="Account Manager", description="Report to the warden.")
    OpenVacancyFactory(title="Ward Manager", location="Hull", description="Care.")
    response = search_page(client, q="warden hull")  # "ward hull" would find one
    assert titles(response) == []
    assert "Showing results for" not in response.content.decode()


def test_no_correction_is_offered_that_finds_no_live_job(client):
    ClosedVacancyFactory(title="Zoologist")
    OpenVacancyFactory(title="Account Manager")
    response = search_page(client, q="zoologst")
    assert titles(response) == []
    assert "Showing results for" not in response.content.decode()


def test_a_confidential_clients_real_name_is_never_suggested(client):
    OpenVacancyFactory(title="Account Director", client=ConfidentialClientFactory())
    assert JobSearch.from_params({"q": "hiden"}).corrected() is None
    response = search_page(client, q="hiden")
    assert "Showing results for" not in response.content.decode()
    assert "Hidden Healthcare" not in response.content.decode()


@pytest.mark.parametrize("count", [1, 30])
def test_a_corrected_search_runs_a_fixed_number_of_queries(
    client, django_assert_num_queries, count
):
    OpenVacancyFactory.create_batch(count)
    # The counts of the words as typed; a look-up for each of the two words (SQLite) or which
    # are unknown and then the one typo's look-up (PostgreSQL); the counts of the
    # correction; the page.
    with django_assert_num_queries(5 + NewestMatches.sorts_ids_first()):
        response = search_page(client, q="acount manager")
    assert len(response.context["vacancies"]) == min(count, 20)
    # As typed, it shares the counts of the words as typed: nothing to ask.
    with django_assert_num_queries(0):
        response = search_page(client, q="acount manager", as_typed="1")
    assert response.context["vacancies"] == []


def test_postgresql_lists_headline_words_without_references():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite reads its words from the index itself (fts5vocab)")
    OpenVacancyFactory(title="Staff Nurse", location="Leeds", reference="SSR-01234")
    with connection.cursor() as cursor:
        cursor.execute("SELECT word FROM jobs_search_word ORDER BY word")
        words = [word for (word,) in cursor.fetchall()]
    assert "nurse" in words and "leeds" in words and "ssr" in words
    assert not [word for word in words if any(char.isdigit() for char in word)]
