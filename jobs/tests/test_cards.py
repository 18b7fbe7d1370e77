"""Job cards kept per process (jobs/cards.py): never stale, never for someone signed in."""

import pytest
from django.conf import settings as django_settings
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from jobs.cards import cards_version, keeps_job_cards
from jobs.models import Vacancy
from jobs.tests.factories import OpenVacancyFactory, SectorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True, params=[0, 300], ids=["page cache off", "page cache on"])
def page_cache(request, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = request.param


CARD = '<article class="job-card vacancy-card">'


def job_list(client, query=""):
    return client.get(reverse("jobs:vacancy_list") + query).content.decode()


def what_cards_say(page):
    """Each card up to its save button (which names the job too)."""
    return [card.split('<form class="save-job"')[0] for card in page.split(CARD)[1:]]


def test_a_kept_card_reads_as_the_card_drawn_for_it(client):
    OpenVacancyFactory(title="Staff Nurse", is_featured=True)
    OpenVacancyFactory(title="Ward Sister")
    drawn = job_list(client)
    cards = what_cards_say(job_list(client, "?sort=newest"))  # another page, the same cards
    assert len(cards) == 2 and "Featured" in "".join(cards)
    assert all(card in drawn for card in cards)


@pytest.mark.parametrize("change", ["title", "client", "sector"])
def test_a_change_shows_on_the_cards_at_once(client, change):
    vacancy = OpenVacancyFactory(title="Staff Nurse", sector=SectorFactory(name="Healthcare"))
    assert "Staff Nurse" in what_cards_say(job_list(client))[0]
    if change == "title":
        vacancy.title = "Senior Staff Nurse"
        vacancy.save()
        shown = "Senior Staff Nurse"
    elif change == "client":
        vacancy.client.is_confidential = False
        vacancy.client.name = "St Elsewhere Trust"
        vacancy.client.save()
        shown = "St Elsewhere Trust"
    else:
        vacancy.sector.name = "Nursing"
        vacancy.sector.save()
        shown = "Nursing"
    assert shown in what_cards_say(job_list(client, "?sort=newest"))[0]


def test_a_card_drawn_from_a_job_read_before_a_change_is_not_shown_after_it(rf):
    """The version is read before the jobs: a change committed in between ends it."""
    vacancy = OpenVacancyFactory(title="Staff Nurse")

    @keeps_job_cards
    def page(request):
        before = Vacancy.objects.get(pk=vacancy.pk)  # read, then changed by someone
        Vacancy.objects.filter(pk=vacancy.pk).update(title="Senior Staff Nurse")
        return render_to_string("includes/vacancy_card.html", {"vacancy": before}, request)

    assert "Staff Nurse" in page(rf.get("/jobs/"))
    again = render_to_string(
        "includes/vacancy_card.html",
        {"vacancy": Vacancy.objects.get(pk=vacancy.pk)},
        keeps_job_cards(lambda request: request)(rf.get("/jobs/")),
    )
    assert "Senior Staff Nurse" in again


@pytest.mark.parametrize(
    "cookie",
    [django_settings.SESSION_COOKIE_NAME, django_settings.CANDIDATE_SESSION_COOKIE, "messages"],
)
def test_cards_are_drawn_afresh_for_someone_signed_in(cookie):
    factory = RequestFactory()
    anonymous = keeps_job_cards(lambda request: request)(factory.get("/jobs/"))
    assert cards_version(anonymous)
    factory.cookies[cookie] = "x"
    signed_in = keeps_job_cards(lambda request: request)(factory.get("/jobs/"))
    assert cards_version(signed_in) == ""
