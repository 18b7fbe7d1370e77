import threading
from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from candidates.models import Candidate
from candidates.tests.factories import CandidateFactory
from jobs.tests.factories import StaffUserFactory
from outbox.models import Message
from pipeline import emails, working_days
from pipeline.models import (
    EmailTemplate,
    FollowUp,
    PipelineEntry,
    RejectionReason,
    Stage,
    StageMove,
)

from .factories import ShortlistedEntryFactory, SourcedEntryFactory, stage

pytestmark = pytest.mark.django_db


def board_url(vacancy):
    return reverse("admin:pipeline_board", args=[vacancy.pk])


def move(client, entry, **data):
    url = reverse("admin:pipeline_board_move", args=[entry.vacancy_id, entry.pk])
    return client.post(url, data)


def bulk(client, vacancy, entries, **data):
    url = reverse("admin:pipeline_board_bulk", args=[vacancy.pk])
    return client.post(url, {"entries": [entry.pk for entry in entries], **data})


@pytest.fixture
def rejection_template():
    return EmailTemplate.objects.get(purpose="rejection")


def notes(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_the_board_shows_a_column_per_stage_in_order_with_counts_and_end_states_folded(
    consultant_client, vacancy
):
    zoe = SourcedEntryFactory(vacancy=vacancy, candidate__name="Zoë Nguyễn")
    SourcedEntryFactory(vacancy=vacancy)
    ShortlistedEntryFactory(vacancy=vacancy, source=PipelineEntry.Source.REFERRAL)
    SourcedEntryFactory(vacancy=vacancy, stage=stage("rejected"))
    SourcedEntryFactory(stage=stage("interview"))  # another vacancy's

    response = consultant_client.get(board_url(vacancy))

    assert response.status_code == 200
    columns = response.context["open_columns"] + response.context["end_columns"]
    assert [(column.stage.name, len(column.cards)) for column in columns] == [
        ("New", 2),
        ("Screening", 0),
        ("Shortlisted", 1),
        ("CV sent to client", 0),
        ("Interview", 0),
        ("Offer", 0),
        ("Placed", 0),
        ("Rejected", 1),
        ("Withdrawn", 0),
    ]
    page = response.content.decode()
    assert page.count('<details class="board-column board-end"') == 3
    assert page.count('<section class="board-column"') == 6
    candidate_url = reverse("admin:candidates_candidate_change", args=[zoe.candidate_id])
    assert f'<a href="{candidate_url}">Zoë Nguyễn</a>' in page
    assert "Referral." in page and "Our database." in page


def test_a_card_shows_when_it_entered_its_stage_and_is_marked_late_past_the_expected_days(
    consultant_client, vacancy
):
    waited = timezone.now() - timedelta(days=3, hours=1)  # "New" expects 2 days
    late = SourcedEntryFactory(vacancy=vacancy, entered_stage_at=waited)
    SourcedEntryFactory(vacancy=vacancy, entered_stage_at=timezone.now() - timedelta(days=1))

    response = consultant_client.get(board_url(vacancy))

    [card_late, card_fresh] = response.context["open_columns"][0].cards
    assert (card_late.pk, card_late.late, card_fresh.late) == (late.pk, True, False)
    assert card_fresh.meta.endswith(": 1 day")
    entered = timezone.localtime(waited)
    assert f"Here since {entered.day} {entered:%b %Y}: 3 days" in response.content.decode()
    assert response.content.decode().count('class="board-card is-late"') == 1


def test_the_vacancy_list_and_page_link_to_the_board(admin_client, vacancy):
    listing = admin_client.get(reverse("admin:jobs_vacancy_changelist"))
    page = admin_client.get(reverse("admin:jobs_vacancy_change", args=[vacancy.pk]))
    assert f'href="{board_url(vacancy)}"' in listing.content.decode()
    assert f'href="{board_url(vacancy)}"' in page.content.decode()


def test_staff_without_pipeline_permissions_cannot_see_or_move(client, vacancy):
    entry = SourcedEntryFactory(vacancy=vacancy)
    client.force_login(StaffUserFactory())
    assert client.get(board_url(vacancy)).status_code == 403
    assert move(client, entry, stage=stage("shortlisted").pk).status_code == 403
    assert not StageMove.objects.exists()


def test_an_unknown_vacancy_has_no_board(consultant_client):
    assert consultant_client.get(reverse("admin:pipeline_board", args=[999])).status_code == 404


def test_moving_a_card_logs_the_move_and_returns_to_the_board_with_a_note(
    consultant_client, vacancy
):
    entry = SourcedEntryFactory(vacancy=vacancy, candidate__name="Zoë Nguyễn")

    response = move(consultant_client, entry, stage=stage("shortlisted").pk, note="Strong CV")

    assert response.status_code == 302
    assert response.url == board_url(vacancy) + f"#entry-{entry.pk}"
    assert notes(response) == ["Zoë Nguyễn moved to Shortlisted."]
    entry.refresh_from_db()
    [logged] = entry.moves.all()
    assert entry.stage.role == "shortlisted"
    assert (logged.from_stage.role, logged.to_stage.role) == ("new", "shortlisted")
    assert (logged.moved_by, logged.note) == (consultant_client.user, "Strong CV")
    assert not FollowUp.objects.exists()


def test_a_quick_follow_up_is_set_for_the_vacancy_consultant_in_working_days(
    consultant_client, vacancy
):
    entry = SourcedEntryFactory(vacancy=vacancy, candidate__name="Zoë Nguyễn")

    response = move(
        consultant_client,
        entry,
        stage=stage("cv_sent").pk,
        follow_up_in="3",
        follow_up="Chase client feedback",
    )

    [task] = FollowUp.objects.all()
    due = working_days.after(timezone.localdate(), 3)
    assert (task.owner, task.entry, task.candidate) == (
        vacancy.consultant.user,
        entry,
        entry.candidate,
    )
    assert (task.due_on, task.description, task.created_by) == (
        due,
        "Chase client feedback",
        consultant_client.user,
    )
    assert f"Follow-up due {due:%a} {due.day} {due:%b} for Kelly Small." in notes(response)[0]


def test_a_follow_up_date_typed_in_wins_over_a_quick_choice_and_gets_a_description(
    consultant_client, vacancy
):
    entry = SourcedEntryFactory(vacancy=vacancy, candidate__name="Zoë Nguyễn")
    day = timezone.localdate() + timedelta(days=10)
    move(
        consultant_client,
        entry,
        stage=stage("interview").pk,
        follow_up_in="1",
        follow_up_on=day.isoformat(),
    )
    [task] = FollowUp.objects.all()
    assert (task.due_on, task.description) == (day, "Follow up Zoë Nguyễn (Interview)")


def test_a_follow_up_goes_to_the_mover_when_the_vacancy_consultant_has_no_login(
    consultant_client, vacancy
):
    vacancy.consultant.user = None
    vacancy.consultant.save()
    entry = SourcedEntryFactory(vacancy=vacancy)
    move(consultant_client, entry, stage=stage("offer").pk, follow_up_in="1")
    assert FollowUp.objects.get().owner == consultant_client.user


def test_moving_to_an_end_state_without_a_reason_is_refused_on_the_card_and_saves_nothing(
    consultant_client, vacancy
):
    entry = SourcedEntryFactory(vacancy=vacancy, candidate__name="Zoë Nguyễn")

    response = move(
        consultant_client,
        entry,
        stage=stage("rejected").pk,
        note="Went elsewhere",
        follow_up_in="1",
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "Moving to Rejected needs a reason: choose one." in page
    assert "Zoë Nguyễn was not moved: see the form on their card." in page
    assert f'id="entry-{entry.pk}"' in page and "Went elsewhere</textarea>" in page
    entry.refresh_from_db()
    assert entry.stage.role == "new"
    assert not StageMove.objects.exists() and not FollowUp.objects.exists()


def test_rejecting_with_a_reason_records_it_on_the_card_and_in_the_log(consultant_client, vacancy):
    entry = SourcedEntryFactory(vacancy=vacancy)
    reason = RejectionReason.objects.get(name="Client chose another candidate")
    move(consultant_client, entry, stage=stage("rejected").pk, reason=reason.pk)
    entry.refresh_from_db()
    assert (entry.stage.role, entry.rejection_reason) == ("rejected", reason)
    assert entry.moves.get().reason == reason


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"stage": ""}, "Choose the stage to move them to."),
        ({"stage": "9999"}, "Select a valid choice."),
        ({"stage": "new"}, "is already at New."),
        ({"stage": "shortlisted", "follow_up_on": "2000-01-01"}, "cannot be due in the past"),
        ({"stage": "shortlisted", "follow_up_on": "soon"}, "Enter a valid date."),
        ({"stage": "shortlisted", "follow_up_in": "4"}, "Select a valid choice."),
        ({"stage": "shortlisted", "follow_up": "Call her"}, "Say when to follow up"),
    ],
)
def test_bad_moves_answer_400_and_change_nothing(consultant_client, vacancy, data, error):
    entry = SourcedEntryFactory(vacancy=vacancy)
    if data["stage"] in Stage.Role.values:
        data = {**data, "stage": stage(data["stage"]).pk}
    response = move(consultant_client, entry, **data)
    assert response.status_code == 400
    assert error in response.content.decode()
    assert not StageMove.objects.exists() and not FollowUp.objects.exists()


def test_a_card_of_another_vacancy_cannot_be_moved_through_this_board(consultant_client, vacancy):
    elsewhere = SourcedEntryFactory()
    url = reverse("admin:pipeline_board_move", args=[vacancy.pk, elsewhere.pk])
    response = consultant_client.post(url, {"stage": stage("shortlisted").pk})
    assert response.status_code == 404
    assert not StageMove.objects.exists()


def test_a_move_is_a_post_and_the_board_a_get(consultant_client, vacancy):
    entry = SourcedEntryFactory(vacancy=vacancy)
    url = reverse("admin:pipeline_board_move", args=[vacancy.pk, entry.pk])
    assert consultant_client.get(url, {"stage": stage("shortlisted").pk}).status_code == 405
    assert consultant_client.generic("TRACE", board_url(vacancy)).status_code == 405
    assert not StageMove.objects.exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_consultants_moving_one_card_at_once_are_both_logged_and_the_later_wins(
    staff_groups, vacancy
):
    entry = SourcedEntryFactory(vacancy=vacancy)
    targets = [stage("shortlisted"), stage("cv_sent")]
    clients = []
    for name in ("raj", "ana"):
        client = Client()
        client.force_login(StaffUserFactory(username=name, is_superuser=True))
        clients.append(client)
    barrier = threading.Barrier(2)
    statuses = []

    def post(client, target):
        try:
            barrier.wait(timeout=10)
            statuses.append(move(client, entry, stage=target.pk).status_code)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=post, args=pair) for pair in zip(clients, targets, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert statuses == [302, 302]
    first, second = StageMove.objects.filter(entry=entry).order_by("moved_at", "pk")
    assert first.from_stage.role == "new" and second.from_stage == first.to_stage
    entry.refresh_from_db()
    assert entry.stage == second.to_stage


def test_ticked_cards_move_together(consultant_client, vacancy):
    ana, ben = SourcedEntryFactory.create_batch(2, vacancy=vacancy)
    untouched = SourcedEntryFactory(vacancy=vacancy)

    response = bulk(consultant_client, vacancy, [ana, ben], stage=stage("shortlisted").pk)

    assert response.status_code == 302 and response.url == board_url(vacancy)
    assert notes(response) == ["2 moved to Shortlisted."]
    stages = dict(PipelineEntry.objects.values_list("pk", "stage__role"))
    assert stages == {ana.pk: "shortlisted", ben.pk: "shortlisted", untouched.pk: "new"}
    assert StageMove.objects.filter(moved_by=consultant_client.user).count() == 2


def test_a_bulk_reject_with_an_email_is_previewed_and_changes_nothing_until_confirmed(
    consultant_client, vacancy, rejection_template
):
    ana = SourcedEntryFactory(vacancy=vacancy, candidate__name="Ana Souza")
    ben = SourcedEntryFactory(vacancy=vacancy, candidate__name="Ben Okafor")
    reason = RejectionReason.objects.first()
    template = rejection_template
    response = bulk(
        consultant_client,
        vacancy,
        [ana, ben],
        stage=stage("rejected").pk,
        reason=reason.pk,
        template=template.pk,
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Dear Ana," in page and "Dear Ben," in page and vacancy.title in page
    assert "Move them and send 2 emails" in page
    assert not StageMove.objects.exists() and not Message.objects.exists()


def test_a_confirmed_bulk_reject_moves_everyone_and_emails_each_through_the_outbox(
    consultant_client, vacancy, smtp_server, rejection_template
):
    ana = SourcedEntryFactory(vacancy=vacancy, candidate__email="ana@example.com")
    ben = SourcedEntryFactory(vacancy=vacancy, candidate__email="ben@example.com")
    reason = RejectionReason.objects.first()

    response = bulk(
        consultant_client,
        vacancy,
        [ana, ben],
        stage=stage("rejected").pk,
        reason=reason.pk,
        template=rejection_template.pk,
        note="Client picked an internal candidate",
        _confirm="yes",
    )

    assert response.status_code == 302
    assert notes(response) == ["2 moved to Rejected, each sent “Rejection”."]
    for entry in (ana, ben):
        entry.refresh_from_db()
        assert (entry.stage.role, entry.rejection_reason) == ("rejected", reason)
        assert entry.moves.get().note == "Client picked an internal candidate"
        [message] = Message.objects.about(entry)
        assert (message.purpose, message.state) == ("candidate.rejection", "sent")
    [email] = smtp_server.inbox.to("ana@example.com")
    assert email["Reply-To"].strip() == "Kelly Small <kelly@samsmall.example>"
    assert smtp_server.inbox.to("ben@example.com")


def test_a_bulk_move_is_all_or_nothing(consultant_client, vacancy, monkeypatch, rejection_template):
    ana, ben = SourcedEntryFactory.create_batch(2, vacancy=vacancy)
    real_send = emails.send_template

    def fails_for_ben(template, **kwargs):
        if kwargs["entry"] == ben:
            raise ConnectionError("the database went away")  # injected, mid-way
        return real_send(template, **kwargs)

    monkeypatch.setattr("pipeline.services.send_template", fails_for_ben)
    with pytest.raises(ConnectionError):
        bulk(
            consultant_client,
            vacancy,
            [ana, ben],
            stage=stage("rejected").pk,
            reason=RejectionReason.objects.first().pk,
            template=rejection_template.pk,
            _confirm="yes",
        )
    assert not StageMove.objects.exists() and not Message.objects.exists()
    assert set(PipelineEntry.objects.values_list("stage__role", flat=True)) == {"new"}


def test_a_bulk_move_leaves_those_already_there_alone(
    consultant_client, vacancy, smtp_server, rejection_template
):
    fresh = SourcedEntryFactory(vacancy=vacancy)
    done = SourcedEntryFactory(vacancy=vacancy, stage=stage("rejected"))
    response = bulk(
        consultant_client,
        vacancy,
        [fresh, done],
        stage=stage("rejected").pk,
        reason=RejectionReason.objects.first().pk,
        template=rejection_template.pk,
        _confirm="yes",
    )
    assert "1 moved to Rejected, each sent “Rejection”; 1 already there, left alone." in notes(
        response
    )
    assert not Message.objects.about(done).exists()
    assert Message.objects.about(fresh).count() == 1


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"stage": "rejected"}, "Moving to Rejected needs a reason: choose one."),
        ({"stage": "shortlisted", "template": "rejection"}, "goes only with a move to Rejected"),
        ({"stage": ""}, "Choose the stage to move them to."),
    ],
)
def test_bad_bulk_moves_answer_400_keep_the_ticks_and_change_nothing(
    consultant_client, vacancy, data, error, rejection_template
):
    ana, ben = SourcedEntryFactory.create_batch(2, vacancy=vacancy)
    if data["stage"]:
        data = {**data, "stage": stage(data["stage"]).pk}
    if "template" in data:
        data["template"] = rejection_template.pk
    response = bulk(consultant_client, vacancy, [ana], **data)
    assert response.status_code == 400
    page = response.content.decode()
    assert error in page and "Nobody was moved" in page
    assert f'value="{ana.pk}" form="bulk" aria-label="Tick {ana.candidate.name}" checked' in page
    assert f'value="{ben.pk}" form="bulk" aria-label="Tick {ben.candidate.name}">' in page
    assert not StageMove.objects.exists() and not Message.objects.exists()


def test_a_bulk_move_with_nobody_ticked_or_another_vacancys_card_is_refused(
    consultant_client, vacancy
):
    elsewhere = SourcedEntryFactory()
    nobody = bulk(consultant_client, vacancy, [], stage=stage("shortlisted").pk)
    stranger = bulk(consultant_client, vacancy, [elsewhere], stage=stage("shortlisted").pk)
    assert nobody.status_code == stranger.status_code == 400
    assert "Tick the candidates to move first." in nobody.content.decode()
    assert not StageMove.objects.exists()


def test_the_vacancy_page_shows_its_stage_log(consultant_client, vacancy):
    entry = SourcedEntryFactory(vacancy=vacancy, candidate__name="Zoë Nguyễn")
    reason = RejectionReason.objects.get(name="Location or travel")
    entry.move_to(stage("rejected"), by=consultant_client.user, reason=reason, note="Too far")
    SourcedEntryFactory(candidate__name="Someone Else")  # another vacancy's
    StageMove.objects.create(
        entry=SourcedEntryFactory(vacancy=vacancy), to_stage=stage("new"), actor="site"
    )

    response = consultant_client.get(reverse("admin:jobs_vacancy_change", args=[vacancy.pk]))

    page = response.content.decode()
    log = page[page.index("<h2>Stage log</h2>") :]
    row = log[log.index("Zoë Nguyễn") :]
    for shown in ("New", "Rejected", "Raj Patel", "Location or travel", "Too far"):
        assert shown in row[: row.index("</tr>")]
    assert "Someone Else" not in page
    assert "The site" in log  # a move with no person behind it says so


def test_the_board_runs_the_same_queries_for_5_or_500_cards(
    consultant_client, vacancy, django_assert_num_queries
):
    def fill(count):
        PipelineEntry.objects.all().delete()
        Candidate.objects.all().delete()
        candidates = Candidate.objects.bulk_create(
            CandidateFactory.build(email=f"person{n}@example.com") for n in range(count)
        )
        stages = list(Stage.objects.in_order())
        PipelineEntry.objects.bulk_create(
            PipelineEntry(
                vacancy=vacancy,
                candidate=candidate,
                stage=stages[number % len(stages)],
                source="database",
            )
            for number, candidate in enumerate(candidates)
        )

    counts = []
    for count in (5, 500):
        fill(count)
        consultant_client.get(board_url(vacancy))  # the session and permissions, once
        with django_assert_num_queries(12) as queries:
            response = consultant_client.get(board_url(vacancy))
        assert response.context["total"] == count
        counts.append(len(queries))
    assert counts == [12, 12]
