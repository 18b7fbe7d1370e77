"""Emails about enquiries, queued in the outbox with the enquiry itself.

The consultant's notification carries everything (Reply-To the sender, the CV attached or
linked, a link to the enquiry in the admin). The sender's confirmation goes to an address a
visitor typed, so it says little they chose (see visitor_text) and goes at most once an hour
to any one address.
"""

import mimetypes
import re
from datetime import timedelta

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from outbox import delivery
from outbox.models import Message

from .models.enquiries import CONFIRMATION_EMAIL as CONFIRMATION
from .models.enquiries import NOTIFICATION_EMAIL as NOTIFICATION

ALERT_CONFIRMATION = "alert.confirmation"
# RFC 3834: an answer sent by machine to someone who wrote to us, so their autoresponder
# does not answer it back; Exchange reads its own header for the same.
AUTO_REPLY = {"Auto-Submitted": "auto-replied", "X-Auto-Response-Suppress": "OOF, AutoReply"}
# Sent by machine, but no answer to anyone (the consultant's copy of an enquiry).
AUTO_GENERATED = {"Auto-Submitted": "auto-generated", "X-Auto-Response-Suppress": "OOF, AutoReply"}
# Emails to an address typed by an anonymous visitor: at most one of these an hour to each.
TO_VISITORS = (CONFIRMATION, ALERT_CONFIRMATION)
VISITOR_EMAIL_INTERVAL = timedelta(hours=1)
WEB_ADDRESS = re.compile(r"https?:|www\.|\w\.\w{2,}/|@", re.IGNORECASE)
NOT_A_NAME = re.compile(r"[^\w\s'’.-]")


def visitor_text(text, limit=40):
    """What a visitor typed, fit to repeat to an inbox that may not be theirs.

    Short, letters and plain punctuation only, and nothing that looks like a web or email
    address: a stranger's address typed into our forms must not carry someone's advert.
    """
    if WEB_ADDRESS.search(text):
        return ""
    plain = " ".join(NOT_A_NAME.sub(" ", text).split())
    return plain if len(plain) <= limit else plain[:limit].rsplit(" ", 1)[0] + "…"


def may_email_visitor(email, now=None):
    """No more than one email an hour to an address a visitor typed into a form."""
    since = (now or timezone.now()) - VISITOR_EMAIL_INTERVAL
    recent = Message.objects.to_address(email).filter(purpose__in=TO_VISITORS)
    return not recent.filter(created_at__gt=since).exists()


def subject_for(enquiry):
    who = enquiry.company or enquiry.name
    if enquiry.vacancy:
        vacancy = enquiry.vacancy
        return f"[{vacancy.reference}] {vacancy.title}: {enquiry.get_kind_display()} from {who}"
    return f"{enquiry.get_kind_display()} from {who} ({enquiry.reference})"


def cv_attachment(enquiry):
    """The CV as sent, by reference to its stored file, when it is small enough to attach."""
    if not enquiry.cv or enquiry.cv.size > settings.NOTIFY_ATTACH_MAX_SIZE:
        return None
    return {
        "storage": "private",
        "name": enquiry.cv.name,
        "filename": enquiry.cv_original_name or "cv",
        "content_type": mimetypes.guess_type(enquiry.cv_original_name)[0]
        or "application/octet-stream",
    }


def queue_notification(enquiry):
    attachment = cv_attachment(enquiry)
    link = enquiry.link
    # The consultant who sent the personal link hears of its enquiry too.
    cc = [link.sender.email] if link and link.sender.email != enquiry.notify_email else []
    context = {"enquiry": enquiry, "attach_cv": attachment is not None}
    return delivery.queue(
        purpose=NOTIFICATION,
        about=enquiry,
        to=[enquiry.notify_email],
        cc=cc,
        reply_to=[delivery.address(enquiry.email, enquiry.name)],
        subject=subject_for(enquiry),
        body=render_to_string("candidates/email/notification.txt", context),
        headers=AUTO_GENERATED,
        attachments=[attachment] if attachment else [],
    )


def queue_confirmation(enquiry):
    """The sender's receipt, unless this address had one from us within the hour."""
    if not may_email_visitor(enquiry.email):
        return None
    consultant = enquiry.consultant
    about = f" about {enquiry.vacancy.title}" if enquiry.vacancy else ""
    context = {
        "enquiry": enquiry,
        "name": visitor_text(enquiry.name),
        "agency": settings.AGENCY,
    }
    return delivery.queue(
        purpose=CONFIRMATION,
        about=enquiry,
        to=[enquiry.email],
        reply_to=[consultant.email if consultant else settings.ENQUIRIES_EMAIL],
        subject=f"We have received your message{about} ({enquiry.reference})",
        body=render_to_string("candidates/email/confirmation.txt", context),
        headers=AUTO_REPLY,
    )


def queue_enquiry_emails(enquiry):
    queue_notification(enquiry)
    queue_confirmation(enquiry)
