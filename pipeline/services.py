"""Putting candidates on a vacancy's pipeline: from an application, or found by a consultant."""

import logging

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from . import privacy
from .models import MoveActor, PipelineEntry, Stage

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
