"""Putting candidates on a vacancy's pipeline: from an application, or found by a consultant."""

import logging

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from candidates.cvs import add_cv
from candidates.models import Candidate
from candidates.storage import discard_cv

from . import privacy
from .emails import send_template
from .models import FollowUp, MoveActor, PipelineEntry, Stage

logger = logging.getLogger(__name__)


def first_stage():
    """Where new candidates start: the stage with the "new" role, else the first open one."""
    stages = Stage.objects.open().in_order()
    return stages.filter(role=Stage.Role.NEW).first() or stages.first()


def add_to_pipeline(*, vacancy, candidate, source, by=None, enquiry=None, note=""):
    """The candidate's entry on the vacancy's pipeline, at its first stage, with the move
    logged. Raises ValidationError if they are on it already, or if a consultant is adding
    someone who objected to our holding their details."""
    if source != PipelineEntry.Source.APPLICATION:
        privacy.refuse_suppressed([candidate.email])
    stage = first_stage()
    if stage is None:
        raise ValidationError("The pipeline has no open stage: add one in the admin.")
    try:
        with transaction.atomic():
            entry = PipelineEntry.objects.create(
                vacancy=vacancy,
                candidate=candidate,
                stage=stage,
                source=source,
                added_by=by,
                enquiry=enquiry,
            )
            entry.moves.create(
                from_stage=None,
                to_stage=stage,
                moved_by=by,
                actor=MoveActor.STAFF if by else MoveActor.SITE,
                note=note,
            )
    except IntegrityError as error:
        raise ValidationError(f"{candidate} is already on the pipeline for {vacancy}.") from error
    return entry


def add_application(enquiry):
    """An application through the site puts its candidate on the job's pipeline (once).

    Never stops the application being saved: without an open stage to join, the enquiry
    stands alone (and a warning is logged).
    """
    if enquiry.vacancy_id is None or enquiry.candidate_id is None:
        return None
    if first_stage() is None:
        logger.warning("Enquiry %s joined no pipeline: there is no open stage", enquiry.pk)
        return None
    on_it = PipelineEntry.objects.filter(
        vacancy_id=enquiry.vacancy_id, candidate_id=enquiry.candidate_id
    )
    if existing := on_it.first():
        return existing
    try:
        return add_to_pipeline(
            vacancy=enquiry.vacancy,
            candidate=enquiry.candidate,
            source=PipelineEntry.Source.APPLICATION,
            enquiry=enquiry,
        )
    except ValidationError:  # a second application won the race: theirs is the entry
        return on_it.get()


def add_new_candidate(*, vacancy, name, email, source, phone="", cv=None, by=None, note=""):
    """Someone a consultant found, new to us: saved (with their CV), put on the vacancy's
    pipeline and sent our privacy notice, all or nothing. Returns the entry."""
    privacy.refuse_suppressed([email])
    if known := Candidate.objects.by_email(email).first():
        raise ValidationError(
            f"{email} is already in the database as {known}: add them as an existing candidate."
        )
    candidate = Candidate(name=name, email=email, phone=phone, source=source)
    stored = None
    try:
        with transaction.atomic():
            candidate.save()
            if cv:
                stored = add_cv(candidate, cv, by=by, make_current=True).file.name
            entry = add_to_pipeline(
                vacancy=vacancy, candidate=candidate, source=source, by=by, note=note
            )
            privacy.send_privacy_notice(candidate, vacancy=vacancy, source=source, by=by)
    except BaseException as error:
        if stored:  # stored before the rollback: nothing of theirs is left behind
            discard_cv(stored)
        if isinstance(error, IntegrityError):  # they applied through the site meanwhile
            raise ValidationError(f"{email} is already in the database.") from error
        raise
    return entry


def follow_up_owner(vacancy, by):
    """Follow-ups are the vacancy's consultant's; without a login of theirs, the mover's."""
    return vacancy.consultant.user if vacancy.consultant.user_id else by


def move(entry, *, stage, by=None, reason=None, note="", follow_up_on=None, follow_up=""):
    """Move one candidate, with a dated follow-up for the vacancy's consultant if asked.

    Returns (the StageMove, the FollowUp or None).
    """
    with transaction.atomic():
        logged = entry.move_to(stage, by=by, reason=reason, note=note)
        task = None
        if follow_up_on:
            task = FollowUp.objects.create(
                owner=follow_up_owner(entry.vacancy, by),
                entry=entry,
                candidate=entry.candidate,
                due_on=follow_up_on,
                description=follow_up or f"Follow up {entry.candidate} ({stage})",
                created_by=by,
            )
    return logged, task


def move_many(entries, *, stage, by=None, reason=None, note="", template=None, consultant=None):
    """Move several candidates at once, each with the email from `template` if given, in one
    transaction: all of them move and their emails are queued, or nothing happens.

    Those already at the stage are left alone (and get no email). Returns (moved, skipped).
    """
    moved, skipped = [], []
    with transaction.atomic():
        for entry in entries:
            if entry.stage_id == stage.pk:
                skipped.append(entry)
                continue
            entry.move_to(stage, by=by, reason=reason, note=note)
            if template is not None:
                send_template(
                    template, candidate=entry.candidate, consultant=consultant, entry=entry
                )
            moved.append(entry)
    return moved, skipped
