"""Consultants' personal links to jobs: made, emailed (retried like every notification), opened."""

import logging
import re

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from . import tasks
from .models import Candidate, EnquiryLink, LinkMessage, backoff
from .notifications import CLAIM_FOR, DELIVERY_ERRORS

logger = logging.getLogger(__name__)

# Link checkers and preview fetchers that open links before (or instead of) a person.
PREFETCHERS = re.compile(
    r"bot\b|crawler|spider|preview|facebookexternalhit|slack|whatsapp|skype|teams|"
    r"linkedin|outlook|microsoft office|proofpoint|mimecast|barracuda|safelinks|"
    r"google-safety|googleimageproxy|python-requests|curl|wget",
    re.IGNORECASE,
)


def is_prefetch(request):
    if request.method == "HEAD":
        return True
    purpose = request.headers.get("Purpose", "") + request.headers.get("Sec-Purpose", "")
    return "prefetch" in purpose.lower() or bool(
        PREFETCHERS.search(request.headers.get("User-Agent", ""))
    )


def recipients_for(candidates, emails):
    """(email, candidate) pairs, one per address whatever its case; known addresses matched."""
    pairs = {candidate.email.lower(): (candidate.email, candidate) for candidate in candidates}
    for email in emails:
        if email.lower() not in pairs:
            pairs[email.lower()] = (email, Candidate.objects.by_email(email).first())
    return list(pairs.values())


def send_links(*, sender, vacancies, recipients, note=""):
    """One email per recipient, with a personal link to each vacancy; queued, then sent."""
    messages = []
    with transaction.atomic():
        for email, candidate in recipients:
            message = LinkMessage.objects.create(
                sender=sender, candidate=candidate, email=email, note=note
            )
            for vacancy in vacancies:
                EnquiryLink.objects.create(
                    vacancy=vacancy,
                    sender=sender,
                    candidate=candidate,
                    email=email,
                    message=message,
                )
            tasks.deliver_link_message.enqueue(message.pk)
            messages.append(message)
    return messages


def copy_link(*, sender, vacancy, email, candidate=None):
    """A link the consultant pastes into their own email: recorded like a sent one."""
    return EnquiryLink.objects.create(
        vacancy=vacancy,
        sender=sender,
        candidate=candidate,
        email=email,
        channel=EnquiryLink.Channel.COPIED,
    )


def render_email(message, links):
    context = {"message": message, "links": links, "agency": settings.AGENCY}
    if len(links) == 1:
        subject = f"A job for you: {links[0].vacancy.title}, {links[0].vacancy.location}"
    else:
        subject = f"{len(links)} jobs for you from {message.sender.name}"
    return subject, render_to_string("candidates/email/links.txt", context)


def claim(message_id):
    now = timezone.now()
    due = LinkMessage.objects.filter(
        Q(send_after__isnull=True) | Q(send_after__lte=now),
        pk=message_id,
        sent_at__isnull=True,
        attempts__lt=settings.NOTIFY_MAX_ATTEMPTS,
    )
    return due.update(send_after=now + CLAIM_FOR) == 1


def deliver(message_id):
    """Send one link email. Returns the back-off delay after a failure, else None."""
    if not claim(message_id):
        return None
    message = LinkMessage.objects.select_related("sender").get(pk=message_id)
    links = list(message.links.select_related("vacancy", "vacancy__client").order_by("pk"))
    subject, body = render_email(message, links)
    email = EmailMessage(
        subject=subject,
        body=body,
        to=[message.email],
        reply_to=[message.sender.email],
    )
    try:
        email.send()
    except DELIVERY_ERRORS as error:
        attempts = message.attempts + 1
        delay = backoff(attempts)
        LinkMessage.objects.filter(pk=message.pk).update(
            attempts=attempts, send_after=timezone.now() + delay, last_error=str(error)[:500]
        )
        logger.warning("Link email %s failed (%s)", message.pk, type(error).__name__)
        return delay
    LinkMessage.objects.filter(pk=message.pk).update(
        sent_at=timezone.now(), send_after=None, last_error=""
    )
    return None
