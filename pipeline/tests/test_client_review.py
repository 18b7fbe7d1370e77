from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from jobs.models import Vacancy
from jobs.tests.factories import StaffUserFactory
from outbox.models import Message
from pipeline.models import (
    Introduction,
    MoveActor,
    RejectionReason,
    ReviewDownload,
    ReviewLink,
    Stage,
    StageMove,
)

from .factories import ClientContactFactory

pytestmark = pytest.mark.django_db
SCANNER = "Mozilla/5.0 (compatible; Proofpoint URL Defense)"


@pytest.fixture
def link(shortlist, send_cvs):
    send_cvs()
    return ReviewLink.objects.get(contact=shortlist.priya)


def introduction_of(shortlist, entry):
    return Introduction.objects.get(candidate=entry.candidate, contact=shortlist.priya)


def respond_url(link, introduction):
    return reverse("pipeline:review_respond", args=[link.token, introduction.pk])


def decide(client, link, introduction, confirm=True, **fields):
    data = {f"c{introduction.pk}-{name}": value for name, value in fields.items()}
    if confirm:
        data["_confirm"] = "1"
    return client.post(respond_url(link, introduction), data)


def test_the_review_page_shows_each_candidate_to_the_named_contact_only(client, shortlist, link):
    response = client.get(link.review_path())
    content = response.content.decode()
    assert response.status_code == 200
    assert "Confidential to Priya Shah." in content
    assert "Zoë Nguyễn" in content and "Ana Souza" in content
    assert "Account Director, ten years in healthcare PR" in content and "£60,000" in content
    for entry in (shortlist.zoe, shortlist.ana):
        assert entry.candidate.email not in content and entry.candidate.phone not in content
    assert response["Cache-Control"] == "private, no-store"
    assert '<meta name="robots" content="noindex">' in content
    assert len(link.token) >= 22  # 128 random bits


def test_an_open_counts_but_not_a_head_a_scanner_or_staff(client, link):
    client.head(link.review_path())
    client.get(link.review_path(), headers={"user-agent": SCANNER})
    client.get(link.review_path(), headers={"purpose": "prefetch"})
    staff = StaffUserFactory()
    client.force_login(staff)
    client.get(link.review_path())
    client.logout()
    link.refresh_from_db()
    assert link.open_count == 0
    client.get(link.review_path())
    link.refresh_from_db()
    assert link.open_count == 1 and link.first_opened_at is not None


def test_the_page_is_never_kept_by_the_page_cache(client, link, settings):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 300
    client.get(link.review_path())
    client.get(link.review_path())
    link.refresh_from_db()
    assert link.open_count == 2


def test_unknown_tokens_are_a_404_and_guessing_is_stopped(client, link, settings):
    settings.LINK_GUESS_LIMIT = 3
    url = reverse("pipeline:review", args=["x" * 22])
    assert [client.get(url).status_code for _ in range(3)] == [404, 404, 404]
    assert client.get(url).status_code == 429
    cv = reverse("pipeline:review_cv", args=["y" * 22, 1])
    assert client.get(cv).status_code == 429


@pytest.mark.parametrize("how", ["revoked", "expired", "filled", "closed"])
def test_a_link_that_no_longer_works_says_why_and_who_to_ask(client, link, how):
    if how == "revoked":
        link.revoke()
    elif how == "expired":
        ReviewLink.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    else:
        Vacancy.objects.filter(pk=link.vacancy_id).update(status=how)
    introduction = link.introductions().first()
    for url in (
        link.review_path(),
        reverse("pipeline:review_cv", args=[link.token, introduction.pk]),
    ):
        response = client.get(url)
        content = response.content.decode()
        assert response.status_code == 410
        assert "This review link no longer works" in content and "Zoë" not in content
        assert "kelly@samsmall.example" in content
    assert decide(client, link, introduction, decision="interview").status_code == 410
    assert not ReviewDownload.objects.exists() and Introduction.objects.filter(decision="").count()
    link.refresh_from_db()
    assert link.open_count == 0


def test_a_get_to_a_choice_changes_nothing(client, shortlist, link):
    introduction = introduction_of(shortlist, shortlist.zoe)
    assert client.get(respond_url(link, introduction)).status_code == 405
    introduction.refresh_from_db()
    assert introduction.decision == ""


def test_interview_is_confirmed_then_moves_the_candidate_and_tells_the_consultant(
    client, shortlist, link, smtp_server, plain_body
):
    introduction = introduction_of(shortlist, shortlist.zoe)
    asked = decide(client, link, introduction, confirm=False, decision="interview", comment="Yes!")
    assert asked.status_code == 200
    assert "Confirm your decision" in asked.content.decode()
    introduction.refresh_from_db()
    assert introduction.decision == "" and not smtp_server.inbox.to("kelly@samsmall.example")

    response = decide(client, link, introduction, decision="interview", comment="Yes!")
    assert response.status_code == 302
    assert response.url == f"{link.review_path()}#candidate-{introduction.pk}"
    introduction.refresh_from_db()
    assert introduction.decision == "interview" and introduction.first_response_at
    entry = shortlist.zoe
    entry.refresh_from_db()
    assert entry.stage.role == Stage.Role.INTERVIEW
    move = StageMove.objects.filter(entry=entry).latest("pk")
    assert move.actor == MoveActor.CLIENT and move.moved_by is None
    assert move.note == "Priya Shah (Acme Health Ltd): Interview. “Yes!”"
    [email] = smtp_server.inbox.to("kelly@samsmall.example")
    assert email["Subject"].strip() == (
        f"Interview: Zoë Nguyễn for PR Healthcare Account Director ({entry.vacancy.reference})"
    )
    assert "Their comment: Yes!" in plain_body(email)
    page = client.get(link.review_path()).content.decode()
    assert "Your decision on" in page and "Kelly Small is told" in page


def test_not_suitable_needs_a_reason_and_then_rejects_with_it(client, shortlist, link):
    introduction = introduction_of(shortlist, shortlist.ana)
    missing = decide(client, link, introduction, decision="not_suitable")
    assert missing.status_code == 400
    assert "Choose a reason" in missing.content.decode()
    reason = RejectionReason.objects.get(name="Salary expectations too far apart")
    assert reason.client_wording in missing.content.decode()
    decide(client, link, introduction, decision="not_suitable", reason=reason.pk)
    entry = shortlist.ana
    entry.refresh_from_db()
    assert entry.stage.role == Stage.Role.REJECTED and entry.rejection_reason == reason
    assert StageMove.objects.filter(entry=entry).latest("pk").actor == MoveActor.CLIENT


def test_a_reason_the_client_is_not_offered_is_refused(client, shortlist, link):
    introduction = introduction_of(shortlist, shortlist.ana)
    internal = RejectionReason.objects.get(name="Candidate not responding")
    response = decide(client, link, introduction, decision="not_suitable", reason=internal.pk)
    assert response.status_code == 400
    shortlist.ana.refresh_from_db()
    assert shortlist.ana.stage.role == Stage.Role.CV_SENT


def test_hold_keeps_the_candidate_where_they_are_with_a_line_in_the_log(client, shortlist, link):
    introduction = introduction_of(shortlist, shortlist.ana)
    decide(client, link, introduction, decision="hold", comment="Budget next month")
    shortlist.ana.refresh_from_db()
    assert shortlist.ana.stage.role == Stage.Role.CV_SENT
    move = StageMove.objects.filter(entry=shortlist.ana).latest("pk")
    assert move.from_stage == move.to_stage and move.actor == MoveActor.CLIENT
    assert "Hold" in move.note and "Budget next month" in move.note


def test_a_contact_cannot_answer_for_or_download_another_contacts_cvs(
    client, shortlist, send_cvs, link
):
    joe = ClientContactFactory(client=shortlist.vacancy.client, name="Joe Bloggs")
    send_cvs(contacts=[joe], entries=[shortlist.zoe])
    joes = Introduction.objects.get(contact=joe)
    assert decide(client, link, joes, decision="hold").status_code == 404
    cv = reverse("pipeline:review_cv", args=[link.token, joes.pk])
    assert client.get(cv).status_code == 404


def test_a_cv_downloads_only_as_an_attachment_and_each_download_is_logged(client, shortlist, link):
    introduction = introduction_of(shortlist, shortlist.zoe)
    url = reverse("pipeline:review_cv", args=[link.token, introduction.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Cache-Control"] == "private, no-store"
    assert "sandbox" in response["Content-Security-Policy"]
    assert b"".join(response.streaming_content) == b"%PDF-1.4\n% Zoe's CV\n%%EOF\n"
    client.get(url, headers={"user-agent": SCANNER})
    download = ReviewDownload.objects.get()
    assert (download.link, download.introduction) == (link, introduction)
    assert download.link.contact == shortlist.priya


def test_the_desk_lists_cvs_with_no_answer_after_the_working_days(
    client, shortlist, link, settings
):
    settings.CLIENT_RESPONSE_WORKING_DAYS = 2
    kelly = shortlist.vacancy.consultant.user
    kelly.groups.add(Group.objects.get(name="Consultant"))
    client.force_login(kelly)
    zoe = introduction_of(shortlist, shortlist.zoe)
    desk = client.get(reverse("admin:index"))
    assert "Every client has answered in time." in desk.content.decode()

    Introduction.objects.update(sent_at=timezone.now() - timedelta(days=6))
    decide(client, link, zoe, decision="hold")
    desk = client.get(reverse("admin:index"))
    rows = desk.context["chase"].rows
    assert [row.candidate.name for row in rows] == ["Ana Souza"]


def test_the_client_answer_time_shows_in_the_report(client, shortlist, link):
    introduction = introduction_of(shortlist, shortlist.zoe)
    Introduction.objects.update(sent_at=timezone.now() - timedelta(hours=5))
    decide(client, link, introduction, decision="interview")
    admin = StaffUserFactory(is_superuser=True)
    client.force_login(admin)
    page = client.get(reverse("admin:pipeline_introduction_responses"), {"by": "client"})
    row = page.context["rows"][0]
    assert (row["name"], row["sent"], row["answered"], row["waiting"]) == (
        "Acme Health Ltd",
        2,
        1,
        1,
    )
    assert row["median"].startswith("5 h")


def test_no_email_to_a_client_names_a_candidates_address_or_phone(shortlist, link):
    for message in Message.objects.all():
        for entry in (shortlist.zoe, shortlist.ana):
            assert entry.candidate.email not in message.body_text
            assert entry.candidate.phone not in message.body_text


@pytest.mark.parametrize("more", [0, 3])
def test_the_review_page_runs_the_same_queries_for_two_or_five_candidates(
    client, shortlist, send_cvs, django_assert_num_queries, more
):
    from .factories import ShortlistedEntryFactory, ready_to_send

    entries = [shortlist.zoe, shortlist.ana]
    entries += [
        ready_to_send(ShortlistedEntryFactory(vacancy=shortlist.vacancy)) for _ in range(more)
    ]
    send_cvs(entries=entries)
    link = ReviewLink.objects.get()
    # The link (with its vacancy, client, consultant and contact), the open counted, the
    # introductions with their candidates, and the reasons a client may give.
    with django_assert_num_queries(4):
        response = client.get(link.review_path())
    assert len(response.context["rows"]) == 2 + more
