"""Consultants' personal links to jobs: made, emailed through the outbox, opened."""

import re

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string

from outbox import delivery

from .models import Candidate, EnquiryLink, LinkMessage

LINK_EMAIL = "links.message"

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
    """One email per recipient, with a personal link to each vacancy, queued in the outbox."""
    messages = []
    with transaction.atomic():
        for email, candidate in recipients:
            message = LinkMessage.objects.create(
                sender=sender, candidate=candidate, email=email, note=note
            )
            links = [
                EnquiryLink.objects.create(
                    vacancy=vacancy,
                    sender=sender,
                    candidate=candidate,
                    email=email,
                    message=message,
                )
                for vacancy in vacancies
            ]
            queue_email(message, links)
            messages.append(message)
    return messages


def queue_email(message, links):
    subject, body = render_email(message, links)
    return delivery.queue(
        purpose=LINK_EMAIL,
        about=message,
        to=[message.email],
        reply_to=[message.sender.email],
        subject=subject,
        body=body,
    )


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
