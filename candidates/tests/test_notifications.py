from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from candidates import notifications
from candidates.models import Enquiry
from jobs.tests.factories import ConsultantFactory, OpenVacancyFactory

from .factories import pdf_cv
from .test_views import enquire

# The worker closes its database connection between tasks, so these tests commit for real.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def vacancy():
    consultant = ConsultantFactory(name="Kelly Small", email="kelly@samsmall.example")
    return OpenVacancyFactory(title="PR Healthcare Account Director", consultant=consultant)


def run_worker():
    call_command(
        "db_worker",
        "--batch",
        "--no-startup-delay",
        "--interval",
        "0",
        stdout=StringIO(),
        stderr=StringIO(),
    )


def let_backoff_pass():
    """Move the clock's effect forward: the retry is due now, not in a minute."""
    past = timezone.now() - timedelta(seconds=1)
    Enquiry.objects.update(notify_after=past)
    DBTaskResult.objects.filter(status="READY").update(run_after=past)


def test_consultant_gets_the_enquiry_with_reply_to_cv_and_admin_link(client, vacancy, smtp_server):
    enquire(client, vacancy, name="Zoë Nguyễn", email="zoe@example.com", cv=pdf_cv())
    run_worker()
    enquiry = Enquiry.objects.get()
    [message] = smtp_server.inbox.to("kelly@samsmall.example")
    assert message["Subject"].strip() == (
        f"[{vacancy.reference}] PR Healthcare Account Director: Application with CV from Zoë Nguyễn"
    )
    assert message["Reply-To"].addresses[0].addr_spec == "zoe@example.com"
    assert message["Reply-To"].addresses[0].display_name == "Zoë Nguyễn"
    body = message.get_body(("plain",)).get_content()
    assert f"http://127.0.0.1:8000/admin/candidates/enquiry/{enquiry.pk}/change/" in body
    assert f"/staff/enquiries/{enquiry.pk}/cv/" in body
    assert "07911 123456" in body and "I would like to hear more." in body
    [attachment] = list(message.iter_attachments())
    assert attachment.get_filename() == "Zoë CV.pdf"
    assert attachment.get_content().startswith(b"%PDF")
    assert enquiry.notified_at is not None and enquiry.notification_state == "sent"


def test_candidate_gets_a_confirmation_naming_the_consultant(client, vacancy, smtp_server):
    enquire(client, vacancy, email="zoe@example.com")
    run_worker()
    [message] = smtp_server.inbox.to("zoe@example.com")
    assert message["Reply-To"].addresses[0].addr_spec == "kelly@samsmall.example"
    body = message.get_body(("plain",)).get_content()
    assert "Kelly Small" in body and Enquiry.objects.get().reference in body


def test_large_cv_is_linked_not_attached(client, vacancy, smtp_server, settings):
    settings.NOTIFY_ATTACH_MAX_SIZE = 10
    enquire(client, vacancy, cv=pdf_cv())
    run_worker()
    [message] = smtp_server.inbox.to("kelly@samsmall.example")
    assert list(message.iter_attachments()) == []
    assert "too large to attach" in message.get_body(("plain",)).get_content()


def test_html_in_an_enquiry_arrives_as_plain_text(client, vacancy, smtp_server):
    enquire(client, vacancy, message="<script>alert(1)</script>")
    run_worker()
    [message] = smtp_server.inbox.to("kelly@samsmall.example")
    assert not message.is_multipart() or message.get_body(("html",)) is None
    assert "<script>alert(1)</script>" in message.get_body(("plain",)).get_content()


def test_mail_server_down_loses_nothing_and_delivers_exactly_once_later(
    client, vacancy, smtp_server
):
    smtp_server.stop()
    response = enquire(client, vacancy, cv=pdf_cv())
    assert response.status_code == 302  # the candidate still sees the thank-you page
    run_worker()
    enquiry = Enquiry.objects.get()
    assert enquiry.notification_state == "pending"
    assert enquiry.notify_attempts == 1 and enquiry.notify_last_error
    assert enquiry.notify_after > timezone.now()  # backing off
    assert DBTaskResult.objects.filter(status="READY").count() == 1  # the retry is queued

    smtp_server.start()
    run_worker()  # the retry is not due yet: nothing is sent early
    assert smtp_server.inbox.messages == []
    let_backoff_pass()
    run_worker()
    call_command("send_pending_notifications", stdout=StringIO())
    run_worker()
    assert len(smtp_server.inbox.to("kelly@samsmall.example")) == 1
    assert len(smtp_server.inbox.to("zoe@example.com")) == 1
    enquiry.refresh_from_db()
    assert enquiry.notification_state == "sent" and enquiry.notify_last_error == ""


def test_back_off_grows_with_each_failure(vacancy, client, smtp_server):
    smtp_server.stop()
    enquire(client, vacancy)
    enquiry = Enquiry.objects.get()
    delays = []
    for _ in range(4):
        let_backoff_pass()
        delays.append(notifications.deliver(enquiry.pk))
    assert delays == [timedelta(minutes=m) for m in (1, 2, 4, 8)]


def test_gives_up_after_the_last_attempt_and_staff_can_resend(
    admin_client, client, vacancy, smtp_server, settings
):
    settings.NOTIFY_MAX_ATTEMPTS = 2
    smtp_server.stop()
    enquire(client, vacancy)
    enquiry = Enquiry.objects.get()
    for _ in range(3):
        let_backoff_pass()
        notifications.deliver(enquiry.pk)
    enquiry.refresh_from_db()
    assert (enquiry.notify_attempts, enquiry.notification_state) == (2, "failed")
    smtp_server.start()
    admin_client.post(
        reverse("admin:candidates_enquiry_changelist"),
        {"action": "resend_notification", "_selected_action": [enquiry.pk]},
    )
    run_worker()
    enquiry.refresh_from_db()
    assert enquiry.notification_state == "sent"
    assert len(smtp_server.inbox.to("kelly@samsmall.example")) == 1


def test_two_workers_cannot_send_the_same_enquiry(client, vacancy, smtp_server):
    enquire(client, vacancy)
    enquiry = Enquiry.objects.get()
    assert notifications.claim(enquiry.pk) is True
    assert notifications.claim(enquiry.pk) is False  # the second worker backs away
    assert notifications.deliver(enquiry.pk) is None
    assert smtp_server.inbox.messages == []


def test_a_rolled_back_enquiry_queues_no_task(vacancy):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        Enquiry.objects.create(kind="question", vacancy=vacancy, name="x", email="x@example.com")
        from candidates.tasks import deliver_enquiry

        deliver_enquiry.enqueue(1)
        raise RuntimeError
    assert not DBTaskResult.objects.exists() and not Enquiry.objects.exists()


def test_the_consultant_hears_when_the_job_had_closed_before_the_enquiry_came(
    client, vacancy, smtp_server
):
    vacancy.close()  # while the candidate was still writing
    enquire(client, vacancy)
    run_worker()
    [message] = smtp_server.inbox.to("kelly@samsmall.example")
    assert message.get_body(("plain",)).get_content().startswith("THE JOB HAD CLOSED")
