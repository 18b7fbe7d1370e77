"""The candidate's own space: sign in by an emailed link, their applications and their data.

A candidate exists once they have applied (candidates.services); no password and no account
to make. Asking for a link answers the same whether or not we know the address; the link
works once, for CANDIDATE_SIGN_IN_LINK_MINUTES, and only by a POST from the page it opens
(mail scanners open links with GETs). Each signed-in device holds a random key in its own
cookie (never Django's staff session), whose hash is a SpaceSession row: signing out ends
that row, "sign out everywhere" ends them all. Everything the candidate changes is recorded
(SpaceActivity) for the consultant's timeline.
"""

import hashlib
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from outbox import delivery
from pipeline.models import MoveActor, PipelineEntry, Stage
from recruitment.site import absolute_url

from .cvs import add_cv
from .models import (
    Candidate,
    Enquiry,
    JobAlert,
    SavedJob,
    SignInLink,
    SpaceActivity,
    SpaceSession,
)
from .models.space import SignInRequest, hash_secret, new_secret
from .ratelimit import count
from .services import submit_enquiry
from .storage import discard_cv

SIGN_IN_EMAIL = "space.sign_in"
WITHDRAWAL_EMAIL = "space.withdrawal"


def record(candidate, action, detail=""):
    """A line on the candidate's timeline: what they did in their space."""
    return SpaceActivity.objects.create(candidate=candidate, action=action, detail=detail[:300])


def known_candidate(email):
    return Candidate.objects.by_email(email).filter(anonymised_at__isnull=True).first()


def too_many_links(email):
    """Count a link asked for this address; True past CANDIDATE_SIGN_IN_LIMIT this hour.

    The cache key is a hash: no address is kept in the cache. With the cache down the
    limit is skipped (the per-client limit is skipped too), never the link.
    """
    digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()
    try:
        return count(f"sign-in-address:{digest}") > settings.CANDIDATE_SIGN_IN_LIMIT
    except Exception:  # noqa: BLE001 - any cache backend's failure, as candidates.ratelimit
        return False


def subscriber(email):
    """Someone with a confirmed job alert at the address, who has not applied: their
    confirmed address is enough to make them a candidate when they sign in."""
    alerts = JobAlert.objects.filter(email__iexact=email.strip(), confirmed_at__isnull=False)
    return alerts.values_list("email", flat=True).first()


def ask_for_sign_in(email):
    """Record the address and queue the answer (`tasks.answer_sign_in_request`).

    The same work whatever the address: the page's timing tells nobody whether it is ours.
    """
    from .tasks import answer_sign_in_request  # tasks import this module

    with transaction.atomic():
        request = SignInRequest.objects.create(email=email)
        answer_sign_in_request.enqueue(request.pk)
    return request


def answer_sign_in_request(request_id):
    """Email a link if the address is ours, then forget the request (and any left an hour)."""
    with transaction.atomic():
        request = SignInRequest.objects.select_for_update().filter(pk=request_id).first()
        if request is None:
            return None
        link = request_sign_in(request.email)
        request.delete()
    SignInRequest.objects.filter(created_at__lt=timezone.now() - timedelta(hours=1)).delete()
    return link


def request_sign_in(email):
    """Email a sign-in link if we know the address; returns the link or None.

    The caller answers the same either way, so nobody learns whether an address is ours.
    """
    if too_many_links(email):
        return None
    candidate = known_candidate(email)
    address = candidate.email if candidate else subscriber(email)
    if address is None:
        return None
    token, token_hash = new_secret()
    minutes = settings.CANDIDATE_SIGN_IN_LINK_MINUTES
    with transaction.atomic():
        # Housekeeping: their links that can no longer be used go (kept a day, for support).
        SignInLink.objects.filter(
            email__iexact=address, expires_at__lt=timezone.now() - timedelta(days=1)
        ).delete()
        link = SignInLink.objects.create(
            candidate=candidate,
            email=address,
            token_hash=token_hash,
            expires_at=timezone.now() + timedelta(minutes=minutes),
        )
        context = {
            "url": absolute_url(reverse("candidates:space_sign_in_link", args=[token])),
            "minutes": minutes,
            "agency": settings.AGENCY,
        }
        delivery.queue(
            purpose=SIGN_IN_EMAIL,
            about=candidate,
            to=[address],
            subject=f"Your link to sign in to {settings.AGENCY['NAME']}",
            body=render_to_string("candidates/email/sign_in.txt", context),
        )
    return link


def candidate_signing_in(link):
    """The link's candidate; for a job-alert subscriber, made now from their address."""
    if link.candidate_id:
        return link.candidate
    if candidate := known_candidate(link.email):  # they applied since
        return candidate
    try:
        with transaction.atomic():
            return Candidate.objects.create(name="", email=link.email, source="job alert")
    except IntegrityError:  # their application arrived at the same moment
        return Candidate.objects.by_email(link.email).get()


def usable_link(token):
    """The unused, unexpired link with this token, or None."""
    link = SignInLink.objects.filter(token_hash=hash_secret(token)).first()
    return link if link is not None and link.is_usable else None


@transaction.atomic
def sign_in(token):
    """Use the link once: (the new SpaceSession, the key for its cookie), or None.

    The link is spent by one conditional UPDATE, so two clicks at once sign in one device.
    """
    now = timezone.now()
    spent = SignInLink.objects.filter(
        token_hash=hash_secret(token), used_at__isnull=True, expires_at__gt=now
    ).update(used_at=now)
    if not spent:
        return None
    link = SignInLink.objects.select_related("candidate").get(token_hash=hash_secret(token))
    candidate = candidate_signing_in(link)
    if candidate.anonymised_at is not None:
        return None
    SpaceSession.objects.filter(candidate=candidate, expires_at__lte=now).delete()  # ended
    key, key_hash = new_secret()
    session = SpaceSession.objects.create(
        candidate=candidate,
        key_hash=key_hash,
        expires_at=now + timedelta(days=settings.CANDIDATE_SESSION_DAYS),
    )
    record(candidate, SpaceActivity.Action.SIGNED_IN)
    return session, key


def session_for(key):
    """The current SpaceSession for a cookie's key, with its candidate, or None."""
    if not key or len(key) > 100:
        return None
    return (
        SpaceSession.objects.current()
        .select_related("candidate")
        .filter(key_hash=hash_secret(key), candidate__anonymised_at__isnull=True)
        .first()
    )


def sign_out(session):
    SpaceSession.objects.filter(pk=session.pk).delete()


@transaction.atomic
def sign_out_everywhere(candidate):
    """Every device of theirs is signed out, and every link not yet used stops working."""
    SpaceSession.objects.filter(candidate=candidate).delete()
    SignInLink.objects.filter(candidate=candidate, used_at__isnull=True).update(
        expires_at=timezone.now()
    )
    record(candidate, SpaceActivity.Action.SIGNED_OUT_EVERYWHERE)


def applications(candidate):
    """Every job they applied to or were put forward for, newest first."""
    return (
        PipelineEntry.objects.filter(candidate=candidate)
        .select_related("vacancy__consultant", "stage")
        .order_by("-created_at", "-pk")
    )


def may_withdraw(entry):
    return not entry.stage.is_end


@transaction.atomic
def withdraw(entry):
    """The candidate withdraws: logged as theirs, and the vacancy's consultant is emailed."""
    if not may_withdraw(entry):
        raise ValidationError("This application has already ended.")
    stage = Stage.objects.filter(role=Stage.Role.WITHDRAWN).first()
    if stage is None:
        raise ValidationError("Please contact your consultant to withdraw.")
    entry.move_to(stage, actor=MoveActor.CANDIDATE, note="Withdrawn by the candidate.")
    vacancy, candidate = entry.vacancy, entry.candidate
    record(candidate, SpaceActivity.Action.WITHDREW, f"{vacancy.title} ({vacancy.reference})")
    consultant = vacancy.consultant
    context = {
        "candidate": candidate,
        "vacancy": vacancy,
        "admin_url": absolute_url(
            reverse("admin:candidates_candidate_change", args=[candidate.pk])
        ),
    }
    delivery.queue(
        purpose=WITHDRAWAL_EMAIL,
        about=entry,
        to=[consultant.email if consultant.is_active else settings.ENQUIRIES_EMAIL],
        reply_to=[delivery.address(candidate.email, candidate.name)],
        subject=f"[{vacancy.reference}] {vacancy.title}: {candidate.name} withdrew",
        body=render_to_string("candidates/email/withdrawal.txt", context),
    )


def ask_for_erasure(candidate, *, client_address=None):
    """An erasure request through the privacy workflow (an enquiry of kind Privacy)."""
    data = {
        "submission_id": uuid.uuid4(),
        "name": candidate.name,
        "email": candidate.email,
        "phone": candidate.phone,
        "message": "Request: Erase my data\n\nAsked from their candidate space, signed in "
        "by a link emailed to this address.",
    }
    enquiry = submit_enquiry(kind=Enquiry.Kind.PRIVACY, data=data, client_address=client_address)
    record(candidate, SpaceActivity.Action.ASKED_ERASURE, enquiry.reference)
    return enquiry


def one_step_form(candidate):
    """A job's application form filled in with the candidate's details and current CV."""
    from .forms import EnquiryForm  # the forms import the models this module imports

    initial = {"name": candidate.name, "email": candidate.email, "phone": candidate.phone}
    return EnquiryForm(initial=initial, saved_cv=candidate.current_cv)


def applied_on(candidate, vacancy):
    """When the candidate applied for (or was put forward for) the job, or None."""
    return (
        PipelineEntry.objects.filter(candidate=candidate, vacancy=vacancy)
        .values_list("created_at", flat=True)
        .first()
    )


CHANGEABLE = {"name": "name", "phone": "phone", "job_alerts": "communication preferences"}


def change_details(candidate, **values):
    """Their name, phone or preferences, as they typed them; what changed is on the timeline."""
    changed = [field for field, value in values.items() if getattr(candidate, field) != value]
    if not changed:
        return []
    for field in changed:
        setattr(candidate, field, values[field])
    candidate.last_activity_at = timezone.now()
    candidate.save(update_fields=[*changed, "last_activity_at"])
    action = (
        SpaceActivity.Action.PREFERENCES
        if changed == ["job_alerts"]
        else SpaceActivity.Action.CHANGED_DETAILS
    )
    record(candidate, action, ", ".join(CHANGEABLE[field] for field in changed))
    return changed


def add_own_cv(candidate, upload):
    """A CV the candidate uploaded (checked by the form): a new version, and their current one.

    Raises storage.CVNotStored when the storage fails; nothing is saved then.
    """
    version = add_cv(candidate, upload, by=None, make_current=True)
    record(candidate, SpaceActivity.Action.ADDED_CV, version.download_name)
    return version


@transaction.atomic
def delete_own_cv(version):
    """An old CV goes, file and all (also from the enquiry it came with); never the current."""
    if version.is_current:
        raise ValidationError("This is your current CV: upload another before deleting it.")
    name = version.file.name
    if version.enquiry_id:
        Enquiry.objects.filter(pk=version.enquiry_id, cv=name).update(
            version=F("version") + 1, cv="", cv_original_name=""
        )
    record(version.candidate, SpaceActivity.Action.DELETED_CV, version.download_name)
    version.delete()
    transaction.on_commit(lambda: discard_cv(name))


def job_alerts(candidate):
    return JobAlert.objects.filter(email__iexact=candidate.email).order_by("-created_at")


def change_alert(candidate, alert, frequency):
    alert.change_frequency(frequency)
    record(candidate, SpaceActivity.Action.ALERT, f"{alert.describe()}: {frequency}")


def stop_alert(candidate, alert):
    alert.unsubscribe()
    record(candidate, SpaceActivity.Action.ALERT, f"{alert.describe()}: stopped")


def saved_vacancy_ids(request):
    """The ids of the jobs the signed-in candidate saved: read once a request."""
    if not hasattr(request, "saved_vacancy_ids"):
        request.saved_vacancy_ids = set(
            request.candidate.saved_jobs.values_list("vacancy_id", flat=True)
        )
    return request.saved_vacancy_ids


def save_job(candidate, vacancy):
    """Saved once, however often asked; only a live job can be saved."""
    if not vacancy.is_live:
        raise ValidationError("This job has closed, so it cannot be saved.")
    saved, made = SavedJob.objects.get_or_create(candidate=candidate, vacancy=vacancy)
    if made:
        record(candidate, SpaceActivity.Action.SAVED_JOB, f"{vacancy.title} ({vacancy.reference})")
    return saved


def unsave_job(candidate, vacancy):
    deleted, _ = SavedJob.objects.filter(candidate=candidate, vacancy=vacancy).delete()
    if deleted:
        record(
            candidate, SpaceActivity.Action.UNSAVED_JOB, f"{vacancy.title} ({vacancy.reference})"
        )


def saved_jobs(candidate):
    return candidate.saved_jobs.select_related("vacancy__client", "vacancy__sector")
