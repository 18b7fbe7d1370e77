import logging
from datetime import timedelta
from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from outbox import delivery
from outbox.models import Message

from .factories import QueuedMessageFactory

pytestmark = pytest.mark.django_db


def let_backoff_pass():
    Message.objects.queued().update(next_attempt_at=timezone.now() - timedelta(seconds=1))


def queue(**overrides):
    fields = {"purpose": "test.message", "to": ["ana@example.com"], "subject": "Hi", "body": "x"}
    return delivery.queue(**{**fields, **overrides})


def test_a_queued_email_is_sent_with_its_attachment_by_reference(smtp_server):
    name = storages["private"].save("cvs/cv.pdf", ContentFile(b"%PDF-1.4 cv"))
    message = queue(
        to=["Ana <ana@example.com>"],
        subject="Your CV",
        body="Attached.",
        reply_to=["kelly@samsmall.example"],
        attachments=[
            {
                "storage": "private",
                "name": name,
                "filename": "Ana CV.pdf",
                "content_type": "application/pdf",
            }
        ],
    )
    [email] = smtp_server.inbox.to("ana@example.com")
    assert email["Subject"] == "Your CV" and email["Reply-To"] == "kelly@samsmall.example"
    [attachment] = email.iter_attachments()
    assert (attachment.get_filename(), attachment.get_content()) == ("Ana CV.pdf", b"%PDF-1.4 cv")
    message.refresh_from_db()
    assert (message.state, message.attempts, message.recipient) == ("sent", 0, "ana@example.com")
    assert message.sent_at is not None


def test_a_line_break_never_reaches_a_header(smtp_server):
    queue(subject="Hello\r\nBcc: victim@example.com", reply_to=[delivery.address("a@b.c", "X\nY")])
    [(recipients, email)] = smtp_server.inbox.messages
    assert recipients == ["ana@example.com"]
    assert email["Subject"] == "Hello Bcc: victim@example.com" and email["Bcc"] is None
    assert Message.objects.get().state == "sent"


def test_a_message_that_cannot_be_built_fails_for_staff_and_stops_no_other(
    smtp_server, caplog, settings
):
    broken = QueuedMessageFactory(headers={"X-Note": "one\ntwo"})  # written around queue()
    good = QueuedMessageFactory(to=["ben@example.com"])
    with caplog.at_level(logging.ERROR, logger="outbox.delivery"):
        call_command("send_queued_email", stdout=StringIO())
    broken.refresh_from_db()
    good.refresh_from_db()
    assert (broken.state, broken.attempts) == ("failed", 1)
    assert "BadHeaderError" in broken.last_error
    assert good.state == "sent" and len(smtp_server.inbox.to("ben@example.com")) == 1
    assert f"Email {broken.pk} (test.message) failed for good" in caplog.text
    assert "ana@example.com" not in caplog.text and "ben@example.com" not in caplog.text


def test_the_sweep_sends_the_oldest_first(smtp_server):
    now = timezone.now()
    newer = QueuedMessageFactory(to=["new@example.com"], created_at=now)
    older = QueuedMessageFactory(to=["old@example.com"], created_at=now - timedelta(hours=1))
    delivery.send_due()
    assert [recipients for recipients, _ in smtp_server.inbox.messages] == [
        older.to,
        newer.to,
    ]


def minutes_to_next_attempt(message):
    message.refresh_from_db()
    return round((message.next_attempt_at - timezone.now()).total_seconds() / 60)


def test_mail_server_down_backs_off_longer_each_time_and_then_sends(smtp_server):
    smtp_server.stop()
    message = queue()  # tried at once, as the task runs: refused
    delays = [minutes_to_next_attempt(message)]
    for _ in range(3):
        let_backoff_pass()
        assert delivery.send(message.pk) == "queued"
        delays.append(minutes_to_next_attempt(message))
    assert delays == [1, 2, 4, 8] and message.attempts == 4
    assert "ConnectionRefusedError" in message.last_error

    smtp_server.start()
    assert delivery.send(message.pk) is None  # backing off: not due yet, nothing sent early
    assert smtp_server.inbox.messages == []
    let_backoff_pass()
    assert delivery.send(message.pk) == "sent"
    assert len(smtp_server.inbox.messages) == 1


def test_after_the_last_attempt_it_fails_and_staff_can_send_it_again(smtp_server, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 2
    smtp_server.stop()
    message = queue()
    let_backoff_pass()
    assert delivery.send(message.pk) == "failed"
    let_backoff_pass()
    assert delivery.send(message.pk) is None  # failed is final until staff act
    smtp_server.start()
    assert delivery.send_again(Message.objects.all()) == 1
    message.refresh_from_db()
    assert (message.state, message.attempts) == ("sent", 0)


def test_an_address_the_server_refuses_fails_at_once(smtp_server):
    message = queue(to=["nobody@reject.example"])
    message.refresh_from_db()
    assert (message.state, message.attempts) == ("failed", 1)
    assert message.last_error.startswith("The mail server refused the address: 550")


def test_a_missing_attachment_is_retried_not_dropped(smtp_server):
    attachment = {
        "storage": "private",
        "name": "cvs/gone.pdf",
        "filename": "cv.pdf",
        "content_type": "application/pdf",
    }
    message = queue(attachments=[attachment])
    message.refresh_from_db()
    assert (message.state, message.attempts) == ("queued", 1)
    assert "FileNotFoundError" in message.last_error or "NoSuchKey" in message.last_error


def test_two_senders_cannot_send_the_same_message(smtp_server, database_tasks):
    message = queue()
    assert delivery.claim(message.pk) is True
    assert delivery.claim(message.pk) is False
    assert delivery.send(message.pk) is None
    assert smtp_server.inbox.messages == []


def test_a_claim_left_by_a_killed_sender_expires_and_the_sweep_sends(smtp_server, database_tasks):
    message = queue()
    delivery.claim(message.pk, now=timezone.now() - delivery.CLAIM_FOR - timedelta(seconds=1))
    delivery.send_due()
    assert len(smtp_server.inbox.messages) == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_rolled_back_transaction_queues_neither_email_nor_task(database_tasks):
    with pytest.raises(RuntimeError), transaction.atomic():
        queue()
        assert Message.objects.exists() and DBTaskResult.objects.exists()
        raise RuntimeError
    assert not Message.objects.exists() and not DBTaskResult.objects.exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_worker_retries_after_the_back_off(smtp_server, run_worker):
    smtp_server.stop()
    message = queue()
    run_worker()
    message.refresh_from_db()
    assert (message.state, message.attempts) == ("queued", 1)
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.run_after > message.next_attempt_at

    smtp_server.start()
    let_backoff_pass()
    DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
    run_worker()
    message.refresh_from_db()
    assert message.state == "sent" and len(smtp_server.inbox.messages) == 1


def test_generated_text_travels_in_the_row_with_its_content_type_parameters(smtp_server):
    invite = "BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n"
    queue(
        attachments=[
            delivery.generated(
                invite, filename="invite.ics", content_type="text/calendar; method=REQUEST"
            )
        ]
    )
    [email] = smtp_server.inbox.to("ana@example.com")
    [attachment] = email.iter_attachments()
    assert attachment.get_content_type() == "text/calendar"
    assert attachment.get_param("method") == "REQUEST"
    assert attachment.get_filename() == "invite.ics"
    assert attachment.get_content().replace("\r\n", "\n") == invite.replace("\r\n", "\n")
    assert Message.objects.get().state == "sent"


@pytest.mark.parametrize(
    "attachment",
    [
        {"text": "x" * (64 * 1024 + 1), "filename": "big.ics", "content_type": "text/calendar"},
        {"text": "MZ", "filename": "run.exe", "content_type": "application/octet-stream"},
        {"text": "x", "filename": "a.ics", "content_type": "text/calendar\r\nBcc: x@example.com"},
    ],
)
def test_only_small_one_line_text_is_carried_in_a_row(attachment):
    with pytest.raises(ValueError):
        queue(attachments=[attachment])
    assert not Message.objects.exists()
