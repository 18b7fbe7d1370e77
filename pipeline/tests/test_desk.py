from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse
from django.utils import timezone

from candidates.models import Candidate, Enquiry
from candidates.tests.factories import GeneralEnquiryFactory, QuestionFactory
from jobs.tests.factories import (
    ClosedVacancyFactory,
    ConsultantFactory,
    OpenVacancyFactory,
    StaffUserFactory,
    SuperUserFactory,
    UserFactory,
)
from outbox.models import Message
from pipeline import working_days
from pipeline.desk import quick_picks
from pipeline.introductions import send_cvs
from pipeline.models import EmailTemplate, FollowUp, Introduction, PipelineEntry
from pipeline.services import add_application

from .factories import (
    ClientContactFactory,
    FollowUpFactory,
    InterviewFactory,
    OverdueFollowUpFactory,
    SourcedEntryFactory,
    ready_to_send,
    stage,
)

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-staff-password"
DESK = "/admin/"


def staff(group, name, with_profile=True):
    """A staff login in a group, with a consultant profile (its public face) if asked."""
    user = StaffUserFactory(username=name.split()[0].lower(), first_name=name.split()[0])
    user.groups.add(Group.objects.get(name=group))
    if with_profile:
        ConsultantFactory(name=name, user=user)
    return user


@pytest.fixture
def raj():
    return staff("Consultant", "Raj Patel")


@pytest.fixture
def kelly():
    return staff("Consultant", "Kelly Small")


@pytest.fixture
def manager():
    return staff("Manager", "Maya Jones")


def question(**fields):
    """A question about a job, put on the job's pipeline as the site does."""
    enquiry = QuestionFactory(**fields)
    add_application(enquiry)
    return enquiry


def desk_of(client, user, **params):
    client.force_login(user)
    return client.get(reverse("admin:index"), params)


def days_ago(days):
    return timezone.now() - timedelta(days=days)


# Landing on the desk ---------------------------------------------------------------------


def test_a_consultant_lands_on_their_desk_after_logging_in(client):
    user = staff("Consultant", "Raj Patel")
    user.set_password(PASSWORD)
    user.save()
    login = reverse("admin:login") + f"?next={DESK}"
    response = client.post(login, {"username": "raj", "password": PASSWORD, "next": DESK})
    assert response.status_code == 302 and response.url == DESK
    page = client.get(DESK)
    assert page.status_code == 200
    assert "<h1>My desk</h1>" in page.content.decode()


def test_every_table_is_one_click_away_at_all_tables(client, raj):
    page = desk_of(client, raj).content.decode()
    tables = reverse("admin:all_tables")
    assert f'href="{tables}"' in page
    response = client.get(tables)
    assert response.status_code == 200
    assert 'href="/admin/jobs/vacancy/"' in response.content.decode()


def test_the_desk_and_all_tables_are_for_staff_only(client):
    for url in (DESK, reverse("admin:all_tables")):
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response.url
        client.force_login(UserFactory())
        assert client.get(url).status_code == 302
        client.logout()


# What the desk shows ---------------------------------------------------------------------


def test_my_new_enquiries_are_those_nobody_has_looked_at_yet(client, raj, kelly, enquire):
    mine = OpenVacancyFactory(title="PR Director", consultant=raj.consultant)
    enquire(client, mine, name="Zoë Nguyễn", email="zoe@example.com")  # at "new": shown
    enquire(client, mine, name="Seen Already", email="seen@example.com")
    PipelineEntry.objects.get(candidate__email="seen@example.com").move_to(stage("shortlisted"))
    speculative = GeneralEnquiryFactory(
        kind=Enquiry.Kind.SPECULATIVE, name="Sam Speculative", consultant=raj.consultant
    )
    GeneralEnquiryFactory(kind=Enquiry.Kind.SPECULATIVE, name="Read Speculative").move_to(
        Enquiry.Status.REVIEWING
    )
    enquire(client, OpenVacancyFactory(consultant=kelly.consultant), name="Kelly's Candidate")
    page = desk_of(client, raj).content.decode()
    assert "New enquiries routed to me (2)" in page
    assert "Zoë Nguyễn" in page and "PR Director" in page
    assert "Sam Speculative" in page and speculative.get_kind_display() in page
    assert "Seen Already" not in page and "Read Speculative" not in page
    assert "Kelly&#x27;s Candidate" not in page


def test_my_candidates_waiting_longer_than_their_stage_expects_show_with_their_days(
    client, raj, kelly
):
    mine = OpenVacancyFactory(title="PR Director", consultant=raj.consultant)
    SourcedEntryFactory(
        vacancy=mine, candidate__name="Late Larry", entered_stage_at=days_ago(5)
    )  # "New" expects 2 days
    SourcedEntryFactory(vacancy=mine, candidate__name="Fresh Fiona", entered_stage_at=days_ago(1))
    SourcedEntryFactory(
        vacancy=mine,
        candidate__name="Placed Pat",
        stage=stage("placed"),
        entered_stage_at=days_ago(90),
    )
    SourcedEntryFactory(
        vacancy__consultant=kelly.consultant,
        candidate__name="Kelly's Late One",
        entered_stage_at=days_ago(9),
    )
    page = desk_of(client, raj).content.decode()
    assert "Waiting longer than their stage expects (1)" in page
    assert "Late Larry" in page and "5 (expected 2)" in page
    assert "Fresh Fiona" not in page and "Placed Pat" not in page
    assert "Late One" not in page


def test_my_follow_ups_due_today_and_overdue_show_but_not_later_done_or_others(client, raj):
    FollowUpFactory(owner=raj, description="Call Zoë back")
    OverdueFollowUpFactory(owner=raj, description="Chase the CV")
    later = timezone.localdate() + timedelta(days=30)
    FollowUpFactory(owner=raj, description="Next month", due_on=later)
    FollowUpFactory(owner=raj, description="Done one", done_at=timezone.now())
    FollowUpFactory(description="Someone else's")
    page = desk_of(client, raj).content.decode()
    assert "Follow-ups due today or overdue (2)" in page
    assert "Call Zoë back" in page and "Chase the CV" in page and "Overdue:" in page
    for absent in ("Next month", "Done one", "Someone else"):
        assert absent not in page


def test_my_live_vacancies_count_candidates_at_each_stage_and_link_to_their_board(
    client, raj, kelly
):
    vacancy = OpenVacancyFactory(title="PR Director", consultant=raj.consultant)
    for role in ("new", "new", "shortlisted", "rejected"):
        SourcedEntryFactory(vacancy=vacancy, stage=stage(role))
    ClosedVacancyFactory(title="Closed Job", consultant=raj.consultant)
    OpenVacancyFactory(title="Kelly's Job", consultant=kelly.consultant)
    response = desk_of(client, raj)
    page = response.content.decode()
    assert f'href="/admin/pipeline/board/{vacancy.pk}/">PR Director</a>' in page
    [row] = list(response.context["vacancies"].rows)
    # New, Screening, Shortlisted, CV sent, Interview, Offer, Placed, Rejected, Withdrawn
    assert row.stage_counts == [2, 0, 1, 0, 0, 0, 0, 1, 0]
    assert row.active == 3
    assert "Closed Job" not in page and "Kelly" not in page.split("desk-vacancies")[1]


def test_a_consultant_without_a_profile_is_told_how_to_get_one_and_sees_their_follow_ups(
    client,
):
    user = staff("Consultant", "Newbie Nolan", with_profile=False)
    FollowUpFactory(owner=user, description="Read the handbook")
    question(name="Someone's Candidate")
    response = desk_of(client, user)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Your login has no consultant profile" in page
    assert "Read the handbook" in page
    assert "Someone" not in page and "desk-vacancies" not in page


def test_staff_without_permissions_see_no_candidates_on_the_desk(client, raj):
    question(vacancy__consultant=raj.consultant, name="Private Person")
    bare = StaffUserFactory(username="bare")
    ConsultantFactory(name="Bare Login", user=bare)
    question(consultant=bare.consultant, vacancy__consultant=bare.consultant)
    page = desk_of(client, bare).content.decode()
    assert "Private Person" not in page and "Candidate" not in page
    assert "nothing to show on a desk" in page


# Managers and other desks ----------------------------------------------------------------


def test_a_manager_can_switch_to_a_consultants_desk_and_to_the_teams(client, manager, raj, kelly):
    question(vacancy__consultant=raj.consultant, name="Raj's Enquirer")
    question(vacancy__consultant=kelly.consultant, name="Kelly's Enquirer")
    GeneralEnquiryFactory(name="Inbox Enquirer")
    FollowUpFactory(owner=raj, description="Raj's follow-up")
    FollowUpFactory(owner=manager, description="Maya's follow-up")

    own = desk_of(client, manager).content.decode()
    assert "<h1>My desk</h1>" in own and "Maya&#x27;s follow-up" in own
    assert "Enquirer" not in own
    assert '<select name="desk"' in own

    rajs = client.get(DESK, {"desk": raj.consultant.pk}).content.decode()
    assert "<h1>Raj Patel&#x27;s desk</h1>" in rajs
    assert "Raj&#x27;s Enquirer" in rajs and "Raj&#x27;s follow-up" in rajs
    assert "Kelly&#x27;s Enquirer" not in rajs and "Maya&#x27;s follow-up" not in rajs

    team = client.get(DESK, {"desk": "team"}).content.decode()
    assert "<h1>The team&#x27;s desk</h1>" in team
    for name in ("Raj&#x27;s Enquirer", "Kelly&#x27;s Enquirer", "Inbox Enquirer"):
        assert name in team
    assert "Raj&#x27;s follow-up" in team and "Maya&#x27;s follow-up" in team


def test_a_superuser_without_a_profile_opens_on_the_teams_desk(client, raj):
    question(vacancy__consultant=raj.consultant, name="Raj's Enquirer")
    page = desk_of(client, SuperUserFactory()).content.decode()
    assert "<h1>The team&#x27;s desk</h1>" in page and "Raj&#x27;s Enquirer" in page


def test_a_consultant_cannot_open_another_desk_by_changing_the_address(client, raj, kelly):
    question(vacancy__consultant=kelly.consultant, name="Kelly's Enquirer")
    FollowUpFactory(owner=kelly, description="Kelly's follow-up")
    for desk in (kelly.consultant.pk, "team"):
        response = desk_of(client, raj, desk=desk)
        assert response.status_code == 403
        assert "Kelly" not in response.content.decode()
    assert desk_of(client, raj, desk=raj.consultant.pk).status_code == 200


@pytest.mark.parametrize("choice", ["999999", "nobody", "1 OR 1=1"])
def test_an_unknown_desk_is_a_clear_400(client, manager, choice):
    response = desk_of(client, manager, desk=choice)
    assert response.status_code == 400
    assert "That desk does not exist" in response.content.decode()


# Speed -----------------------------------------------------------------------------------


def fill_desk(user, size):
    """`size` vacancies, each with candidates at every open stage, enquiries and follow-ups,
    an interview within the hour and a CV the client has not answered for a week."""
    stages = [stage(role) for role in ("new", "shortlisted", "cv_sent", "interview")]
    for _ in range(size):
        vacancy = OpenVacancyFactory(consultant=user.consultant)
        for index, at in enumerate(stages):
            entry = SourcedEntryFactory(vacancy=vacancy, stage=at, entered_stage_at=days_ago(20))
            QuestionFactory(vacancy=vacancy, candidate=entry.candidate)
            (FollowUpFactory if index % 2 else OverdueFollowUpFactory)(owner=user, entry=entry)
        InterviewFactory(entry=entry, starts_at=timezone.now() + timedelta(minutes=30))
        ready_to_send(entry)
        contact = ClientContactFactory(client=vacancy.client)
        send_cvs(
            vacancy=vacancy,
            entries=[entry],
            contacts=[contact],
            subject="CVs",
            note="Here.",
            consultant=user.consultant,
        )
        Introduction.objects.filter(vacancy=vacancy).update(sent_at=days_ago(7))


@pytest.mark.parametrize("size", [1, 12])
@pytest.mark.parametrize("who", ["consultant", "manager"])
def test_the_desk_runs_a_fixed_number_of_queries_whatever_the_numbers(
    client, django_assert_num_queries, size, who, settings
):
    settings.SESSION_SAVE_EVERY_REQUEST = False  # the session write is not the desk's
    user = staff("Consultant" if who == "consultant" else "Manager", "Raj Patel")
    fill_desk(user, size)
    client.force_login(user)
    client.get(DESK)  # content types and the like, cached for the process
    # session, user, profile, manager?, permissions (2), stages (ours and waiting_too_long's),
    # two queries per list (12: interviews and CVs to chase included) and the counts by stage;
    # a manager's desk also lists the consultants to switch to.
    with django_assert_num_queries(21 if who == "consultant" else 22):
        response = client.get(DESK)
    assert response.context["vacancies"].total == size
    assert response.context["waiting"].total == size * 4
    assert response.context["interviews"].total == response.context["chase"].total == size


# Follow-ups ------------------------------------------------------------------------------


def done_url(follow_up):
    return reverse("admin:pipeline_followup_done", args=[follow_up.pk])


def test_marking_a_follow_up_done_takes_it_off_the_desk_and_records_who(client, raj):
    follow_up = FollowUpFactory(owner=raj, description="Call Zoë back")
    client.force_login(raj)
    response = client.post(done_url(follow_up), {"next": DESK}, follow=True)
    assert response.redirect_chain == [(DESK, 302)]
    page = response.content.decode()
    assert "Follow-up done." in page and "Call Zoë back" not in page
    assert "Follow-ups due today or overdue (0)" in page
    follow_up.refresh_from_db()
    assert follow_up.done_by == raj and follow_up.done_at is not None


def test_marking_done_is_a_post_and_goes_back_only_to_this_site(client, raj):
    follow_up = FollowUpFactory(owner=raj)
    client.force_login(raj)
    assert client.get(done_url(follow_up)).status_code == 405
    response = client.post(done_url(follow_up), {"next": "https://evil.example/"})
    assert response.url == DESK


def test_a_consultant_cannot_mark_a_colleagues_follow_up_done_but_a_manager_can(
    client, raj, kelly, manager
):
    follow_up = FollowUpFactory(owner=kelly)
    client.force_login(raj)
    assert client.post(done_url(follow_up)).status_code == 403
    follow_up.refresh_from_db()
    assert follow_up.done_at is None
    client.force_login(manager)
    assert client.post(done_url(follow_up)).status_code == 302
    follow_up.refresh_from_db()
    assert follow_up.done_by == manager


def test_quick_picks_count_working_days_and_next_week_starts_on_monday():
    thursday = date(2026, 12, 3)
    picks = {key: day for key, (label, day) in quick_picks(thursday).items()}
    assert picks == {
        "tomorrow": date(2026, 12, 4),
        "three_days": date(2026, 12, 8),  # Fri, (weekend), Mon, Tue
        "next_week": date(2026, 12, 7),
    }
    assert working_days.after(date(2026, 12, 5), 1) == date(2026, 12, 7)  # Saturday → Monday


def add_follow_up(client, query="", **data):
    url = reverse("admin:pipeline_followup_quick_add") + query
    return client.post(url, {"description": "Chase feedback", "when": "tomorrow", **data})


def test_adding_a_follow_up_on_the_desk_makes_it_mine_due_on_the_quick_pick(client, raj):
    client.force_login(raj)
    response = add_follow_up(client, when="three_days", next=DESK)
    assert response.status_code == 302 and response.url == DESK
    [follow_up] = FollowUp.objects.all()
    assert follow_up.owner == follow_up.created_by == raj
    assert follow_up.due_on == working_days.after(timezone.localdate(), 3)
    assert follow_up.candidate is None and follow_up.entry is None


def test_a_follow_up_added_from_a_candidate_or_an_entry_is_filed_with_them(client, raj):
    entry = SourcedEntryFactory(candidate__name="Zoë Nguyễn")
    client.force_login(raj)
    page = client.get(reverse("admin:pipeline_followup_quick_add"), {"entry": entry.pk})
    assert "Zoë Nguyễn" in page.content.decode()
    add_follow_up(client, f"?entry={entry.pk}", when="date", due_on="2099-01-05")
    add_follow_up(client, f"?candidate={entry.candidate_id}")
    by_entry, by_candidate = FollowUp.objects.order_by("pk")
    assert (by_entry.entry, by_entry.candidate, by_entry.due_on) == (
        entry,
        entry.candidate,
        date(2099, 1, 5),
    )
    assert (by_candidate.entry, by_candidate.candidate) == (None, entry.candidate)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"when": "date", "due_on": ""}, "Give a date, or choose one of the quick picks."),
        ({"when": "date", "due_on": "2001-01-01"}, "That date has passed"),
        ({"when": "date", "due_on": "31/31/2026"}, "Enter a valid date."),
        ({"when": "someday"}, "Select a valid choice."),
        ({"description": ""}, "This field is required."),
    ],
)
def test_a_follow_up_without_a_usable_date_is_refused_and_what_was_typed_kept(
    client, raj, data, message
):
    client.force_login(raj)
    response = add_follow_up(client, **{"description": "Chase the client", **data})
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    if data.get("description") is None:
        assert 'value="Chase the client"' in page
    assert not FollowUp.objects.exists()


def test_follow_ups_about_someone_unknown_are_404(client, raj):
    client.force_login(raj)
    url = reverse("admin:pipeline_followup_quick_add")
    assert client.get(url, {"candidate": "999999"}).status_code == 404
    assert client.get(url, {"entry": "x"}).status_code == 404


def test_staff_without_the_permission_cannot_add_follow_ups(client):
    client.force_login(StaffUserFactory())
    assert add_follow_up(client).status_code == 403


def test_a_follow_up_about_a_candidate_needs_the_permission_to_see_candidates(client):
    user = StaffUserFactory()
    user.user_permissions.add(Permission.objects.get(codename="add_followup"))
    candidate = SourcedEntryFactory(candidate__name="Zoë Nguyễn").candidate
    client.force_login(user)
    url = reverse("admin:pipeline_followup_quick_add")
    response = client.get(url, {"candidate": candidate.pk})
    assert response.status_code == 403 and "Zoë" not in response.content.decode()
    assert add_follow_up(client, f"?candidate={candidate.pk}").status_code == 403
    assert add_follow_up(client).status_code == 302  # one of their own, about nobody


# Emails to a candidate -------------------------------------------------------------------


def send_url(candidate, **query):
    url = reverse("admin:pipeline_send_email", args=[candidate.pk])
    return url + ("?" + "&".join(f"{key}={value}" for key, value in query.items()) if query else "")


@pytest.fixture
def entry(raj):
    return SourcedEntryFactory(
        vacancy__title="PR Director",
        vacancy__consultant=raj.consultant,
        candidate__name="Zoë Nguyễn",
        candidate__email="zoe@example.com",
    )


def test_a_templated_email_is_filled_previewed_and_arrives_filed_with_the_entry(
    client, raj, entry, smtp_server, plain_body
):
    rejection = EmailTemplate.objects.get(purpose="rejection")
    client.force_login(raj)
    start = client.get(send_url(entry.candidate, template=rejection.pk, entry=entry.pk))
    form = start.context["form"]
    assert form["subject"].value() == "Your application for {{ vacancy_title }}"
    assert form["entry"].value() == str(entry.pk)

    data = {
        "template": rejection.pk,
        "entry": entry.pk,
        "subject": form["subject"].value(),
        "body": form["body"].value().replace("Kind regards", "With best wishes"),
    }
    preview = client.post(send_url(entry.candidate), {**data, "_preview": "Preview"})
    assert preview.status_code == 200
    assert preview.context["preview"]["subject"] == "Your application for PR Director"
    assert "Dear Zoë," in preview.content.decode() and smtp_server.inbox.messages == []

    sent = client.post(send_url(entry.candidate), {**data, "_send": "Send"}, follow=True)
    assert sent.redirect_chain[-1][0] == reverse(
        "admin:candidates_candidate_change", args=[entry.candidate.pk]
    )
    notes = [str(message) for message in sent.context["messages"]]
    assert notes == ["Your email is in the outbox: it goes out in a moment."]  # no name
    [email] = smtp_server.inbox.to("zoe@example.com")
    assert email["Subject"] == "Your application for PR Director"
    assert "Raj Patel" in email["Reply-To"]
    body = plain_body(email).replace("\r\n", "\n")
    assert body.startswith("Dear Zoë,") and "With best wishes,\nRaj Patel" in body
    [message] = Message.objects.about(entry)
    assert (message.purpose, message.state) == ("candidate.rejection", "sent")


def test_a_free_text_email_about_no_job_is_filed_with_the_candidate(client, raj, entry):
    client.force_login(raj)
    data = {
        "template": "",
        "entry": "",
        "subject": "Hello {{ candidate_first_name }}",
        "body": "A quick note from {{ consultant_name }}.",
        "_send": "Send",
    }
    assert client.post(send_url(entry.candidate), data).status_code == 302
    [message] = Message.objects.about(entry.candidate)
    assert message.purpose == "candidate.free"
    assert (message.subject, message.body_text) == ("Hello Zoë", "A quick note from Raj Patel.")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"body": "Your salary: {{ salary }}"}, "Unknown placeholder(s): {{ salary }}"),
        ({"subject": ""}, "This field is required."),
        ({"entry": "999999"}, "Select a valid choice."),
    ],
)
def test_an_email_that_cannot_be_sent_is_refused_with_the_reason_and_kept(
    client, raj, entry, change, message
):
    client.force_login(raj)
    data = {"entry": entry.pk, "subject": "Hi", "body": "Typed with care", "_send": "Send"}
    response = client.post(send_url(entry.candidate), {**data, **change})
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    if "body" not in change:
        assert "Typed with care" in page
    if "placeholder" in message:
        assert "{{ vacancy_title }}" in page  # the ones that exist
    assert not Message.objects.exists()


def test_a_job_of_another_candidate_cannot_be_chosen(client, raj, entry):
    other = SourcedEntryFactory()
    client.force_login(raj)
    data = {"entry": other.pk, "subject": "Hi", "body": "Hello", "_send": "Send"}
    response = client.post(send_url(entry.candidate), data)
    assert response.status_code == 400 and not Message.objects.exists()


def test_an_unknown_template_in_the_address_is_a_clear_400(client, raj, entry):
    client.force_login(raj)
    response = client.get(send_url(entry.candidate, template="nope"))
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_without_a_consultant_profile_nothing_is_sent_and_the_page_says_why(client, entry):
    user = staff("Consultant", "Newbie Nolan", with_profile=False)
    client.force_login(user)
    data = {"subject": "Hi", "body": "Hello", "_send": "Send"}
    response = client.post(send_url(entry.candidate), data)
    assert response.status_code == 400
    assert "Your login has no consultant profile" in response.content.decode()
    assert not Message.objects.exists()


def test_nothing_is_sent_to_an_anonymised_candidate(client, raj, entry):
    Candidate.objects.filter(pk=entry.candidate_id).update(anonymised_at=timezone.now())
    client.force_login(raj)
    data = {"subject": "Hi", "body": "Hello", "_send": "Send"}
    response = client.post(send_url(entry.candidate), data)
    assert response.status_code == 400 and not Message.objects.exists()


def test_staff_without_the_permissions_cannot_write_to_candidates(client, entry):
    client.force_login(StaffUserFactory())
    assert client.get(send_url(entry.candidate)).status_code == 403


def test_a_candidate_and_a_pipeline_entry_link_to_sending_an_email_and_adding_a_follow_up(
    client, raj, entry
):
    client.force_login(raj)
    candidate_page = client.get(
        reverse("admin:candidates_candidate_change", args=[entry.candidate_id])
    ).content.decode()
    assert f'href="{send_url(entry.candidate)}"' in candidate_page
    add = reverse("admin:pipeline_followup_quick_add")
    assert f'href="{add}?candidate={entry.candidate_id}&amp;next=' in candidate_page
    entry_page = client.get(
        reverse("admin:pipeline_pipelineentry_change", args=[entry.pk])
    ).content.decode()
    assert f'href="{send_url(entry.candidate)}?entry={entry.pk}&amp;next=' in entry_page
    assert f'href="{add}?entry={entry.pk}&amp;next=' in entry_page
