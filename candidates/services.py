"""Saving what candidates and employers send: saved first, notified afterwards."""

import uuid

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import Candidate, Enquiry
from .tasks import deliver_enquiry

# Employers and privacy requests are answered, but their senders are not candidates.
NOT_CANDIDATES = {Enquiry.Kind.EMPLOYER, Enquiry.Kind.PRIVACY}


def route(vacancy=None, sector=None):
    """(consultant, email) for an enquiry: the job's owner, a sector's lead, or the inbox."""
    consultant = vacancy.consultant if vacancy else getattr(sector, "lead_consultant", None)
    if consultant is not None and consultant.is_active:
        return consultant, consultant.email
    return None, settings.ENQUIRIES_EMAIL


def save_candidate(data, cv):
    """The candidate for this email address (any case), brought up to date."""
    now = timezone.now()
    candidate = Candidate.objects.by_email(data["email"]).select_for_update().first()
    if candidate is None:
        candidate = Candidate(email=data["email"], source="website")
    candidate.name = data["name"]
    candidate.phone = data.get("phone") or candidate.phone
    candidate.consent_at = now
    candidate.consent_version = settings.PRIVACY_NOTICE_VERSION
    candidate.last_activity_at = now
    if cv:
        candidate.cv_original_name = cv.name[:255]
        candidate.cv.save(cv.name, cv, save=False)
    candidate.save()
    return candidate


def submit_enquiry(
    *, kind, data, vacancy=None, sector=None, cv=None, link=None, client_address=None
):
    """Save the enquiry (and its candidate) in one transaction and queue its notifications.

    A submission id seen before returns the enquiry it made, so a double click or a
    refresh never makes a second one.
    """
    submission_id = data["submission_id"]
    consultant, notify_email = route(vacancy, sector)
    enquiry = Enquiry(
        submission_id=submission_id,
        kind=kind,
        vacancy=vacancy,
        sector=sector,
        consultant=consultant,
        notify_email=notify_email,
        name=data["name"],
        email=data["email"],
        phone=data.get("phone", ""),
        company=data.get("company", ""),
        message=data.get("message", ""),
        source=Enquiry.Source.LINK if link else Enquiry.Source.DIRECT,
        link=link,
        client_address=client_address,
    )
    for attempt in (1, 2):
        existing = Enquiry.objects.filter(submission_id=submission_id).first()
        if existing and same_submission(existing, data):
            return existing
        if existing:
            # A page kept by the browser sent its old id with a new message: a new enquiry.
            enquiry.submission_id = submission_id = uuid.uuid4()
        try:
            return save_enquiry(enquiry, data, cv)
        except IntegrityError:
            # Another request won a race: with this same submission (found above on the
            # next pass), or creating this candidate (who exists on the next pass).
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


def same_submission(enquiry, data):
    return (enquiry.email.lower(), enquiry.message) == (
        data["email"].lower(),
        data.get("message", ""),
    )


def save_enquiry(enquiry, data, cv):
    with transaction.atomic():
        if enquiry.kind not in NOT_CANDIDATES:
            enquiry.candidate = save_candidate(data, cv)
            enquiry.consent_version = settings.PRIVACY_NOTICE_VERSION
        if cv:
            # The enquiry keeps the CV as sent: the candidate's file, not a second copy.
            enquiry.cv_original_name = enquiry.candidate.cv_original_name
            enquiry.cv.name = enquiry.candidate.cv.name
        enquiry.save()
        # Queued in the same transaction: a rollback drops the task with the enquiry.
        deliver_enquiry.enqueue(enquiry.pk)
    return enquiry
