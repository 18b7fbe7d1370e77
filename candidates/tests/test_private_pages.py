"""Pages whose address is someone's secret: never cached, and staff visits are not theirs."""

import pytest
from django.urls import reverse

from candidates.models import Enquiry, EnquiryLink, JobAlert
from jobs.tests.factories import ConsultantFactory, OpenVacancyFactory, StaffUserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def link():
    return EnquiryLink.objects.create(
        vacancy=OpenVacancyFactory(), sender=ConsultantFactory(), email="ana@example.com"
    )


def test_pages_at_secret_addresses_are_never_cached(client, link):
    alert = JobAlert.objects.create(email="zoe@example.com", search={"q": "nurse"})
    enquiry = Enquiry.objects.create(
        kind="question", vacancy=link.vacancy, name="Zoë", email="z@x.example", notify_email="k@x"
    )
    pages = [
        link.personal_url(),
        enquiry.thanks_url(),
        alert.manage_url(),
        reverse("candidates:alert_confirm", args=[alert.token]),
        reverse("candidates:alert_unsubscribe", args=[alert.token]),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == "private, no-store", url


def test_staff_checking_a_link_they_sent_is_not_counted_as_an_open(client, link):
    client.force_login(StaffUserFactory())
    client.get(link.personal_url())
    link.refresh_from_db()
    assert link.open_count == 0 and link.first_opened_at is None
    client.logout()
    client.get(link.personal_url())
    link.refresh_from_db()
    assert link.open_count == 1


def test_the_links_report_says_what_it_counts(admin_client, link):
    content = admin_client.get(reverse("admin:candidates_enquirylink_report")).content.decode()
    assert "not signed in as staff" in content and "link scanners" in content
