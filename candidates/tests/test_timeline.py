"""The candidate's page: one timeline of everything about them, and notes added to it."""

import logging
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import timezone

from candidates.models import Candidate, CandidateCV, Note, SpaceActivity
from jobs.tests.factories import ConsultantFactory, OpenVacancyFactory, StaffUserFactory
from outbox.tests.factories import FailedMessageFactory, SentMessageFactory
from pipeline.models import RejectionReason, StageMove
from pipeline.tests.factories import SourcedEntryFactory, stage

from .factories import CandidateFactory, EnquiryLinkFactory, QuestionFactory, enquire, pdf_cv

pytestmark = pytest.mark.django_db


@pytest.fixture
def consultant(client):
    user = StaffUserFactory(first_name="Raj", last_name="Patel")
    user.groups.add(Group.objects.get(name="Consultant"))
    client.force_login(user)
    return user


@pytest.fixture
def candidate():
    return CandidateFactory(name="Zoë Nguyễn", email="zoe@example.com")


def page(client, candidate, **params):
    url = reverse("admin:candidates_candidate_change", args=[candidate.pk])
    response = client.get(url, params)
    assert response.status_code == 200
    return response


def add_note(client, candidate, **fields):
    url = reverse("admin:candidates_candidate_add_note", args=[candidate.pk])
    data = {"kind": "note", "text": "", **fields}
    return client.post(url, {f"note-{name}": value for name, value in data.items()})


def history(candidate, user, count):
    """`count` of each kind of event about the candidate, an hour apart by kind."""
    now = timezone.now()
    vacancy = OpenVacancyFactory(title="Ward sister")
    sender = ConsultantFactory(name="Kelly Small")
    entry = SourcedEntryFactory(candidate=candidate, vacancy=vacancy)
    rejected, reason = stage("rejected"), RejectionReason.objects.first()
    for n in range(count):
        at = now - timedelta(minutes=n)
        QuestionFactory(candidate=candidate, vacancy=vacancy, created_at=at)
        StageMove.objects.create(
            entry=entry, to_stage=rejected, moved_at=at, moved_by=user, reason=reason
        )
        Note.objects.create(candidate=candidate, author=user, text=f"Note {n}", entry=entry)
        SentMessageFactory(to=[candidate.email], subject=f"Email {n}", created_at=at)
        EnquiryLinkFactory(candidate=candidate, vacancy=vacancy, sender=sender, created_at=at)
        CandidateCV.objects.create(
            candidate=candidate, file=f"cvs/{n}.pdf", original_name=f"CV {n}.pdf", uploaded_by=user
        )
        SpaceActivity.objects.create(
            candidate=candidate, at=at, action=SpaceActivity.Action.WITHDREW, detail=f"Job {n}"
        )


def test_a_consultant_adds_a_note_to_the_timeline(client, consultant, candidate):
    response = add_note(client, candidate, text="Wants nights only.\nCall after 4pm.")
    assert response.status_code == 302
    assert response.url.endswith("#timeline")
    note = Note.objects.get()
    assert (note.candidate, note.author, note.kind) == (candidate, consultant, "note")
    content = client.get(response.url).content.decode()
    assert "Note added." in content
    assert "Wants nights only.<br>Call after 4pm." in content and "— Raj Patel" in content


def test_a_logged_call_says_how_it_went_and_may_be_about_a_job(client, consultant, candidate):
    entry = SourcedEntryFactory(candidate=candidate, vacancy=OpenVacancyFactory(title="Midwife"))
    add_note(client, candidate, kind="call", outcome="voicemail", entry=entry.pk)
    note = Note.objects.get()
    assert (note.kind, note.outcome, note.entry, note.text) == ("call", "voicemail", entry, "")
    content = page(client, candidate).content.decode()
    assert "<strong>Call</strong>: Left voicemail, about Midwife" in content


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"text": "   "}, "Write the note."),
        ({"kind": "call", "text": "Rang twice"}, "Say how the call went."),
        ({"kind": "meeting", "outcome": "no_answer", "text": "Met"}, "Only a call has an outcome."),
        ({"kind": "telegram", "text": "Stop"}, "Select a valid choice"),
    ],
)
def test_a_note_with_a_mistake_comes_back_with_what_was_typed(
    client, consultant, candidate, fields, message
):
    response = add_note(client, candidate, **fields)
    assert response.status_code == 400
    content = response.content.decode()
    assert message in content and "nothing was saved yet" in content
    if fields["text"].strip():
        assert fields["text"] in content
    assert not Note.objects.exists()


def test_a_note_about_another_candidates_job_is_refused(client, consultant, candidate):
    theirs = SourcedEntryFactory()
    response = add_note(client, candidate, text="Hi", entry=theirs.pk)
    assert response.status_code == 400 and not Note.objects.exists()


def test_notes_are_never_logged(client, consultant, candidate, caplog):
    with caplog.at_level(logging.DEBUG):
        add_note(client, candidate, text="Confidential: health condition")
        add_note(client, candidate, kind="call", text="Confidential: no outcome")
        page(client, candidate)
    assert Note.objects.count() == 1
    assert "Confidential" not in caplog.text


def test_staff_without_the_permission_cannot_add_notes(client, candidate):
    reader = StaffUserFactory()
    reader.user_permissions.add(*Permission.objects.filter(codename="view_candidate"))
    client.force_login(reader)
    assert add_note(client, candidate, text="Hello").status_code == 403
    assert "Add a note" not in page(client, candidate).content.decode()
    assert not Note.objects.exists()


def test_a_note_is_added_by_post_only(client, consultant, candidate):
    url = reverse("admin:candidates_candidate_add_note", args=[candidate.pk])
    assert client.get(url, {"note-text": "Hello"}).status_code == 405


def test_the_timeline_shows_everything_newest_first(client, consultant, candidate):
    enquire(client, OpenVacancyFactory(title="Staff nurse"), email=candidate.email, cv=pdf_cv())
    entry = SourcedEntryFactory(candidate=candidate, vacancy=OpenVacancyFactory(title="Midwife"))
    entry.move_to(stage("rejected"), by=consultant, reason=RejectionReason.objects.first())
    FailedMessageFactory(to=[candidate.email], subject="Your interview")
    link = EnquiryLinkFactory(
        candidate=candidate, vacancy=OpenVacancyFactory(title="Health visitor")
    )
    link.record_open()
    link.record_open()
    add_note(client, candidate, text="Spoke about Midwife")
    content = page(client, candidate).content.decode()
    timeline = content[content.index('id="timeline"') :]
    assert "Spoke about Midwife" in timeline
    assert "opened 2 times" in timeline
    assert "Failed: needs staff" in timeline
    assert "New → Rejected (Skills or experience do not match)" in timeline
    assert "by Raj Patel" in timeline
    assert "Application with CV about Staff nurse" in timeline
    assert "We have received your message about Staff nurse" in timeline  # its confirmation
    # Sent by someone with their address: a version, which only staff make current.
    assert "Zoë CV.pdf" in timeline and "Make this their current CV" in timeline
    positions = [
        timeline.index(text)
        for text in ("Spoke about Midwife", "Health visitor", "Your interview", "New → Rejected")
    ]
    assert positions == sorted(positions)


@pytest.mark.parametrize("count", [1, 50])
def test_the_timeline_is_read_in_a_fixed_number_of_queries(
    client, consultant, candidate, count, django_assert_num_queries
):
    """Seven for the timeline, one a kind of event; the rest are the admin's own page."""
    history(candidate, consultant, count)
    page(client, candidate)  # content types, cached by the process from then on
    with django_assert_num_queries(17):
        response = page(client, candidate)
    assert len(response.context["timeline"]) == min(7 * count, 50)


def test_a_long_timeline_shows_the_newest_fifty_and_all_on_request(client, consultant, candidate):
    history(candidate, consultant, 10)
    first = page(client, candidate)
    assert len(first.context["timeline"]) == 50 and first.context["timeline_more"]
    assert "Show all" in first.content.decode()
    everything = page(client, candidate, timeline="all")
    assert len(everything.context["timeline"]) == 70 and not everything.context["timeline_more"]
    assert "Show all" not in everything.content.decode()
    dates = [event.at for event in everything.context["timeline"]]
    assert dates == sorted(dates, reverse=True)


def test_a_candidate_with_no_history_has_an_empty_timeline(client, consultant, candidate):
    assert "Nothing yet." in page(client, candidate).content.decode()
    assert Candidate.objects.count() == 1
