import json
import re
import xml.etree.ElementTree as ET
from datetime import timedelta

import feedparser
import pytest
from django.urls import reverse
from django.utils import timezone

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
        "@type": "QuantitativeValue",
        "unitText": "YEAR",
        "minValue": 40000.0,
        "maxValue": 50000.0,
    }
    assert posting["validThrough"].startswith("2099-01-31T23:59")
    assert posting["employmentType"] == ["PART_TIME"]
    assert posting["identifier"]["value"] == vacancy.reference
    assert "<h3>The role</h3>" in posting["description"]


def test_job_posting_of_a_confidential_client_says_confidential(client):
    vacancy = OpenVacancyFactory(client=ConfidentialClientFactory())
    posting = job_posting(client, vacancy)
    assert posting["hiringOrganization"] == "confidential"
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


def test_sitemap_lists_live_jobs_with_lastmod_and_drops_ended_ones(client, settings):
    live = OpenVacancyFactory()
    closed = ClosedVacancyFactory()
    index = client.get("/sitemap.xml").content.decode()
    assert "/sitemap-jobs.xml" in index
    jobs = client.get("/sitemap-jobs.xml").content.decode()
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    urls = ET.fromstring(jobs).findall("s:url", namespace)
    assert [url.findtext("s:loc", namespaces=namespace) for url in urls] == [
        f"{settings.SITE_URL}{live.get_absolute_url()}"
    ]
    assert urls[0].findtext("s:lastmod", namespaces=namespace)
    assert closed.get_absolute_url() not in jobs
    pages = client.get("/sitemap-pages.xml").content.decode()
    assert reverse("candidates:send_cv") in pages


def test_robots_txt_points_to_the_sitemap_and_keeps_out_of_staff_pages(client, settings):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    content = response.content.decode()
    assert f"Sitemap: {settings.SITE_URL}/sitemap.xml" in content
    assert "Disallow: /staff/" in content


@pytest.mark.parametrize("count", [1, 30])
def test_feed_runs_a_fixed_number_of_queries(client, django_assert_num_queries, count):
    OpenVacancyFactory.create_batch(count)
    with django_assert_num_queries(1):
        client.get(reverse("jobs:feed_rss"))


REQUIRED = {"title", "description", "datePosted", "hiringOrganization", "jobLocation"}
RECOMMENDED = {"validThrough", "employmentType", "baseSalary", "identifier", "directApply"}


def test_job_posting_has_every_required_and_recommended_property(client):
    vacancy = OpenVacancyFactory(closes_on="2099-01-31")
    posting = job_posting(client, vacancy)
    assert set(posting) >= REQUIRED | RECOMMENDED
    assert posting["hiringOrganization"] == {"@type": "Organization", "name": vacancy.client.name}


def test_remote_job_posting_says_so(client):
    posting = job_posting(client, OpenVacancyFactory(workplace="remote"))
    assert posting["jobLocationType"] == "TELECOMMUTE"
    assert posting["applicantLocationRequirements"]["name"] == "United Kingdom"


def test_job_page_has_canonical_url_description_and_open_graph(client, settings):
    settings.SITE_URL = "https://jobs.example"
    vacancy = OpenVacancyFactory(summary="Lead a healthcare PR team.")
    html = client.get(vacancy.get_absolute_url()).content.decode()
    url = f"https://jobs.example{vacancy.get_absolute_url()}"
    assert f'<link rel="canonical" href="{url}">' in html
    assert f'<meta property="og:url" content="{url}">' in html
    assert '<meta property="og:description" content="Lead a healthcare PR team.">' in html
    assert '<meta name="description" content="Lead a healthcare PR team.">' in html


def test_the_sites_address_comes_from_site_url_whatever_host_was_asked(client, settings):
    settings.SITE_URL = "https://jobs.example"
    vacancy = OpenVacancyFactory()
    url = f"https://jobs.example{vacancy.get_absolute_url()}"
    assert job_posting(client, vacancy)["url"] == url
    feed = b"".join(client.get(reverse("jobs:feed_job_board")).streaming_content).decode()
    assert f"<url><![CDATA[{url}]]></url>" in feed and "testserver" not in feed
    robots = client.get("/robots.txt").content.decode()
    assert "Sitemap: https://jobs.example/sitemap.xml" in robots


@pytest.mark.parametrize(("days", "status"), [(10, 200), (91, 410)])
def test_long_ended_job_answers_gone(client, days, status):
    ended = ClosedVacancyFactory(ended_at=timezone.now() - timedelta(days=days))
    response = client.get(ended.get_absolute_url())
    assert response.status_code == status
    assert "no longer open" in response.content.decode()


def test_closing_a_vacancy_records_when(client):
    vacancy = OpenVacancyFactory()
    vacancy.close()
    assert vacancy.ended_at is not None and vacancy.ended_on == timezone.localdate()


@pytest.mark.parametrize("feed", ["jobs:feed_rss", "jobs:feed_atom"])
def test_feeds_parse_with_a_real_feed_parser(client, feed, settings):
    vacancy = OpenVacancyFactory(title="Staff Nurse & Midwife <Band 5>")
    parsed = feedparser.parse(client.get(reverse(feed)).content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    [entry] = parsed.entries
    assert entry.title.startswith("Staff Nurse & Midwife <Band 5>")
    assert entry.link == f"{settings.SITE_URL}{vacancy.get_absolute_url()}"


def test_job_board_feed_is_xml_with_every_live_job(client, settings):
    live = OpenVacancyFactory(
        title="Nurse ]]> & <Co>", closes_on="2099-01-31", description="Shifts]]> included"
    )
    OpenVacancyFactory(client=ConfidentialClientFactory(), title="Secret Role")
    ClosedVacancyFactory(title="Closed Role")
    response = client.get(reverse("jobs:feed_job_board"))
    assert response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(b"".join(response.streaming_content))
    jobs = {job.findtext("title"): job for job in root.iter("job")}
    assert set(jobs) == {"Nurse ]]> & <Co>", "Secret Role"}
    nurse = jobs["Nurse ]]> & <Co>"]
    assert nurse.findtext("referencenumber") == live.reference
    assert nurse.findtext("url") == f"{settings.SITE_URL}{live.get_absolute_url()}"
    assert nurse.findtext("company") == live.client.name
    assert nurse.findtext("salary") == "£40,000 - £50,000 per year"
    assert nurse.findtext("jobtype") == "fulltime"
    assert nurse.findtext("expirationdate") == "2099-01-31"
    assert "Shifts]]&gt; included" in nurse.findtext("description")
    assert jobs["Secret Role"].findtext("company") == "Sam Small Recruitment"
    assert (
        "Hidden Healthcare"
        not in b"".join(client.get(reverse("jobs:feed_job_board")).streaming_content).decode()
    )


def test_job_board_feed_query_count_does_not_grow(client, django_assert_num_queries):
    OpenVacancyFactory.create_batch(12)
    with django_assert_num_queries(1):
        b"".join(client.get(reverse("jobs:feed_job_board")).streaming_content)


def test_every_absolute_address_comes_from_site_url_not_the_host_header(client, settings):
    """A client's Host header (any of ALLOWED_HOSTS) must not decide the addresses the site
    gives out: cached, they would reach every visitor."""
    settings.SITE_URL = "https://jobs.example"
    settings.ALLOWED_HOSTS = ["jobs.example", "other.example"]
    vacancy = OpenVacancyFactory()
    pages = [
        vacancy.get_absolute_url(),
        reverse("jobs:feed_rss"),
        reverse("jobs:feed_atom"),
        "/sitemap.xml",
        "/sitemap-jobs.xml",
        "/sitemap-pages.xml",
        "/robots.txt",
    ]
    for path in pages:
        content = client.get(path, headers={"Host": "other.example"}).content.decode()
        assert "https://jobs.example/" in content, path
        assert "other.example" not in content, path
    feed = client.get(reverse("jobs:feed_job_board"), headers={"Host": "other.example"})
    content = b"".join(feed.streaming_content).decode()
    assert "https://jobs.example/" in content and "other.example" not in content
