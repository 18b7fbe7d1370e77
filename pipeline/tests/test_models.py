import threading
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from candidates.models import Enquiry
from jobs.tests.factories import OpenVacancyFactory, StaffUserFactory
from outbox.models import Message
from pipeline.emails import send_template
from pipeline.models import EmailTemplate, PipelineEntry, RejectionReason, Stage, StageMove
from pipeline.services import add_to_pipeline

from .factories import SourcedEntryFactory, stage

pytestmark = pytest.mark.django_db


def test_the_default_pipeline_runs_from_new_to_placed_with_two_other_ends():
    names = list(Stage.objects.in_order().values_list("name", "is_end"))
    assert names == [
        ("New", False),
        ("Screening", False),
        ("Shortlisted", False),
        ("CV sent to client", False),
        ("Interview", False),
        ("Offer", False),
        ("Placed", True),
        ("Rejected", True),
        ("Withdrawn", True),
    ]
    assert Stage.objects.get(name="Rejected").needs_reason
    assert RejectionReason.objects.filter(is_active=True).count() >= 5


def test_an_application_puts_its_candidate_on_the_job_pipeline_once(client, enquire):
    vacancy = OpenVacancyFactory()
    enquire(client, vacancy, email="zoe@example.com", message="First")
    enquire(client, vacancy, email="ZOE@example.com", message="Second")
    [entry] = PipelineEntry.objects.all()
    first = Enquiry.objects.earliest("created_at")
    assert (entry.vacancy, entry.stage.role, entry.source) == (vacancy, "new", "application")
    assert entry.enquiry == first and entry.candidate == first.candidate
    [move] = entry.moves.all()
    assert (move.from_stage, move.to_stage.role, move.actor) == (None, "new", "site")


def test_a_candidate_is_on_a_vacancy_pipeline_at_most_once():
    entry = SourcedEntryFactory()
    with pytest.raises(ValidationError, match="already on the pipeline"):
        add_to_pipeline(vacancy=entry.vacancy, candidate=entry.candidate, source="referral")
    assert PipelineEntry.objects.count() == 1


def test_a_move_is_logged_with_who_when_from_to_and_why():
    entry = SourcedEntryFactory()
    user = StaffUserFactory()
    reason = RejectionReason.objects.first()
    move = entry.move_to(stage("rejected"), by=user, reason=reason, note="Went elsewhere")
    entry.refresh_from_db()
    assert (entry.stage.role, entry.rejection_reason) == ("rejected", reason)
    assert (move.from_stage.role, move.to_stage.role, move.moved_by) == ("new", "rejected", user)
    assert (move.reason, move.note, move.actor) == (reason, "Went elsewhere", "staff")


def test_rejecting_needs_a_reason_and_saves_nothing_without_one():
    entry = SourcedEntryFactory()
    with pytest.raises(ValidationError, match="needs a reason"):
        entry.move_to(stage("rejected"))
    entry.refresh_from_db()
    assert entry.stage.role == "new" and not StageMove.objects.exists()


def test_the_stage_log_is_append_only():
    move = SourcedEntryFactory().move_to(stage("shortlisted"))
    move.note = "rewriting history"
    with pytest.raises(ValidationError, match="append-only"):
        move.save()


def test_candidates_waiting_longer_than_their_stage_expects_are_found():
    new = stage("new")  # expected: 2 days
    late = SourcedEntryFactory(entered_stage_at=timezone.now() - timedelta(days=3))
    SourcedEntryFactory(entered_stage_at=timezone.now() - timedelta(days=1))
    SourcedEntryFactory(
        stage=stage("placed"), entered_stage_at=timezone.now() - timedelta(days=300)
    )
    assert new.expected_days == 2
    assert list(PipelineEntry.objects.waiting_too_long()) == [late]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_consultants_moving_one_candidate_at_once_are_both_logged_in_order():
    entry = SourcedEntryFactory()
    targets = [stage("shortlisted"), stage("cv_sent")]
    barrier = threading.Barrier(2)
    errors = []

    def move(target):
        try:
            barrier.wait(timeout=10)
            PipelineEntry.objects.get(pk=entry.pk).move_to(target)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=move, args=[target]) for target in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert errors == []
    moves = list(StageMove.objects.filter(entry=entry).order_by("moved_at", "pk"))
    assert len(moves) == 2
    # Each move starts where the one before it ended, and the entry is where the last ended.
    assert moves[1].from_stage == moves[0].to_stage
    entry.refresh_from_db()
    assert entry.stage == moves[-1].to_stage


def test_a_template_with_an_unknown_placeholder_is_refused_with_the_known_ones():
    template = EmailTemplate(
        name="Bad",
        purpose="free",
        subject="Hi {{ candidate_first_name }}",
        body="Your salary: {{ candidate_salary }} {% if x %}",
    )
    with pytest.raises(ValidationError) as raised:
        template.full_clean()
    message = str(raised.value)
    assert "Unknown placeholder(s): {{ candidate_salary }}" in message
    assert "{{ vacancy_title }}" in message


def test_a_templated_email_goes_through_the_outbox_about_the_entry(smtp_server):
    entry = SourcedEntryFactory(candidate__name="Zoë Nguyễn", candidate__email="zoe@example.com")
    consultant = entry.vacancy.consultant
    template = EmailTemplate.objects.get(purpose="rejection")
    message = send_template(template, candidate=entry.candidate, consultant=consultant, entry=entry)
    [email] = smtp_server.inbox.to("zoe@example.com")
    body = email.get_body(("plain",)).get_content()
    assert body.startswith("Dear Zoë,") and entry.vacancy.title in body
    assert consultant.name in body and "{{" not in body
    assert list(Message.objects.about(entry)) == [message]
