"""The one way the site sends email: queue a Message, then deliver it with retries.

Delivery is at least once. A sender claims a message (for CLAIM_FOR) before sending it and
marks it sent as soon as the mail server accepts it; a sender killed between those two steps
leaves the claim to expire, and the message is sent again. Nothing queued is ever dropped:
every failure, while building the email or sending it, is recorded on the message (attempts,
last error) and retried with back-off until OUTBOX_MAX_ATTEMPTS, after which the message is
marked failed for staff to see and send again. A refusal that cannot change (a header that
cannot be encoded, every address refused with a 5xx code) fails at once.
"""

import logging
import smtplib
from datetime import timedelta
from email.utils import formataddr, getaddresses, parseaddr

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import BadHeaderError, get_connection
from django.db import transaction
from django.utils import timezone

from .mime import message_id
from .models import Message, backoff

logger = logging.getLogger(__name__)
CLAIM_FOR = timedelta(minutes=10)
# Generated attachments live in the message's row: small text the site made, never a file.
GENERATED_MAX_LENGTH = 64 * 1024


def single_line(text):
    """Header values are one line: a line break typed into a form never reaches a header."""
    return " ".join(str(text).split())


def address(email, name=""):
    """An address for a header, its display name made single-line."""
    return formataddr((single_line(name), email.strip())) if name else email.strip()


def default_sender():
    """DEFAULT_FROM_EMAIL with the agency's name: "Sam Small Recruitment <jobs@…>"."""
    name, email = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return address(email, name or settings.EMAIL_FROM_NAME or settings.AGENCY["NAME"])


def queue(
    *,
    purpose,
    to,
    subject,
    body,
    about=None,
    cc=(),
    reply_to=(),
    headers=None,
    html="",
    attachments=(),
    from_email=None,
):
    """Record an email to send and queue its delivery; returns the Message.

    Call it inside the transaction that saves what the email is about: with the database
    task backend, a rollback drops the message and its task together.

    `attachments` are stored files ({storage, name, filename, content_type}) or text the site
    generated ({text, filename, content_type}, see `generated`).
    """
    for attachment in attachments:
        if "text" in attachment:
            check_generated(attachment)
    recipient = getaddresses([to[0]])[0][1].lower()
    message = Message.objects.create(
        purpose=purpose,
        about_type=ContentType.objects.get_for_model(about) if about is not None else None,
        about_id=about.pk if about is not None else None,
        from_email=from_email or default_sender(),
        to=list(to),
        cc=list(cc),
        reply_to=list(reply_to),
        recipient=recipient,
        headers={
            # Made once, when queued: a message sent again after a lost acknowledgement
            # keeps it, and reads as the same one.
            "Message-ID": message_id(),
            **{name: single_line(value) for name, value in (headers or {}).items()},
        },
        subject=single_line(subject)[:500],
        body_text=body,
        body_html=html,
        attachments=list(attachments),
        next_attempt_at=timezone.now(),
    )
    enqueue(message.pk)
    return message


def generated(text, *, filename, content_type):
    """An attachment the site made for one message, carried in its row (e.g. an .ics)."""
    attachment = {"text": text, "filename": filename, "content_type": content_type}
    check_generated(attachment)
    return attachment


def check_generated(attachment):
    """Only small text of a text/* type, with a one-line name and type, is carried in a row."""
    text, content_type = attachment["text"], single_line(attachment["content_type"])
    if not isinstance(text, str) or len(text) > GENERATED_MAX_LENGTH:
        raise ValueError("A generated attachment is text of at most 64 KB.")
    if not content_type.startswith("text/") or content_type != attachment["content_type"]:
        raise ValueError("A generated attachment has a one-line text/* content type.")
    if single_line(attachment["filename"]) != attachment["filename"]:
        raise ValueError("A generated attachment's file name is one line.")


def enqueue(message_id, run_after=None):
    from .tasks import deliver  # the task module imports this one

    task = deliver.using(run_after=run_after) if run_after else deliver
    task.enqueue(message_id)


def claim(message_id, now=None):
    """Take a due message for sending; False if it is not due or another sender has it."""
    now = now or timezone.now()
    due = Message.objects.due(now).filter(pk=message_id)
    return due.update(next_attempt_at=now + CLAIM_FOR) == 1


def send(message_id, connection=None):
    """Send one message if it is due and nobody else is sending it.

    Returns its state afterwards (sent; queued again, backing off; or failed), or None when
    it was not ours to send.
    """
    if not claim(message_id):
        return None
    message = Message.objects.get(pk=message_id)
    try:
        message.as_email(connection).send()
    except Exception as error:  # noqa: BLE001 - every failure is recorded, none is lost
        if connection is not None:
            connection.close()  # the next message starts on a fresh connection
        return record_failure(message, error)
    Message.objects.filter(pk=message.pk).update(
        state=Message.State.SENT, sent_at=timezone.now(), next_attempt_at=None, last_error=""
    )
    return Message.State.SENT


def is_permanent(error):
    if isinstance(error, BadHeaderError | ValueError | UnicodeError):
        return True
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in error.recipients.values())
    return False


def describe(error):
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        refusals = (
            f"{code} {reply.decode(errors='replace')}" for code, reply in error.recipients.values()
        )
        return "The mail server refused the address: " + "; ".join(refusals)
    return f"{type(error).__name__}: {error}"


def record_failure(message, error):
    """Count the failed attempt; back off, or give up and flag it for staff."""
    attempts = message.attempts + 1
    give_up = is_permanent(error) or attempts >= settings.OUTBOX_MAX_ATTEMPTS
    delay = None if give_up else backoff(attempts)
    state = Message.State.FAILED if give_up else Message.State.QUEUED
    Message.objects.filter(pk=message.pk).update(
        attempts=attempts,
        state=state,
        next_attempt_at=None if give_up else timezone.now() + delay,
        last_error=describe(error)[:2000],
    )
    # The log names the message, never its addresses or content.
    if give_up:
        logger.error(
            "Email %s (%s) failed for good after %s attempt(s): %s",
            message.pk,
            message.purpose,
            attempts,
            type(error).__name__,
        )
    else:
        logger.warning(
            "Email %s (%s) failed (%s); retrying in %s",
            message.pk,
            message.purpose,
            type(error).__name__,
            delay,
        )
    return state


def send_again(messages):
    """Staff asked: each unsent message is due now with a fresh count of attempts."""
    ids = list(messages.unsent().values_list("pk", flat=True))
    with transaction.atomic():
        Message.objects.filter(pk__in=ids).update(
            state=Message.State.QUEUED, attempts=0, next_attempt_at=timezone.now()
        )
        for message_id in ids:
            enqueue(message_id)
    return len(ids)


def send_due(now=None):
    """Send every due message, oldest first, each on its own: one failure stops no other.

    Returns how many ended in each state. Run it on a schedule to catch what a stopped
    worker left behind.
    """
    outcomes = dict.fromkeys(Message.State.values, 0)
    due = Message.objects.due(now).oldest_first().values_list("pk", flat=True)
    with get_connection() as connection:
        for message_id in list(due):
            if state := send(message_id, connection):
                outcomes[state] += 1
    return outcomes
