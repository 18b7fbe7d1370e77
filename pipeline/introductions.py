"""Sending CVs to a client, and the client's answers through their review link.

A send checks everything first (agreements, profiles, CV files, contacts' addresses), then
copies each CV once, then records the shortlist, the introductions, the moves and the emails
in one transaction: all of it happens, or none of it (the copies are removed again).
"""

import hashlib
from datetime import datetime, time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from candidates.storage import STORAGE_ERRORS, cv_storage
from outbox import delivery
from recruitment.site import absolute_url

from . import privacy, templating, working_days
from .models import (
    Agreement,
    ClientProfile,
    Introduction,
    MoveActor,
    ReviewLink,
    Shortlist,
    Stage,
    introduction_cv_name,
)

CLIENT_EMAIL = "client.cvs"
RESPONSE_EMAIL = "client.response"


def current_cv(candidate):
    """The candidate's current CV as (stored file, original name), or None.

    The one place that knows where a candidate's CV is kept.
    """
    version = candidate.current_cv
    if version is None:
        return None
    return version.file, version.download_name


def cv_to_send(entry):
    """The file the client gets for this entry: the profile's prepared version, or their own."""
    profile = profile_of(entry)
    if profile and profile.cv_source == ClientProfile.CVSource.PREPARED:
        if not profile.prepared_cv:
            return None
        return profile.prepared_cv, profile.prepared_cv_original_name
    return current_cv(entry.candidate)


def profile_of(entry):
    try:
        return entry.client_profile
    except ClientProfile.DoesNotExist:
        return None


def agreement_of(candidate, client):
    return Agreement.objects.filter(candidate=candidate, client=client).first()


def record_agreement(*, candidate, client, how, note="", by=None):
    return Agreement.objects.create(
        candidate=candidate, client=client, how=how, note=note, recorded_by=by
    )


def problems(entries, contacts, client):
    """Why these CVs cannot go to these contacts, one sentence each; [] when they can."""
    found = []
    for contact in contacts:
        if contact.client_id != client.pk:
            found.append(f"{contact.name} is not a contact at {client}.")
        elif not contact.email:
            found.append(
                f"{contact.name} has no email address: add one on {client}'s page, then send."
            )
    blocked = privacy.suppressed([entry.candidate.email for entry in entries])
    for entry in entries:
        candidate = entry.candidate
        if candidate.anonymised_at or candidate.email in blocked:
            found.append(f"{candidate}'s details may no longer be used: they cannot be sent.")
            continue
        if agreement_of(candidate, client) is None:
            found.append(
                f"{candidate} has not agreed to be put forward to {client}: "
                "record their agreement first."
            )
        if profile_of(entry) is None:
            found.append(f"{candidate} has no client profile yet: write it first.")
        cv = cv_to_send(entry)
        if cv is None:
            found.append(f"{candidate} has no CV to send: add one, or upload a prepared version.")
        elif not stored(cv[0]):
            found.append(
                f"{candidate}'s CV file is missing from storage: upload it again, then send."
            )
    return found


def stored(file):
    try:
        return file.storage.exists(file.name)
    except STORAGE_ERRORS:
        return False


def copy_cv(file, original_name):
    """A copy of the file that later changes to the candidate's CV cannot alter:
    (stored name, SHA-256, size). Raises ValidationError if it cannot be read or written."""
    try:
        with file.storage.open(file.name, "rb") as source:
            content = source.read()
        name = cv_storage.generate_filename(introduction_cv_name(None, original_name))
        name = cv_storage.save(name, ContentFile(content), max_length=150)
    except STORAGE_ERRORS as error:
        raise ValidationError(
            "A CV could not be read or copied from storage just now, so nothing was sent. "
            "Try again in a minute."
        ) from error
    return name, hashlib.sha256(content).hexdigest(), len(content)


def review_link_for(contact, vacancy, by=None):
    """The contact's valid link for this vacancy, lasting at least REVIEW_LINK_DAYS more; or a
    new one."""
    link = ReviewLink.objects.valid().filter(contact=contact, vacancy=vacancy).first()
    if link is None:
        return ReviewLink.objects.create(contact=contact, vacancy=vacancy, created_by=by)
    link.extend()
    return link


def send_cvs(*, vacancy, entries, contacts, subject, note, consultant, template=None, by=None):
    """Send these candidates' CVs to these contacts of the vacancy's client; returns the
    Shortlist. Raises ValidationError (listing every problem) and sends nothing if any
    candidate or contact cannot be sent to."""
    client = vacancy.client
    if found := problems(entries, contacts, client):
        raise ValidationError(found)
    copies = {}
    try:
        for entry in entries:
            file, original_name = cv_to_send(entry)
            copies[entry.pk] = (*copy_cv(file, original_name), original_name)
        with transaction.atomic():
            shortlist = Shortlist.objects.create(
                vacancy=vacancy,
                consultant=consultant,
                sent_by=by,
                template=template,
                subject=subject,
                note=note,
            )
            for contact in contacts:
                introductions = [
                    introduce(shortlist, entry, contact, copies[entry.pk]) for entry in entries
                ]
                link = review_link_for(contact, vacancy, by)
                queue_client_email(shortlist, contact, link, introductions)
            names = ", ".join(contact.name for contact in contacts)
            for entry in entries:
                to_cv_sent(entry, f"CV sent to {names} at {client}.", by)
    except BaseException:
        for name, *_ in copies.values():
            cv_storage.delete(name)
        raise
    return shortlist


def introduce(shortlist, entry, contact, copy):
    name, sha256, size, original_name = copy
    profile = entry.client_profile
    return Introduction.objects.create(
        shortlist=shortlist,
        entry=entry,
        candidate=entry.candidate,
        vacancy=shortlist.vacancy,
        client=shortlist.vacancy.client,
        contact=contact,
        contact_name=contact.name,
        contact_email=contact.email,
        sent_at=shortlist.sent_at,
        cv=name,
        cv_original_name=original_name[:255],
        cv_sha256=sha256,
        cv_size=size,
        headline=profile.headline,
        summary=profile.summary,
        salary_expectation=profile.salary_expectation,
        notice_period=profile.notice_period,
    )


def to_cv_sent(entry, note, by):
    """Into the "CV sent" stage, unless they are there or further on already (then logged)."""
    stage = Stage.objects.filter(role=Stage.Role.CV_SENT).first()
    current = entry.stage
    if stage is None or current.is_end or current.position >= stage.position:
        return entry.note_in_log(note, by=by)
    return entry.move_to(stage, by=by, note=note)


def client_email_text(shortlist, contact, vacancy, consultant):
    values = templating.values_for(vacancy=vacancy, consultant=consultant, contact=contact)
    return templating.fill(shortlist.subject, values), templating.fill(shortlist.note, values)


def queue_client_email(shortlist, contact, link, introductions):
    vacancy, consultant = shortlist.vacancy, shortlist.consultant
    subject, note = client_email_text(shortlist, contact, vacancy, consultant)
    context = {
        "note": note,
        "contact": contact,
        "introductions": introductions,
        "link": link,
        "consultant": consultant,
        "agency": settings.AGENCY,
    }
    return delivery.queue(
        purpose=CLIENT_EMAIL,
        about=shortlist,
        to=[delivery.address(contact.email, contact.name)],
        reply_to=[delivery.address(consultant.email, consultant.name)],
        subject=subject,
        body=render_to_string("pipeline/email/client_cvs.txt", context),
    )


# The client's answers -----------------------------------------------------------------------


def latest_per_candidate(introductions):
    """The newest introduction of each candidate (a CV sent twice shows once)."""
    latest = {}
    for introduction in sorted(introductions, key=lambda each: (each.sent_at, each.pk)):
        latest[introduction.candidate_id] = introduction
    return sorted(latest.values(), key=lambda each: (each.sent_at, each.pk))


def record_decision(introduction, *, decision, reason=None, comment=""):
    """The client's choice for one candidate: kept on the introduction, written in the stage
    log as the client's, the candidate moved where it says, and the consultant told at once."""
    Decision = Introduction.Decision
    with transaction.atomic():
        introduction = (
            Introduction.objects.select_for_update(of=("self",))
            .select_related("entry__stage", "entry__candidate", "vacancy__consultant", "client")
            .get(pk=introduction.pk)
        )
        now = timezone.now()
        introduction.decision = decision
        introduction.decision_reason = reason if decision == Decision.NOT_SUITABLE else None
        introduction.decision_comment = comment
        introduction.decided_at = now
        introduction.first_response_at = introduction.first_response_at or now
        introduction.save(
            update_fields=[
                "decision",
                "decision_reason",
                "decision_comment",
                "decided_at",
                "first_response_at",
            ]
        )
        if introduction.entry is not None:
            move_for_decision(introduction)
        queue_response_email(introduction)
    return introduction


def decision_words(introduction):
    decision = introduction.get_decision_display()
    words = f"{introduction.contact_name} ({introduction.client}): {decision}"
    if introduction.decision_reason:
        words += f", {introduction.decision_reason.client_wording or introduction.decision_reason}"
    if introduction.decision_comment:
        words += f". “{introduction.decision_comment}”"
    return words


def move_for_decision(introduction):
    """Interview: to the interview stage; not suitable: rejected, with the reason; hold: a line
    in the log. A candidate already further on, or out, is not moved back: the log says so."""
    entry, Decision = introduction.entry, Introduction.Decision
    note = decision_words(introduction)
    role = {Decision.INTERVIEW: Stage.Role.INTERVIEW, Decision.NOT_SUITABLE: Stage.Role.REJECTED}
    target = Stage.objects.filter(role=role.get(introduction.decision, "-")).first()
    current = entry.stage
    if (
        target is None
        or current.is_end
        or (not target.is_end and current.position >= target.position)
    ):
        return entry.note_in_log(note, actor=MoveActor.CLIENT)
    return entry.move_to(
        target, actor=MoveActor.CLIENT, note=note, reason=introduction.decision_reason
    )


def queue_response_email(introduction):
    consultant = introduction.vacancy.consultant
    board = absolute_url(reverse("admin:pipeline_board", args=[introduction.vacancy_id]))
    context = {"introduction": introduction, "consultant": consultant, "board_url": board}
    subject = (
        f"{introduction.get_decision_display()}: {introduction.candidate} for "
        f"{introduction.vacancy.title} ({introduction.vacancy.reference})"
    )
    return delivery.queue(
        purpose=RESPONSE_EMAIL,
        about=introduction,
        to=[delivery.address(consultant.email, consultant.name)],
        subject=subject,
        body=render_to_string("pipeline/email/client_response.txt", context),
    )


# How long clients take ----------------------------------------------------------------------


def no_response_since(now=None):
    """The moment before which a CV sent and still unanswered is overdue: sent on a day more
    than CLIENT_RESPONSE_WORKING_DAYS working days ago."""
    now = now or timezone.now()
    day = working_days.before(timezone.localdate(now), settings.CLIENT_RESPONSE_WORKING_DAYS)
    return timezone.make_aware(datetime.combine(day, time.min))


def waiting_for_clients(now=None):
    return Introduction.objects.awaiting_response().sent_before(no_response_since(now))
