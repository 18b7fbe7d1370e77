from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from jobs.search import NewestMatches

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
    with django_assert_num_queries(2 + NewestMatches.sorts_ids_first()):
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
    with django_assert_num_queries(1 + NewestMatches.sorts_ids_first()):  # the page of results only
        client.get(reverse("jobs:vacancy_list"), {"q": "nurse", "sort": "newest"})


def test_salary_words_show_beside_the_figures_on_the_job_page_and_its_card(client):
    vacancy = OpenVacancyFactory(
        salary_min=40000, salary_max=50000, salary_text="plus bonus and car"
    )
    salary = "£40,000 – £50,000 a year, plus bonus and car"
    assert salary in client.get(vacancy.get_absolute_url()).content.decode()
    assert salary in client.get(reverse("jobs:vacancy_list")).content.decode()


def test_a_card_without_a_summary_shows_the_adverts_first_sentence(client):
    OpenVacancyFactory(
        summary="",
        description="### The role\n\nLead a **busy** ward team in Leeds. Work with consultants.",
    )
    content = client.get(reverse("jobs:vacancy_list")).content.decode()
    assert '<p class="job-card__summary">Lead a busy ward team in Leeds.</p>' in content


def test_a_card_shows_the_workplace_and_how_long_ago_it_was_posted(client):
    OpenVacancyFactory(workplace="on_site", published_at=timezone.now() - timedelta(days=3))
    content = client.get(reverse("jobs:vacancy_list")).content.decode()
    assert "Workplace: </span>On-site" in content
    assert ">3 days ago</time>" in content


def test_search_results_come_before_the_filters_which_fold_into_a_disclosure(client):
    OpenVacancyFactory(title="Staff Nurse", workplace="hybrid", hours="part_time")
    content = client.get(
        reverse("jobs:vacancy_list"), {"q": "nurse", "workplace": "hybrid", "hours": "part_time"}
    ).content.decode()
    assert "<summary>Filters (2 active)</summary>" in content
    disclosure = content.index('<details class="filters">')
    folded_until = content.index("</details>", disclosure)
    # Every filter is folded away; only the keywords box and the fold come before the results.
    assert content.count("<select", 0, disclosure) == 0
    assert disclosure < content.index("<select") < folded_until
    assert content.count("<select", folded_until) == 0
    assert content.index("Staff Nurse</a>") > folded_until


def test_each_applied_filter_is_a_link_to_the_search_without_it(client):
    OpenVacancyFactory(title="Staff Nurse", workplace="hybrid")
    content = client.get(
        reverse("jobs:vacancy_list"), {"q": "nurse", "workplace": "hybrid"}
    ).content.decode()
    assert (
        '<a class="chip" href="/jobs/?q=nurse"><span class="visually-hidden">Remove workplace: '
        "</span>Hybrid" in content
    )
    assert '<a class="chip" href="/jobs/?workplace=hybrid">' in content  # without the keywords
    assert '<a class="chip chip--clear" href="/jobs/">Clear all</a>' in content


def test_sorting_is_a_link_that_keeps_the_search(client):
    OpenVacancyFactory(title="Staff Nurse")
    content = client.get(reverse("jobs:vacancy_list"), {"q": "nurse"}).content.decode()
    assert (
        '<a href="/jobs/?q=nurse&amp;sort=relevance" aria-current="true">Relevance</a>' in content
    )
    assert '<a href="/jobs/?q=nurse&amp;sort=salary">Salary</a>' in content


def test_a_job_page_offers_apply_near_the_top_and_in_a_bar_until_the_form(client):
    content = client.get(OpenVacancyFactory().get_absolute_url()).content.decode()
    top = content.index('<a class="btn btn-primary btn-lg" href="#apply">Apply for this job</a>')
    bar = content.index('<div class="apply-bar"><a class="btn btn-primary w-100" href="#apply">')
    assert top < content.index("About the role") < bar < content.index('id="apply"')


def test_a_staff_preview_links_back_to_editing_and_offers_no_apply_button(client):
    vacancy = DraftVacancyFactory()
    client.force_login(StaffUserFactory())
    content = client.get(vacancy.get_absolute_url()).content.decode()
    assert (
        f'href="{reverse("admin:jobs_vacancy_change", args=[vacancy.pk])}">Back to editing'
        in content
    )
    assert "Apply for this job" not in content and "apply-bar" not in content
