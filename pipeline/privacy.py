"""UK GDPR for the people consultants find themselves: the Article 14 privacy notice, the
right to object, and the suppression list that keeps an objector from being added again."""

import hashlib
import hmac

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from candidates.models import Candidate
from candidates.privacy import erase, retention_days
from outbox import delivery

from .models import PrivacyNotice, Suppression

NOTICE_EMAIL = "candidate.privacy_notice"
# Article 14 asks us to say where we got someone's details: in their words, by source.
SOURCE_IN_WORDS = {
    "database": "our own records",
    "referral": "someone who recommended you to us",
    "job_board": "a job board where your CV is published",
    "social": "your public profile on a social or professional network",
    "headhunt": "our own research into people in your field",
    "other": "our consultant's own contacts (reply to ask exactly where)",
}


def email_hash(email):
    """A keyed hash of the address: enough to recognise it again, useless to read it from."""
    key = settings.SUPPRESSION_KEY.encode()
    return hmac.new(key, email.strip().lower().encode(), hashlib.sha256).hexdigest()


def suppressed(emails):
    """{address: Suppression} for the addresses among these we must not add or contact.

    Someone who objected and later came back through the site, agreeing to the privacy
    notice, chose to be here again: their objection no longer stops them.
    """
    by_hash = {email_hash(email): email for email in emails if email}
    found = {}
    for suppression in Suppression.objects.filter(email_hash__in=by_hash):
        email = by_hash[suppression.email_hash]
        came_back = Candidate.objects.by_email(email).filter(consent_at__gt=suppression.created_at)
        if not came_back.exists():
            found[email] = suppression
    return found


def refusal(email, suppression):
    return (
        f"{email} objected to our holding their details on {suppression.created_at:%d %b %Y}: "
        "they must not be added or contacted again."
    )


def refuse_suppressed(emails):
    """Raise ValidationError naming each address that must not be added or contacted."""
    if found := suppressed(emails):
        raise ValidationError([refusal(email, suppression) for email, suppression in found.items()])


def send_privacy_notice(candidate, *, vacancy, source, by=None):
    """Queue the agency's privacy information to someone a consultant added (Article 14:
    within a month; we send it at once), with their link to object. Returns the record."""
    notice = PrivacyNotice.objects.create(candidate=candidate, sent_by=by)
    consultant = vacancy.consultant
    context = {
        "candidate": candidate,
        "vacancy": vacancy,
        "source": SOURCE_IN_WORDS.get(source, SOURCE_IN_WORDS["other"]),
        "consultant": consultant,
        "agency": settings.AGENCY,
        "privacy_url": settings.SITE_URL + reverse("candidates:privacy"),
        "object_url": settings.SITE_URL + notice.get_absolute_url(),
        "retention_days": retention_days("enquiry"),
    }
    delivery.queue(
        purpose=NOTICE_EMAIL,
        about=notice,
        to=[delivery.address(candidate.email, candidate.name)],
        reply_to=[delivery.address(consultant.email, consultant.name)],
        subject=f"{settings.AGENCY['NAME']} has your details: what we hold and your rights",
        body=render_to_string("pipeline/email/privacy_notice.txt", context),
    )
    return notice


@transaction.atomic
def object_to_processing(notice):
    """They object: everything we hold on them is erased at once, and their address goes on
    the suppression list so nobody adds them again by accident."""
    notice = PrivacyNotice.objects.select_for_update().get(pk=notice.pk)
    if notice.objected_at is not None:
        return notice
    candidate = notice.candidate
    if candidate is not None:
        if candidate.anonymised_at is None:
            Suppression.objects.update_or_create(
                email_hash=email_hash(candidate.email),
                defaults={"reason": Suppression.Reason.OBJECTED, "created_at": timezone.now()},
            )
        erase(candidate)
    notice.candidate, notice.objected_at = None, timezone.now()
    notice.save(update_fields=["candidate", "objected_at"])
    return notice
