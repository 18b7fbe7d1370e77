from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from .factories import (
    ClosedVacancyFactory,
    ConfidentialClientFactory,
    DraftVacancyFactory,
    ExpiredVacancyFactory,
    FilledVacancyFactory,
    OpenVacancyFactory,
    ScheduledVacancyFactory,
    SectorFactory,
    StaffUserFactory,
)

pytestmark = pytest.mark.django_db


def test_home_shows_latest_live_jobs_featured_jobs_and_sectors(client):
    featured = OpenVacancyFactory(title="Head of Healthcare PR", is_featured=True)
    plain = OpenVacancyFactory(title="Account Executive")
    DraftVacancyFactory(title="Secret Draft Role")
    response = client.get(reverse("jobs:home"))
    assert response.status_code == 200
    assert list(response.context["featured"]) == [featured]
    assert set(response.context["latest"]) == {featured, plain}
    assert [sector.live_count for sector in response.context["sectors"]] == [2]
    assert "Secret Draft Role" not in response.content.decode()


def test_job_list_shows_live_jobs_only_newest_first(client):
    now = timezone.now()
    OpenVacancyFactory(title="Newer Role", published_at=now - timedelta(hours=1))
    OpenVacancyFactory(title="Older Role", published_at=now - timedelta(days=3))
    for factory in (
        DraftVacancyFactory,
        ScheduledVacancyFactory,
        ExpiredVacancyFactory,
        ClosedVacancyFactory,
        FilledVacancyFactory,
    ):
        factory(title=f"Hidden {factory.__name__}")
    response = client.get(reverse("jobs:vacancy_list"))
    assert response.status_code == 200
    assert [v.title for v in response.context["vacancies"]] == ["Newer Role", "Older Role"]
    assert "Hidden" not in response.content.decode()


def test_job_card_shows_what_candidates_scan_for(client):
    OpenVacancyFactory(
        title="Staff Nurse",
        location="Manchester",
        salary_min=33000,
        salary_max=39000,
        contract_type="temporary",
        hours="part_time",
        sector=SectorFactory(name="Healthcare"),
    )
    response = client.get(reverse("jobs:vacancy_list"))
    for text in (
        "Staff Nurse",
        "Manchester",
        "£33,000 – £39,000 a year",
        "Temporary, part time",
        "Healthcare",
        "Posted",
    ):
        assert text in response.content.decode()


def test_job_list_paginates(client, settings):
    for number in range(23):
        OpenVacancyFactory(title=f"Role {number}")
    first = client.get(reverse("jobs:vacancy_list"))
    second = client.get(reverse("jobs:vacancy_list"), {"page": 2})
    assert len(first.context["vacancies"]) == 20
    assert len(second.context["vacancies"]) == 3
    assert 'rel="next"' in first.content.decode()


def test_job_list_page_out_of_range_is_not_found(client):
    assert client.get(reverse("jobs:vacancy_list"), {"page": 99}).status_code == 404
    assert client.get(reverse("jobs:vacancy_list"), {"page": "abc"}).status_code == 404


def test_job_list_filters_by_sector_and_keywords(client):
    healthcare = SectorFactory(name="Healthcare")
    nurse = OpenVacancyFactory(title="Staff Nurse", sector=healthcare, location="Leeds")
    OpenVacancyFactory(title="Account Director", location="London")
    by_sector = client.get(reverse("jobs:vacancy_list"), {"sector": healthcare.slug})
    by_words = client.get(reverse("jobs:vacancy_list"), {"q": "nurse leeds"})
    assert list(by_sector.context["vacancies"]) == [nurse]
    assert list(by_words.context["vacancies"]) == [nurse]


def test_odd_search_input_gives_a_normal_page(client):
    OpenVacancyFactory()
    for query in ["x" * 10000, "' OR 1=1 --", "\x00\x1f", '🙂 "quoted"', "%_"]:
        response = client.get(reverse("jobs:vacancy_list"), {"q": query, "sector": query})
        assert response.status_code == 200


def test_job_page_shows_the_full_advert_and_the_consultant(client):
    vacancy = OpenVacancyFactory(closes_on="2099-12-31")
    response = client.get(vacancy.get_absolute_url())
    assert response.status_code == 200
    content = response.content.decode()
    consultant = vacancy.consultant
    for text in (
        vacancy.title,
        vacancy.reference,
        "31 December 2099",
        "<h3>The role</h3>",
        consultant.name,
        consultant.email,
        consultant.phone,
    ):
        assert text in content


def test_job_page_of_confidential_client_never_names_it(client):
    vacancy = OpenVacancyFactory(client=ConfidentialClientFactory())
    content = client.get(vacancy.get_absolute_url()).content.decode()
    assert "A global healthcare communications agency" in content
    assert "Hidden Healthcare Comms" not in content
    listing = client.get(reverse("jobs:vacancy_list")).content.decode()
    assert "Hidden Healthcare Comms" not in listing


@pytest.mark.parametrize(
    ("factory", "wording"),
    [
        (ClosedVacancyFactory, "no longer open"),
        (FilledVacancyFactory, "it has been filled"),
        (ExpiredVacancyFactory, "no longer open"),
    ],
)
def test_ended_job_page_says_so_and_links_to_live_jobs_in_its_sector(client, factory, wording):
    ended = factory(title="Old Role")
    similar = OpenVacancyFactory(title="Similar Live Role", sector=ended.sector)
    OpenVacancyFactory(title="Other Sector Role", sector=SectorFactory(name="Engineering"))
    response = client.get(ended.get_absolute_url())
    assert response.status_code == 200
    assert wording in response.content.decode()
    assert list(response.context["similar"]) == [similar]
    assert '<meta name="robots" content="noindex">' in response.content.decode()


@pytest.mark.parametrize("factory", [DraftVacancyFactory, ScheduledVacancyFactory])
def test_unpublished_job_page_is_not_found_by_the_public(client, factory):
    assert client.get(factory().get_absolute_url()).status_code == 404


def test_unknown_job_is_not_found(client):
    assert client.get(reverse("jobs:vacancy_detail", args=["no-such-job"])).status_code == 404


def test_staff_can_preview_a_draft(client):
    vacancy = DraftVacancyFactory(title="Draft In Progress")
    client.force_login(StaffUserFactory())
    response = client.get(vacancy.get_absolute_url())
    assert response.status_code == 200
    assert "Staff preview" in response.content.decode()
    assert "Draft In Progress" in response.content.decode()


def test_public_pages_refuse_methods_that_change_data(client):
    vacancy = OpenVacancyFactory()
    for url in (reverse("jobs:home"), reverse("jobs:vacancy_list"), vacancy.get_absolute_url()):
        assert client.post(url).status_code == 405
        assert client.generic("TRACE", url).status_code == 405


@pytest.mark.parametrize("count", [1, 30])
def test_home_runs_a_fixed_number_of_queries(client, django_assert_num_queries, count):
    OpenVacancyFactory.create_batch(count, is_featured=True)
    with django_assert_num_queries(3):
        client.get(reverse("jobs:home"))


@pytest.mark.parametrize("count", [1, 30])
def test_job_list_runs_a_fixed_number_of_queries(client, django_assert_num_queries, count):
    sector = OpenVacancyFactory.create_batch(count)[0].sector
    # Every facet count with the total, then the page.
    with django_assert_num_queries(2):
        response = client.get(reverse("jobs:vacancy_list"), {"sector": sector.slug})
    assert len(response.context["vacancies"]) == min(count, 20)


@pytest.mark.parametrize("count", [1, 30])
def test_keyword_search_runs_a_fixed_number_of_queries(client, django_assert_num_queries, count):
    OpenVacancyFactory.create_batch(count)
    # The counts, then the page: "account" is in every factory job's headline.
    with django_assert_num_queries(2):
        response = client.get(reverse("jobs:vacancy_list"), {"q": "account"})
    assert len(response.context["vacancies"]) == min(count, 20)


@pytest.mark.parametrize("count", [1, 30])
def test_job_page_runs_a_fixed_number_of_queries(client, django_assert_num_queries, count):
    vacancy = OpenVacancyFactory.create_batch(count)[0]
    with django_assert_num_queries(1):
        client.get(vacancy.get_absolute_url())


@pytest.mark.parametrize("count", [1, 30])
def test_ended_job_page_runs_a_fixed_number_of_queries(client, django_assert_num_queries, count):
    ended = ClosedVacancyFactory()
    OpenVacancyFactory.create_batch(count, sector=ended.sector)
    with django_assert_num_queries(2):
        client.get(ended.get_absolute_url())


def test_sorting_a_search_again_reuses_its_facet_counts(client, django_assert_num_queries):
    OpenVacancyFactory.create_batch(3, title="Staff Nurse")
    client.get(reverse("jobs:vacancy_list"), {"q": "nurse"})
    with django_assert_num_queries(1):  # the page of results only
        client.get(reverse("jobs:vacancy_list"), {"q": "nurse", "sort": "newest"})
