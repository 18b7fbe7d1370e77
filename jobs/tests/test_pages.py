"""The agency's own pages: sectors, the team, about, and the small print."""

import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from recruitment.middleware import VOLATILE_VALUES

from .factories import (
    ClosedVacancyFactory,
    ConsultantFactory,
    OpenVacancyFactory,
    SectorFactory,
)

pytestmark = pytest.mark.django_db

AGENCY_PAGES = ["jobs:about", "jobs:cookies", "jobs:terms", "jobs:accessibility"]


@pytest.fixture
def healthcare():
    lead = ConsultantFactory(name="Kelly Small", email="kelly@samsmall.example")
    return SectorFactory(name="Healthcare", slug="healthcare", lead_consultant=lead)


def test_a_sector_page_shows_its_live_jobs_and_the_consultants_who_recruit_in_it(
    client, healthcare
):
    raj = ConsultantFactory(name="Raj Patel")
    OpenVacancyFactory(title="Staff Nurse", sector=healthcare, consultant=raj)
    ClosedVacancyFactory(title="Old Midwife Role", sector=healthcare)
    OpenVacancyFactory(title="Python Developer", sector=SectorFactory(name="IT"))
    ConsultantFactory(name="Tom Elsewhere")
    response = client.get(reverse("jobs:sector_detail", args=["healthcare"]))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Healthcare recruitment" in content
    assert "Staff Nurse" in content and "1 live Healthcare job" in content
    assert "Old Midwife Role" not in content and "Python Developer" not in content
    names = [consultant.name for consultant in response.context["consultants"]]
    assert names == ["Kelly Small", "Raj Patel"]  # the lead, and whoever has a live job there


def test_a_sector_with_more_jobs_than_its_page_shows_links_to_all_of_them(client, healthcare):
    OpenVacancyFactory.create_batch(12, sector=healthcare)
    content = client.get(healthcare.get_absolute_url()).content.decode()
    assert content.count('<article class="job-card') == 10
    assert f'href="{reverse("jobs:vacancy_list")}?sector=healthcare">See all 12' in content


def test_an_unknown_sector_is_not_found(client):
    assert client.get(reverse("jobs:sector_detail", args=["no-such"])).status_code == 404


def test_the_sector_list_links_each_sector_to_its_page(client, healthcare):
    OpenVacancyFactory(sector=healthcare)
    content = client.get(reverse("jobs:sector_list")).content.decode()
    assert f'href="{healthcare.get_absolute_url()}"' in content
    assert "1 live job" in content and "led by Kelly Small" in content


def test_job_pages_and_the_home_page_lead_to_sector_pages(client, healthcare):
    job = OpenVacancyFactory(sector=healthcare)
    for url in (reverse("jobs:home"), job.get_absolute_url()):
        assert f'href="{healthcare.get_absolute_url()}"' in client.get(url).content.decode()


def test_the_team_page_shows_each_active_consultant_with_sectors_contact_and_live_jobs(
    client, healthcare
):
    kelly = healthcare.lead_consultant
    it = SectorFactory(name="IT")
    OpenVacancyFactory(title="Python Developer", sector=it, consultant=kelly)
    ClosedVacancyFactory(title="Closed Role", consultant=kelly)
    ConsultantFactory(name="Gone Away", is_active=False)
    response = client.get(reverse("jobs:team"))
    content = response.content.decode()
    [shown] = response.context["consultants"]
    assert shown == kelly
    assert [sector.name for sector in shown.sectors] == ["Healthcare", "IT"]
    assert "kelly@samsmall.example" in content and kelly.phone in content
    assert "Python Developer" in content and "1 live job" in content
    assert "Closed Role" not in content and "Gone Away" not in content
    assert 'class="person__initials" aria-hidden="true">KS<' in content  # no photo yet


def test_the_team_page_lists_five_newest_jobs_each_and_counts_them_all(client, healthcare):
    OpenVacancyFactory.create_batch(7, consultant=healthcare.lead_consultant)
    response = client.get(reverse("jobs:team"))
    [kelly] = response.context["consultants"]
    assert (kelly.live_count, len(kelly.live_jobs)) == (7, 5)
    assert "7 live jobs" in response.content.decode()


@pytest.mark.parametrize("name", AGENCY_PAGES)
def test_the_agency_pages_answer_and_change_nothing(client, name):
    url = reverse(name)
    assert client.get(url).status_code == 200
    assert client.post(url).status_code == 405


@pytest.mark.parametrize("count", [1, 30])
@pytest.mark.parametrize(
    ("page", "queries"),
    [
        ("jobs:sector_list", 1),
        ("sector", 3),  # the sector with its count, its jobs, its consultants
        ("jobs:team", 4),  # consultants, their newest jobs, sectors they lead, sectors with jobs
        *[(name, 0) for name in AGENCY_PAGES],
    ],
)
def test_new_pages_run_a_fixed_number_of_queries(
    client, django_assert_num_queries, healthcare, count, page, queries
):
    for consultant in ConsultantFactory.create_batch(3):
        OpenVacancyFactory.create_batch(count, sector=healthcare, consultant=consultant)
    url = healthcare.get_absolute_url() if page == "sector" else reverse(page)
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("page", ["jobs:sector_list", "sector", "jobs:team", *AGENCY_PAGES])
def test_new_pages_are_served_from_the_page_cache(
    client, settings, healthcare, page, django_assert_num_queries
):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 300
    OpenVacancyFactory(sector=healthcare)
    url = healthcare.get_absolute_url() if page == "sector" else reverse(page)
    first = client.get(url)
    with django_assert_num_queries(0):
        again = client.get(url)
    # The same page, but for the CSRF tokens of its forms (each visitor gets their own).
    assert VOLATILE_VALUES.sub(rb"\1", again.content) == VOLATILE_VALUES.sub(rb"\1", first.content)


def test_the_sitemap_lists_the_new_pages_and_sectors_with_live_jobs(client, settings, healthcare):
    OpenVacancyFactory(sector=healthcare)
    SectorFactory(name="Empty")
    assert "/sitemap-sectors.xml" in client.get("/sitemap.xml").content.decode()
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}

    def locations(section):
        xml = client.get(f"/sitemap-{section}.xml").content
        return [url.findtext("s:loc", namespaces=namespace) for url in ET.fromstring(xml)]

    assert locations("sectors") == [f"{settings.SITE_URL}{healthcare.get_absolute_url()}"]
    pages = locations("pages")
    for name in ["jobs:sector_list", "jobs:team", *AGENCY_PAGES]:
        assert f"{settings.SITE_URL}{reverse(name)}" in pages


def test_the_footer_shows_company_details_only_when_they_are_set(client, settings):
    settings.AGENCY = {
        **settings.AGENCY,
        "LEGAL_NAME": "Sam Small Recruitment Ltd",
        "COMPANY_NUMBER": "01234567",
        "REGISTERED_OFFICE": "1 High Street, London EC1A 1AA",
        "ICO_NUMBER": "",
        "TRADE_BODY": "the Recruitment & Employment Confederation",
    }
    content = client.get(reverse("jobs:about")).content.decode()
    assert (
        "<dt>Registered company</dt><dd>Sam Small Recruitment Ltd, company number 01234567</dd>"
        in content
    )
    assert "<dt>Registered office</dt><dd>1 High Street, London EC1A 1AA</dd>" in content
    assert "<dt>Member of</dt><dd>the Recruitment &amp; Employment Confederation</dd>" in content
    assert "ICO registration" not in content
    for name in ["candidates:privacy", *AGENCY_PAGES]:
        assert f'href="{reverse(name)}"' in content


def test_the_footer_leaves_company_details_out_when_none_are_set(client, settings):
    settings.AGENCY = {
        **settings.AGENCY,
        **dict.fromkeys(
            ["LEGAL_NAME", "COMPANY_NUMBER", "REGISTERED_OFFICE", "ICO_NUMBER", "TRADE_BODY"], ""
        ),
    }
    content = client.get(reverse("jobs:about")).content.decode()
    assert "site-footer__facts" not in content and "Registered" not in content


def test_the_team_and_the_sectors_are_listed_by_name(client, healthcare):
    for name in ("Zara Young", "Adam Ash"):
        OpenVacancyFactory(consultant=ConsultantFactory(name=name), sector=SectorFactory(name=name))
    team = client.get(reverse("jobs:team")).context["consultants"]
    assert [consultant.name for consultant in team] == ["Adam Ash", "Kelly Small", "Zara Young"]
    sectors = client.get(reverse("jobs:sector_list")).context["sectors"]
    assert [sector.name for sector in sectors] == ["Adam Ash", "Healthcare", "Zara Young"]
