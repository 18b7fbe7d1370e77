"""Interviews: scheduled, rescheduled, cancelled, reminded, and their outcome recorded.

Each change writes the interview, the stage log and every invitation (through the outbox,
each recipient their own .ics) in one transaction. A reschedule or cancellation names the
SEQUENCE the consultant's page showed: if someone else changed the interview meanwhile,
nothing is done and they are told.
"""

from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.dateformat import format as format_date

from outbox import delivery

from . import invites
from .models import Interview, Stage

INVITE_EMAIL = "interview.invitation"
REMINDER_EMAIL = "interview.reminder"
CANDIDATE, CONTACT, CONSULTANT = "candidate", "contact", "consultant"
SUBJECTS = {
    "new": "Interview invitation",
    "updated": "Interview changed",
    "cancelled": "Interview cancelled",
    "reminder": "Reminder: interview tomorrow",
}


def when(interview):
    """E.g. "Thursday 3 December 2026, 10:00 to 11:00 (Europe/London)"."""
    local = ZoneInfo(interview.time_zone)
    start, end = interview.starts_at.astimezone(local), interview.ends_at.astimezone(local)
    return f"{format_date(start, 'l j F Y')}, {start:%H:%M} to {end:%H:%M} ({interview.time_zone})"


def recipients(interview):
    """(audience, email, name) of everyone invited: the candidate, the client's chosen
    contacts (those with an address), and the vacancy's consultant."""
    entry = interview.entry
    candidate, consultant = entry.candidate, entry.vacancy.consultant
    people = [(CANDIDATE, candidate.email, candidate.name)]
    contacts = interview.contacts.all()
    people += [(CONTACT, contact.email, contact.name) for contact in contacts if contact.email]
    people.append((CONSULTANT, consultant.email, consultant.name))
    return people


def summary_for(interview, audience):
    entry = interview.entry
    vacancy, round_ = entry.vacancy, interview.get_round_display()
    if audience == CANDIDATE:
        return f"{round_}: {vacancy.title} at {vacancy.client.public_name}"
    if audience == CONTACT:
        return f"{round_}: {entry.candidate.name} for {vacancy.title}"
    return f"{round_}: {entry.candidate.name}, {vacancy.client.name} ({vacancy.reference})"


def email_text(interview, audience, kind, name):
    context = {
        "interview": interview,
        "entry": interview.entry,
        "vacancy": interview.entry.vacancy,
        "consultant": interview.entry.vacancy.consultant,
        "audience": audience,
        "kind": kind,
        "name": name,
        "when": when(interview),
        "agency": settings.AGENCY,
    }
    return render_to_string("pipeline/email/interview.txt", context)


def queue_invitations(interview, kind):
    """Each recipient's email with their own .ics: REQUEST, or CANCEL for a cancellation."""
    for audience, email, name in recipients(interview):
        queue_invitation(interview, kind, audience, email, name)


def queue_invitation(interview, kind, audience, email, name):
    method = invites.METHOD_CANCEL if kind == "cancelled" else invites.METHOD_REQUEST
    consultant = interview.entry.vacancy.consultant
    summary = summary_for(interview, audience)
    body = email_text(interview, audience, kind, name)
    ics = invites.calendar(
        interview,
        method=method,
        attendee=(email, name),
        organizer=(consultant.email, consultant.name),
        summary=summary,
        description=body,
    )
    return delivery.queue(
        purpose=INVITE_EMAIL,
        about=interview,
        to=[delivery.address(email, name)],
        reply_to=[delivery.address(consultant.email, consultant.name)],
        subject=f"{SUBJECTS[kind]}: {summary}",
        body=body,
        attachments=[
            delivery.generated(
                ics, filename="interview.ics", content_type=invites.content_type(method)
            )
        ],
    )


def to_interview_stage(entry, note, by):
    """Into the interview stage, unless they are there or further on already (then logged)."""
    stage = Stage.objects.filter(role=Stage.Role.INTERVIEW).first()
    if stage is None or entry.stage.is_end or entry.stage.position >= stage.position:
        return entry.note_in_log(note, by=by)
    return entry.move_to(stage, by=by, note=note)


def schedule(entry, *, by, contacts, **details):
    with transaction.atomic():
        interview = Interview.objects.create(entry=entry, created_by=by, **details)
        interview.contacts.set(contacts)
        to_interview_stage(
            entry, f"{interview.get_round_display()} scheduled: {when(interview)}.", by
        )
        queue_invitations(interview, "new")
    return interview


def locked(interview, seen_sequence):
    """The interview, locked, if it is still as the consultant's page showed it."""
    current = Interview.objects.select_for_update().get(pk=interview.pk)
    if current.sequence != seen_sequence or not current.is_scheduled:
        raise ValidationError(
            "This interview was changed by someone else since you opened this page: "
            "reload it to see the change, then try again."
        )
    return current


def reschedule(interview, *, seen_sequence, by, contacts, **details):
    """New time or details: everyone still invited gets the update (same UID, next
    SEQUENCE); a contact taken off the interview gets a cancellation."""
    with transaction.atomic():
        current = locked(interview, seen_sequence)
        before = set(current.contacts.all())
        current.reschedule(**details)
        current.contacts.set(contacts)
        dropped = [contact for contact in before if contact not in set(contacts)]
        current.entry.note_in_log(
            f"{current.get_round_display()} changed: now {when(current)}.", by=by
        )
        queue_invitations(current, "updated")
        for contact in dropped:
            if contact.email:
                queue_invitation(current, "cancelled", CONTACT, contact.email, contact.name)
    return current


def cancel(interview, *, seen_sequence, by):
    with transaction.atomic():
        current = locked(interview, seen_sequence)
        current.cancel()
        current.entry.note_in_log(
            f"{current.get_round_display()} of {when(current)} cancelled.", by=by
        )
        queue_invitations(current, "cancelled")
    return current


OUTCOME_ROLES = {
    Interview.Outcome.OFFER: Stage.Role.OFFER,
    Interview.Outcome.REJECTED: Stage.Role.REJECTED,
    Interview.Outcome.WITHDRAWN: Stage.Role.WITHDRAWN,
}


def record_outcome(
    interview, *, outcome, by, reason=None, candidate_feedback="", client_feedback=""
):
    """Both sides' feedback and the outcome, which moves the candidate on (or not)."""
    if not interview.is_scheduled:
        raise ValidationError("Only a scheduled interview has an outcome to record.")
    if interview.starts_at > timezone.now():
        raise ValidationError("Record the outcome once the interview has taken place.")
    with transaction.atomic():
        interview.record_outcome(
            outcome=outcome,
            reason=reason if outcome == Interview.Outcome.REJECTED else None,
            candidate_feedback=candidate_feedback,
            client_feedback=client_feedback,
            by=by,
        )
        entry = interview.entry
        note = f"{interview.get_round_display()} outcome: {interview.get_outcome_display()}."
        stage = Stage.objects.filter(role=OUTCOME_ROLES.get(outcome, "-")).first()
        if stage is None or stage.pk == entry.stage_id:
            entry.note_in_log(note, by=by)
        else:
            entry.move_to(stage, by=by, note=note, reason=interview.outcome_reason)
    return interview


def send_reminders(now=None):
    """Queue the day-before reminder of every interview due one: each interview claimed
    first (its start time written as reminded), so two runs never remind twice. Returns how
    many interviews were reminded."""
    now = now or timezone.now()
    reminded = 0
    for interview in Interview.objects.reminder_due(now).select_related(
        "entry__candidate", "entry__vacancy__consultant", "entry__vacancy__client"
    ):
        with transaction.atomic():
            claimed = (
                Interview.objects.filter(pk=interview.pk, starts_at=interview.starts_at)
                .scheduled()
                .filter(Q(reminded_for__isnull=True) | ~Q(reminded_for=F("starts_at")))
                .update(reminded_for=F("starts_at"))
            )
            if not claimed:
                continue
            queue_reminder(interview)
            reminded += 1
    return reminded


def queue_reminder(interview):
    consultant = interview.entry.vacancy.consultant
    for audience, email, name in recipients(interview):
        if audience == CONSULTANT:
            continue  # the desk shows the consultant today's interviews
        summary = summary_for(interview, audience)
        delivery.queue(
            purpose=REMINDER_EMAIL,
            about=interview,
            to=[delivery.address(email, name)],
            reply_to=[delivery.address(consultant.email, consultant.name)],
            subject=f"{SUBJECTS['reminder']}: {summary}",
            body=email_text(interview, audience, "reminder", name),
        )
