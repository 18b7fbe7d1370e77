from urllib.parse import unquote

import pytest
from django.urls import reverse

from candidates.models import Enquiry
from jobs.tests.factories import ConsultantFactory, OpenVacancyFactory
from outbox.models import Message

from .factories import pdf_cv

pytestmark = pytest.mark.django_db


@pytest.fixture
def vacancy():
    consultant = ConsultantFactory(name="Kelly Small", email="kelly@samsmall.example")
    return OpenVacancyFactory(title="PR Healthcare Account Director", consultant=consultant)


def test_consultant_gets_the_enquiry_with_reply_to_cv_and_admin_link(
    client, vacancy, smtp_server, enquire, plain_body
):
    enquire(client, vacancy, name="Zoë Nguyễn", email="zoe@example.com", cv=pdf_cv())
    enquiry = Enquiry.objects.get()
    [message] = smtp_server.inbox.to("kelly@samsmall.example")
    assert message["Subject"].strip() == (
        f"[{vacancy.reference}] PR Healthcare Account Director: Application with CV from Zoë Nguyễn"
    )
    assert message["Reply-To"].addresses[0].addr_spec == "zoe@example.com"
    assert message["Reply-To"].addresses[0].display_name == "Zoë Nguyễn"
    body = plain_body(message)
    assert f"http://127.0.0.1:8000/admin/candidates/enquiry/{enquiry.pk}/change/" in body
    assert f"/staff/enquiries/{enquiry.pk}/cv/" in body
    assert "07911 123456" in body and "I would like to hear more." in body
    [attachment] = list(message.iter_attachments())
    # The name as sent (RFC 2231), after a plain ASCII one for older mail programs.
    [disposition] = [
        value for name, value in attachment.raw_items() if name == "Content-Disposition"
    ]
    disposition = " ".join(disposition.split())  # unfolded
    assert "filename=\"Zoe CV.pdf\"; filename*=utf-8''Zo%C3%AB%20CV.pdf" in disposition
    assert unquote(disposition.rsplit("utf-8''", 1)[1]) == "Zoë CV.pdf"
    assert attachment.get_content().startswith(b"%PDF")
    assert enquiry.notification_state == "sent"


def test_candidate_gets_a_confirmation_naming_the_consultant(
    client, vacancy, smtp_server, enquire, plain_body
):
    enquire(client, vacancy, email="zoe@example.com")
    [message] = smtp_server.inbox.to("zoe@example.com")
    assert message["Reply-To"].addresses[0].addr_spec == "kelly@samsmall.example"
    body = plain_body(message)
    assert "Kelly Small" in body and Enquiry.objects.get().reference in body
    assert body.startswith("Dear Zoë Nguyễn,")


def test_a_confirmation_carries_no_advert_typed_as_a_name(
    client, vacancy, smtp_server, enquire, plain_body
):
    """Anyone can type a stranger's address: our receipt must not carry their text."""
    enquire(client, vacancy, name="Cheap pills at www.spam.example", email="victim@example.com")
    body = plain_body(smtp_server.inbox.to("victim@example.com")[0])
    assert "spam" not in body and body.startswith("Hello,")
    assert "Cheap pills" in plain_body(smtp_server.inbox.to("kelly@samsmall.example")[0])


def test_one_receipt_an_hour_to_an_address_however_many_enquiries(
    client, vacancy, smtp_server, enquire
):
    for message in ("First", "Second", "Third"):
        enquire(client, vacancy, email="victim@example.com", message=message)
    assert Enquiry.objects.count() == 3
    assert len(smtp_server.inbox.to("kelly@samsmall.example")) == 3  # every enquiry reaches us
    assert len(smtp_server.inbox.to("victim@example.com")) == 1


def test_large_cv_is_linked_not_attached(client, vacancy, smtp_server, settings, enquire):
    settings.NOTIFY_ATTACH_MAX_SIZE = 10
    enquire(client, vacancy, cv=pdf_cv())
    [message] = smtp_server.inbox.to("kelly@samsmall.example")
    assert list(message.iter_attachments()) == []
    assert "too large to attach" in message.get_body(("plain",)).get_content()


def test_html_in_an_enquiry_arrives_as_plain_text(client, vacancy, smtp_server, enquire):
    enquire(client, vacancy, message="<script>alert(1)</script>")
    [message] = smtp_server.inbox.to("kelly@samsmall.example")
    assert "<script>alert(1)</script>" in message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script" not in html


def test_a_line_break_typed_into_a_company_name_never_stops_the_notification(
    client, smtp_server, settings
):
    settings.ENQUIRIES_EMAIL = "inbox@samsmall.example"
    response = client.post(
        reverse("candidates:employers"),
        {
            "name": "Sam",
            "company": "Acme Ltd\r\nBcc: everyone@example.com",
            "email": "sam@acme.example",
            "message": "We are hiring.",
            "consent": "on",
            "submission_id": "6f1c1b36-6a40-4a8a-9d55-3e8a1f0e0d11",
        },
    )
    assert response.status_code == 302
    enquiry = Enquiry.objects.get()
    assert enquiry.company == "Acme Ltd Bcc: everyone@example.com"  # one line at input
    [notification] = smtp_server.inbox.to("inbox@samsmall.example")
    assert notification["Bcc"] is None
    assert enquiry.notification_state == "sent"


def test_mail_server_down_loses_nothing_and_the_admin_says_so(
    client, admin_client, vacancy, smtp_server, enquire
):
    smtp_server.stop()
    response = enquire(client, vacancy, cv=pdf_cv())
    assert response.status_code == 302  # the candidate still sees the thank-you page
    enquiry = Enquiry.objects.get()
    assert enquiry.notification_state == "queued"
    assert Message.objects.about(enquiry).count() == 2  # notification and confirmation
    listing = admin_client.get(
        reverse("admin:candidates_enquiry_changelist"), {"notification": "unsent"}
    )
    assert enquiry.reference in listing.content.decode()
    page = admin_client.get(reverse("admin:candidates_enquiry_change", args=[enquiry.pk]))
    assert "ConnectionRefusedError" in page.content.decode()

    smtp_server.start()
    admin_client.post(
        reverse("admin:candidates_enquiry_changelist"),
        {"action": "resend_notification", "_selected_action": [enquiry.pk]},
    )
    assert enquiry.notification_state == "sent"
    assert len(smtp_server.inbox.to("kelly@samsmall.example")) == 1
    assert len(smtp_server.inbox.to("zoe@example.com")) == 1


def test_the_consultant_hears_when_the_job_had_closed_before_the_enquiry_came(
    client, vacancy, smtp_server, enquire, plain_body
):
    vacancy.close()  # while the candidate was still writing
    enquire(client, vacancy)
    [message] = smtp_server.inbox.to("kelly@samsmall.example")
    assert plain_body(message).startswith("THE JOB HAD CLOSED")
