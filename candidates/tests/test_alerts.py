import re
from datetime import timedelta
from io import StringIO
from urllib.parse import parse_qsl

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from candidates.alerts import queue_due_digests
from candidates.models import JobAlert
from candidates.tests.factories import ConfirmedJobAlertFactory
from jobs.tests.factories import ClosedVacancyFactory, OpenVacancyFactory, SectorFactory
from outbox import delivery
from outbox.models import Message

pytestmark = pytest.mark.django_db
LINK = re.compile(r"http://127\.0\.0\.1:8000(/alerts/[^/\s]+/(?:confirm/)?)")


def subscribe(client, search="q=nurse", email="zoe@example.com", frequency="daily"):
    return client.post(
        reverse("candidates:alert_subscribe"),
        {"email": email, "frequency": frequency, "search": search},
    )


def confirmed_alert(client=None, search="q=nurse", frequency="daily"):
    """An alert for zoe@example.com confirmed a day ago (the client is not needed)."""
    return ConfirmedJobAlertFactory(
        email="zoe@example.com", search=dict(parse_qsl(search)), frequency=frequency
    )


def body(message):
    return message.get_body(("plain",)).get_content()


def test_double_opt_in(client, smtp_server):
    response = subscribe(client)
    assert response.status_code == 302 and response.url == "/jobs/?q=nurse"
    alert = JobAlert.objects.get()
    assert (alert.search, alert.is_active) == ({"q": "nurse"}, False)
    [message] = smtp_server.inbox.to("zoe@example.com")
    confirm_path = LINK.search(body(message))[1]
    assert confirm_path == f"/alerts/{alert.token}/confirm/"
    # Opening the link (or a mail scanner prefetching it) confirms nothing.
    assert client.get(confirm_path).status_code == 200
    assert not JobAlert.objects.get().is_active
    client.post(confirm_path)
    assert JobAlert.objects.get().is_active


def test_nothing_is_sent_before_confirmation(client, smtp_server):
    subscribe(client)
    OpenVacancyFactory(title="Staff Nurse")
    assert queue_due_digests() == 0


def test_digest_lists_only_new_live_matching_jobs_and_is_sent_once(client, smtp_server):
    alert = confirmed_alert(client)
    OpenVacancyFactory(title="Staff Nurse", published_at=timezone.now() - timedelta(days=3))
    OpenVacancyFactory(title="Night Nurse")
    OpenVacancyFactory(title="Python Developer")
    ClosedVacancyFactory(title="Closed Nurse")
    call_command("send_job_alerts", stdout=StringIO())
    call_command("send_job_alerts", stdout=StringIO())  # safe to run twice
    [message] = smtp_server.inbox.to("zoe@example.com")
    text = body(message)
    assert "Night Nurse" in text
    assert "Staff Nurse" not in text  # published before the alert's last digest
    assert "Python Developer" not in text and "Closed Nurse" not in text
    assert message["Subject"].strip() == "1 new job: “nurse”"
    unsubscribe = f"http://127.0.0.1:8000/alerts/{alert.token}/unsubscribe/"
    assert message["List-Unsubscribe"].strip() == f"<{unsubscribe}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert unsubscribe in text


def test_no_email_when_there_is_nothing_new(client, smtp_server):
    confirmed_alert(client)
    OpenVacancyFactory(title="Python Developer")
    assert queue_due_digests() == 0
    assert smtp_server.inbox.messages == []


def test_next_digest_holds_only_jobs_since_the_last(client, smtp_server):
    confirmed_alert(client)
    OpenVacancyFactory(title="Night Nurse")
    assert queue_due_digests() == 1
    JobAlert.objects.update(last_sent_at=timezone.now() - timedelta(days=1))
    OpenVacancyFactory(title="Day Nurse", published_at=timezone.now())
    assert queue_due_digests() == 1
    second = body(smtp_server.inbox.to("zoe@example.com")[1])
    assert "Day Nurse" in second and "Night Nurse" not in second


def test_weekly_alert_waits_a_week(client, smtp_server):
    confirmed_alert(client, frequency="weekly")
    OpenVacancyFactory(title="Night Nurse")
    assert queue_due_digests() == 1
    OpenVacancyFactory(title="Day Nurse", published_at=timezone.now())
    JobAlert.objects.update(last_sent_at=timezone.now() - timedelta(days=2))
    assert queue_due_digests() == 0
    JobAlert.objects.update(last_sent_at=timezone.now() - timedelta(days=7))
    assert queue_due_digests() == 1


def test_a_digest_the_mail_server_refused_is_retried_by_the_outbox_not_queued_again(
    client, smtp_server
):
    confirmed_alert(client)
    OpenVacancyFactory(title="Night Nurse")
    smtp_server.stop()
    assert queue_due_digests() == 1
    assert queue_due_digests() == 0  # the digest is queued once, whatever the mail server does
    digest = Message.objects.get(purpose="alert.digest")
    assert (digest.state, digest.attempts) == ("queued", 1)
    smtp_server.start()
    Message.objects.update(next_attempt_at=timezone.now())  # its back-off has passed
    delivery.send_due()
    assert "Night Nurse" in body(smtp_server.inbox.to("zoe@example.com")[0])


def test_subscribing_again_never_changes_an_existing_alert(client, smtp_server):
    """Anyone may type any address: only the alert's own link changes it."""
    alert = confirmed_alert(client, frequency="daily")
    subscribe(client, frequency="weekly")
    assert JobAlert.objects.get(pk=alert.pk).frequency == "daily"
    assert JobAlert.objects.count() == 1


def test_a_confirmation_repeats_little_of_what_the_visitor_typed(client, smtp_server):
    subscribe(client, search="q=nurse+cheap+pills+at+http%3A%2F%2Fspam.example")
    text = body(smtp_server.inbox.to("zoe@example.com")[0])
    assert "spam.example" not in text and "http://spam" not in text
    assert "/confirm/" in text


def test_at_most_one_confirmation_an_hour_goes_to_an_address(client, smtp_server):
    for search in ("q=nurse", "q=doctor", "q=porter"):
        subscribe(client, search=search)
    assert JobAlert.objects.count() == 3  # every alert is kept, to be confirmed
    assert len(smtp_server.inbox.to("zoe@example.com")) == 1


def test_one_click_unsubscribe_needs_no_page_or_csrf_token(client, smtp_server):
    alert = confirmed_alert(client)
    mail_client = Client(enforce_csrf_checks=True)
    response = mail_client.post(
        reverse("candidates:alert_unsubscribe", args=[alert.token]),
        {"List-Unsubscribe": "One-Click"},
    )
    assert response.status_code == 200
    assert not JobAlert.objects.get().is_active
    OpenVacancyFactory(title="Night Nurse")
    assert queue_due_digests() == 0


def test_unsubscribe_link_opened_in_a_browser_asks_first(client, smtp_server):
    alert = confirmed_alert(client)
    assert "Unsubscribe" in client.get(f"/alerts/{alert.token}/unsubscribe/").content.decode()
    assert JobAlert.objects.get().is_active


def test_manage_page_changes_frequency(client, smtp_server):
    alert = confirmed_alert(client)
    client.post(alert.manage_url(), {"frequency": "weekly"})
    assert JobAlert.objects.get().frequency == "weekly"
    assert client.post(alert.manage_url(), {"frequency": "hourly"}).status_code == 400


def test_alert_from_a_filtered_search_keeps_its_filters(client, smtp_server):
    healthcare = SectorFactory(name="Healthcare")
    subscribe(client, search=f"q=nurse&sector={healthcare.slug}&workplace=moon&page=3")
    alert = JobAlert.objects.get()
    assert alert.search == {"q": "nurse", "sector": healthcare.slug}
    alert.confirm()
    JobAlert.objects.update(jobs_since=timezone.now() - timedelta(days=1))
    smtp_server.inbox.messages.clear()  # the confirmation
    OpenVacancyFactory(title="Night Nurse", sector=healthcare)
    OpenVacancyFactory(title="School Nurse")
    queue_due_digests()
    text = body(smtp_server.inbox.to("zoe@example.com")[0])
    assert "Night Nurse" in text and "School Nurse" not in text


@pytest.mark.parametrize("token", ["nope", "x" * 300, "%00", "../admin"])
def test_unknown_tokens_are_not_found(client, token):
    assert client.get(f"/alerts/{token}/").status_code == 404


def test_bad_alert_form_is_explained(client):
    response = subscribe(client, email="not-an-email")
    assert response.status_code == 400
    assert "Enter a valid email address." in response.content.decode()
    assert not JobAlert.objects.exists()


def test_job_list_offers_an_alert_for_this_search(client):
    content = client.get(reverse("jobs:vacancy_list"), {"q": "nurse"}).content.decode()
    assert "Email me jobs like these" in content
    assert 'name="search" value="q=nurse"' in content
