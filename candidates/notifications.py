"""Emails about enquiries: the consultant's notification and the sender's confirmation.

Delivery is at most once per successful send: a claim on the row stops two workers
sending together, and each email is marked sent the moment the server accepts it.
A failure backs off and is tried again; staff see the state in the admin.
"""

import logging
import mimetypes
import smtplib
from datetime import timedelta
from email.utils import formataddr

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.template.loader import render_to_string
from django.utils import timezone

from .models import Enquiry

logger = logging.getLogger(__name__)
CLAIM_FOR = timedelta(minutes=10)
DELIVERY_ERRORS = (smtplib.SMTPException, OSError)


def claim(enquiry_id):
    """Take the enquiry for delivery if it is due and nobody else has it."""
    now = timezone.now()
    due = Enquiry.objects.due_for_delivery(now).filter(pk=enquiry_id)
    return due.update(notify_after=now + CLAIM_FOR) == 1


def due_enquiry_ids():
    return Enquiry.objects.due_for_delivery().values_list("pk", flat=True)


def subject_for(enquiry):
    who = enquiry.company or enquiry.name
    if enquiry.vacancy:
        vacancy = enquiry.vacancy
        return f"[{vacancy.reference}] {vacancy.title}: {enquiry.get_kind_display()} from {who}"
    return f"{enquiry.get_kind_display()} from {who} ({enquiry.reference})"


def consultant_notification(enquiry, connection):
    context = {
        "enquiry": enquiry,
        "attach_cv": bool(enquiry.cv) and enquiry.cv.size <= settings.NOTIFY_ATTACH_MAX_SIZE,
    }
    link = enquiry.link
    # The consultant who sent the personal link hears of its enquiry too.
    cc = [link.sender.email] if link and link.sender.email != enquiry.notify_email else []
    message = EmailMessage(
        subject=subject_for(enquiry),
        body=render_to_string("candidates/email/notification.txt", context),
        to=[enquiry.notify_email],
        cc=cc,
        reply_to=[formataddr((enquiry.name, enquiry.email))],
        connection=connection,
    )
    if context["attach_cv"]:
        with enquiry.cv.open("rb") as cv:
            content_type = mimetypes.guess_type(enquiry.cv_original_name)[0]
            message.attach(enquiry.cv_original_name or "cv", cv.read(), content_type)
    return message


def sender_confirmation(enquiry, connection):
    consultant = enquiry.consultant
    reply_to = consultant.email if consultant else settings.ENQUIRIES_EMAIL
    about = f" about {enquiry.vacancy.title}" if enquiry.vacancy else ""
    return EmailMessage(
        subject=f"We have received your message{about} ({enquiry.reference})",
        body=render_to_string(
            "candidates/email/confirmation.txt", {"enquiry": enquiry, "agency": settings.AGENCY}
        ),
        to=[enquiry.email],
        reply_to=[reply_to],
        connection=connection,
    )


def deliver(enquiry_id):
    """Send what is still unsent for one enquiry. Returns the back-off delay after a failure."""
    if not claim(enquiry_id):
        return None
    enquiry = Enquiry.objects.select_related("vacancy", "consultant", "sector", "link__sender").get(
        pk=enquiry_id
    )
    try:
        with get_connection() as connection:
            if enquiry.notified_at is None:
                consultant_notification(enquiry, connection).send()
                mark_sent(enquiry, "notified_at")
            if enquiry.confirmation_sent_at is None:
                sender_confirmation(enquiry, connection).send()
                mark_sent(enquiry, "confirmation_sent_at")
    except DELIVERY_ERRORS as error:
        # The error text stays in the database for staff; the log gets no personal data.
        logger.warning("Enquiry %s: delivery failed (%s)", enquiry.reference, type(error).__name__)
        return enquiry.record_failed_notification(error)
    Enquiry.objects.filter(pk=enquiry.pk).update(notify_after=None, notify_last_error="")
    return None


def mark_sent(enquiry, field):
    setattr(enquiry, field, timezone.now())
    Enquiry.objects.filter(pk=enquiry.pk).update(**{field: getattr(enquiry, field)})
