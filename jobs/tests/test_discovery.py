import json
import re

import pytest
from django.urls import reverse

from .factories import (
    ClosedVacancyFactory,
    ConfidentialClientFactory,
    DraftVacancyFactory,
    FilledVacancyFactory,
    OpenVacancyFactory,
    SectorFactory,
)

pytestmark = pytest.mark.django_db
JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def job_posting(client, vacancy):
    html = client.get(vacancy.get_absolute_url()).content.decode()
    match = JSON_LD.search(html)
    return json.loads(match[1]) if match else None


def test_live_job_page_has_a_job_posting(client):
    vacancy = OpenVacancyFactory(
        title="Staff Nurse", location="Leeds", closes_on="2099-01-31", hours="part_time"
    )
    posting = job_posting(client, vacancy)
    assert posting["@type"] == "JobPosting"
    assert posting["title"] == "Staff Nurse"
    assert posting["jobLocation"]["address"]["addressLocality"] == "Leeds"
    assert posting["baseSalary"]["value"] == {
        "@type": "QuantitativeValue", "unitText": "YEAR", "minValue": 40000.0, "maxValue": 50000.0
    }  # fmt: skip
    assert posting["validThrough"].startswith("2099-01-31T23:59")
    assert posting["employmentType"] == ["PART_TIME"]
    assert posting["identifier"]["value"] == vacancy.reference
    assert "<h3>The role</h3>" in posting["description"]


def test_job_posting_of_a_confidential_client_names_the_agency(client):
    vacancy = OpenVacancyFactory(client=ConfidentialClientFactory())
    posting = job_posting(client, vacancy)
    assert posting["hiringOrganization"]["name"] == "Sam Small Recruitment"
    assert "Hidden Healthcare" not in json.dumps(posting)


def test_job_posting_cannot_break_out_of_its_script_element(client):
    vacancy = OpenVacancyFactory(title="</script><script>alert(1)</script>")
    html = client.get(vacancy.get_absolute_url()).content.decode()
    assert "</script><script>alert(1)" not in html
    assert job_posting(client, vacancy)["title"] == "</script><script>alert(1)</script>"


def test_ended_job_page_has_no_job_posting(client):
    assert job_posting(client, ClosedVacancyFactory()) is None


@pytest.mark.parametrize("feed", ["jobs:feed_rss", "jobs:feed_atom"])
def test_feeds_list_live_jobs_only(client, feed):
    live = OpenVacancyFactory(title="Live Nurse")
    for factory in (DraftVacancyFactory, ClosedVacancyFactory, FilledVacancyFactory):
        factory(title=f"Gone {factory.__name__}")
    content = client.get(reverse(feed)).content.decode()
    assert "Live Nurse" in content and live.get_absolute_url() in content
    assert "Gone" not in content


def test_feed_for_a_sector_and_a_search(client):
    healthcare = SectorFactory(name="Healthcare")
    OpenVacancyFactory(title="Staff Nurse", sector=healthcare)
    OpenVacancyFactory(title="Account Director")
    by_sector = client.get(reverse("jobs:feed_rss"), {"sector": healthcare.slug})
    by_search = client.get(reverse("jobs:feed_rss"), {"q": "director"})
    assert "Staff Nurse" in by_sector.content.decode()
    assert "Account Director" not in by_sector.content.decode()
    assert "Account Director" in by_search.content.decode()
    assert "Staff Nurse" not in by_search.content.decode()


def test_sitemap_lists_live_jobs_with_lastmod_and_drops_ended_ones(client):
    live = OpenVacancyFactory()
    closed = ClosedVacancyFactory()
    index = client.get("/sitemap.xml").content.decode()
    assert "/sitemap-jobs.xml" in index
    jobs = client.get("/sitemap-jobs.xml").content.decode()
    assert live.get_absolute_url() in jobs and "<lastmod>" in jobs
    assert closed.get_absolute_url() not in jobs
    pages = client.get("/sitemap-pages.xml").content.decode()
    assert reverse("candidates:send_cv") in pages


def test_robots_txt_points_to_the_sitemap_and_keeps_out_of_staff_pages(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    content = response.content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in content
    assert "Disallow: /admin/" in content and "Disallow: /staff/" in content


@pytest.mark.parametrize("count", [1, 30])
def test_feed_runs_a_fixed_number_of_queries(client, django_assert_num_queries, count):
    OpenVacancyFactory.create_batch(count)
    with django_assert_num_queries(1):
        client.get(reverse("jobs:feed_rss"))
