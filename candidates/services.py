"""Saving what candidates and employers send: saved first, notified afterwards."""

import uuid

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from pipeline.services import add_application

from .cvs import keep_enquiry_cv
from .models import Candidate, CandidateCV, Enquiry
from .notifications import queue_enquiry_emails
from .storage import discard_cv, store_cv

# Employers and privacy requests are answered, but their senders are not candidates.
NOT_CANDIDATES = {Enquiry.Kind.EMPLOYER, Enquiry.Kind.PRIVACY}


def route(vacancy=None, sector=None):
    """(consultant, email) for an enquiry: the job's owner, a sector's lead, or the inbox."""
    consultant = vacancy.consultant if vacancy else getattr(sector, "lead_consultant", None)
    if consultant is not None and consultant.is_active:
        return consultant, consultant.email
    return None, settings.ENQUIRIES_EMAIL


def candidate_for(enquiry):
    """The candidate with the enquiry's email address (any case), made from it if new:
    (candidate, made now).

    Anyone who knows an address can post a form with it, so a later enquiry changes nothing
    on the record but its last activity: what it says (and its CV) stays on the enquiry,
    and staff copy it across (update_candidate_from) once they know it is the same person.
    """
    candidate = Candidate.objects.by_email(enquiry.email).first()
    if candidate is not None:
        Candidate.objects.filter(pk=candidate.pk).update(last_activity_at=timezone.now())
        return candidate, False
    candidate = Candidate(email=enquiry.email, source="website")
    copy_details(enquiry, candidate)
    candidate.save()
    return candidate, True


def copy_details(enquiry, candidate):
    candidate.name = enquiry.name
    candidate.phone = enquiry.phone or candidate.phone
    candidate.consent_at = enquiry.created_at
    candidate.consent_version = enquiry.consent_version
    candidate.last_activity_at = timezone.now()


def differences_from_candidate(enquiry):
    """[(what, as sent with the enquiry, on the candidate's record)] where they differ."""
    candidate = enquiry.candidate
    if candidate is None:
        return []
    current = candidate.current_cv
    pairs = [
        ("Name", enquiry.name, candidate.name),
        ("Phone", enquiry.phone, candidate.phone),
        ("CV", enquiry.cv.name, current.file.name if current else ""),
    ]
    shown = {"CV": (enquiry.cv_original_name or "CV", current.download_name if current else "none")}
    return [
        (what, *shown.get(what, (sent, on_record)))
        for what, sent, on_record in pairs
        if sent and sent != on_record
    ]


@transaction.atomic
def update_candidate_from(enquiry):
    """Staff confirmed the enquiry is the candidate's: its details and CV become the record."""
    candidate = Candidate.objects.select_for_update().get(pk=enquiry.candidate_id)
    copy_details(enquiry, candidate)
    candidate.save()
    version = CandidateCV.objects.filter(enquiry=enquiry, candidate=candidate).first()
    if version is not None:
        version.make_current()
    return candidate


def submit_enquiry(
    *,
    kind,
    data,
    vacancy=None,
    sector=None,
    cv=None,
    link=None,
    about_closed_job=False,
    client_address=None,
):
    """Save the enquiry (and a new candidate) in one transaction and queue its notifications.

    A submission id seen before returns the enquiry it made, so a double click or a
    refresh never makes a second one. The CV is stored first, outside the transaction;
    if it cannot be, storage.CVNotStored is raised and nothing at all is saved.
    """
    submission_id = data["submission_id"]
    existing = Enquiry.objects.filter(submission_id=submission_id).first()
    if existing and same_submission(existing, data):
        return existing
    consultant, notify_email = route(vacancy, sector)
    enquiry = Enquiry(
        submission_id=uuid.uuid4() if existing else submission_id,
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
        about_closed_job=about_closed_job,
        client_address=client_address,
    )
    if kind not in NOT_CANDIDATES:
        enquiry.consent_version = settings.PRIVACY_NOTICE_VERSION
    if cv:
        enquiry.cv.name = store_cv(cv)
        enquiry.cv_original_name = cv.name[:255]
    try:
        saved = save_once(enquiry, data, cv)
    except BaseException:
        if cv:
            discard_cv(enquiry.cv.name)
        raise
    if cv and saved.pk != enquiry.pk:
        discard_cv(enquiry.cv.name)  # the same submission was saved by another request
    return saved


def save_once(enquiry, data, cv):
    for attempt in (1, 2):
        try:
            return save_enquiry(enquiry, cv)
        except IntegrityError:
            # Another request won a race: with this same submission, or creating this
            # candidate (who exists on the next pass).
            if attempt == 2:
                raise
            existing = Enquiry.objects.filter(submission_id=enquiry.submission_id).first()
            if existing and same_submission(existing, data):
                return existing
            if existing:
                # A page kept by the browser sent its old id with a new message: a new enquiry.
                enquiry.submission_id = uuid.uuid4()
    raise AssertionError("unreachable")


def same_submission(enquiry, data):
    return (enquiry.email.lower(), enquiry.message) == (
        data["email"].lower(),
        data.get("message", ""),
    )


def save_enquiry(enquiry, cv=None):
    with transaction.atomic():
        made_now = False
        if enquiry.kind not in NOT_CANDIDATES:
            enquiry.candidate, made_now = candidate_for(enquiry)
        enquiry.save()
        if cv and enquiry.candidate:
            # The first CV of a candidate this enquiry made is their record's CV.
            keep_enquiry_cv(enquiry, cv, current=made_now)
        add_application(enquiry)
        # Queued in the same transaction: a rollback drops the emails with the enquiry.
        queue_enquiry_emails(enquiry)
    return enquiry
