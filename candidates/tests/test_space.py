"""The candidate's own space: signing in by an emailed link, their applications, their data."""

import io
import json
import re
import zipfile
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from candidates.models import (
    Enquiry,
    SavedJob,
    SignInLink,
    SignInRequest,
    SpaceActivity,
    SpaceSession,
)
from candidates.space import SIGN_IN_EMAIL, WITHDRAWAL_EMAIL
from jobs.tests.factories import ConsultantFactory, OpenVacancyFactory
from outbox.models import Message
from pipeline.models import StageMove
from pipeline.tests.factories import SourcedEntryFactory, stage

from .factories import CandidateFactory, give_cv, pdf_cv

pytestmark = pytest.mark.django_db
LINK = re.compile(r"http://\S+/me/sign-in/([A-Za-z0-9_-]+)/")


@pytest.fixture
def zoe():
    return CandidateFactory(name="Zoë Nguyễn", email="zoe@example.com", phone="07911 123456")


@pytest.fixture
def ana():
    return CandidateFactory(name="Ana Souza", email="ana@example.com")


def ask_for_link(client, email):
    return client.post(reverse("candidates:space_sign_in"), {"email": email})


def link_path(email):
    message = Message.objects.filter(purpose=SIGN_IN_EMAIL, recipient=email).latest("pk")
    return "/me/sign-in/" + LINK.search(message.body_text)[1] + "/"


def signed_in_client(candidate):
    client = Client()
    ask_for_link(client, candidate.email)
    response = client.post(link_path(candidate.email))
    assert response.status_code == 302, response
    return client


# Asking for a link


def test_a_known_address_is_emailed_a_link_through_the_outbox(client, zoe):
    response = ask_for_link(client, "ZOE@example.com ")
    assert response.status_code == 302
    assert response["Location"] == reverse("candidates:space_sign_in_sent")
    [message] = Message.objects.filter(purpose=SIGN_IN_EMAIL)
    assert message.to == ["zoe@example.com"]
    assert LINK.search(message.body_text)
    assert "15 minutes" in message.body_text
    link = SignInLink.objects.get()
    assert link.candidate == zoe
    assert LINK.search(message.body_text)[1] not in link.token_hash  # only its hash is kept


def test_an_unknown_address_gets_the_same_answer_and_no_email(client, zoe):
    known = ask_for_link(Client(), zoe.email)
    unknown = ask_for_link(client, "nobody@example.com")
    assert (unknown.status_code, unknown["Location"]) == (known.status_code, known["Location"])
    page = client.get(unknown["Location"]).content.decode()
    assert "If we have that address" in page and "nobody@example.com" not in page
    assert Message.objects.filter(recipient="nobody@example.com").count() == 0


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_page_does_the_same_work_for_any_address_and_the_worker_answers(zoe, run_worker):
    """Timing tells nobody which addresses are ours: the page records the request and queues
    a task, whoever it names; the worker looks the address up and sends."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    statements = []
    for email in ("zoe@example.com", "nobody@example.com"):
        with CaptureQueriesContext(connection) as queries:
            assert ask_for_link(Client(), email).status_code == 302
        statements.append([query["sql"].split(" ")[0] for query in queries.captured_queries])
    assert statements[0] == statements[1]
    assert not Message.objects.exists()
    assert SignInRequest.objects.count() == 2
    run_worker()
    assert [message.recipient for message in Message.objects.all()] == ["zoe@example.com"]
    assert not SignInRequest.objects.exists()  # the typed addresses are forgotten


def test_an_anonymised_candidate_gets_no_link(client, zoe):
    zoe.anonymised_at = timezone.now()
    zoe.save()
    ask_for_link(client, zoe.email)
    assert not Message.objects.filter(purpose=SIGN_IN_EMAIL).exists()


def test_links_asked_for_one_address_are_limited_with_the_same_answer(settings, zoe):
    settings.CANDIDATE_SIGN_IN_LIMIT = 2
    answers = [ask_for_link(Client(REMOTE_ADDR=f"10.0.0.{n}"), zoe.email) for n in range(4)]
    assert {answer["Location"] for answer in answers} == {reverse("candidates:space_sign_in_sent")}
    assert Message.objects.filter(purpose=SIGN_IN_EMAIL).count() == 2


def test_links_asked_from_one_client_are_limited(client, settings, zoe):
    settings.FORM_RATE_LIMIT = 2
    statuses = [ask_for_link(client, f"person{n}@example.com").status_code for n in range(3)]
    assert statuses == [302, 302, 429]


def test_a_bad_address_is_a_400_with_the_message(client):
    response = ask_for_link(client, "not an address")
    assert response.status_code == 400
    assert "Enter a valid email address." in response.content.decode()


# Using the link


def test_opening_the_link_only_asks_a_scanner_signs_nobody_in(client, zoe):
    ask_for_link(client, zoe.email)
    scanner = Client()
    page = scanner.get(link_path(zoe.email))
    assert page.status_code == 200 and "Sign in on this device" in page.content.decode()
    assert page["Cache-Control"] == "private, no-store" or "no-store" in page["Cache-Control"]
    assert not SpaceSession.objects.exists()
    assert SignInLink.objects.get().used_at is None
    assert scanner.get(reverse("candidates:space")).status_code == 302  # still signed out


def test_the_confirm_button_signs_in_for_thirty_days_and_the_link_works_once(client, zoe):
    ask_for_link(client, zoe.email)
    path = link_path(zoe.email)
    response = client.post(path)
    assert response["Location"] == reverse("candidates:space")
    cookie = response.cookies["candidate"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    assert int(cookie["max-age"]) == 30 * 24 * 3600
    session = SpaceSession.objects.get()
    assert session.candidate == zoe
    assert timedelta(days=29) < session.expires_at - timezone.now() <= timedelta(days=30)
    assert "Zoë" not in cookie.value and session.key_hash != cookie.value
    assert client.get(reverse("candidates:space")).status_code == 200
    again = Client().post(path)
    assert again.status_code == 410 and "no longer works" in again.content.decode()
    assert Client().get(path).status_code == 410
    assert SpaceSession.objects.count() == 1
    assert zoe.space_activity.get().action == SpaceActivity.Action.SIGNED_IN


def test_a_link_past_its_fifteen_minutes_signs_nobody_in(client, zoe):
    ask_for_link(client, zoe.email)
    SignInLink.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client.post(link_path(zoe.email))
    assert response.status_code == 410
    assert not SpaceSession.objects.exists()


def test_a_made_up_link_signs_nobody_in(client):
    assert client.post("/me/sign-in/made-up-token/").status_code == 410


def test_a_second_device_has_its_own_session_and_sign_out_everywhere_ends_both(zoe):
    phone, laptop = signed_in_client(zoe), signed_in_client(zoe)
    assert SpaceSession.objects.filter(candidate=zoe).count() == 2
    assert phone.get(reverse("candidates:space")).status_code == 200
    assert laptop.get(reverse("candidates:space")).status_code == 200
    phone.post(reverse("candidates:space_sign_out_all"))
    assert not SpaceSession.objects.exists()
    response = laptop.get(reverse("candidates:space"))
    assert response.status_code == 302
    assert response.cookies["candidate"].value == ""  # a dead cookie is taken away
    assert zoe.space_activity.filter(action=SpaceActivity.Action.SIGNED_OUT_EVERYWHERE).exists()


def test_signing_out_ends_this_device_only(zoe):
    phone, laptop = signed_in_client(zoe), signed_in_client(zoe)
    phone.post(reverse("candidates:space_sign_out"))
    assert phone.get(reverse("candidates:space")).status_code == 302
    assert laptop.get(reverse("candidates:space")).status_code == 200


def test_a_session_past_thirty_days_is_over(zoe):
    client = signed_in_client(zoe)
    SpaceSession.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get(reverse("candidates:space")).status_code == 302


def test_the_candidate_cookie_is_no_staff_login(zoe):
    client = signed_in_client(zoe)
    assert client.get("/admin/").status_code == 302  # to the staff login
    assert "sessionid" not in client.cookies


# Caching


def test_signed_in_pages_are_private_and_never_stored(zoe):
    client = signed_in_client(zoe)
    for name in ("candidates:space", "candidates:space_data"):
        response = client.get(reverse(name))
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_a_cached_job_page_still_goes_to_anonymous_visitors_and_fresh_to_a_candidate(
    settings, zoe, django_assert_num_queries
):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 300
    vacancy = OpenVacancyFactory(title="Staff Nurse")
    url = vacancy.get_absolute_url()
    Client().get(url)  # the first anonymous visitor fills the cache
    with django_assert_num_queries(0):
        cached = Client().get(url)
    assert cached.status_code == 200 and "Staff Nurse" in cached.content.decode()
    candidate = signed_in_client(zoe)
    fresh = candidate.get(url)
    assert fresh.context is not None  # rendered for them, not served from the cache
    assert "no-store" in fresh["Cache-Control"]
    assert "no-store" not in cached.get("Cache-Control", "")


# Applications


def test_applications_show_the_stage_wording_consultant_and_date_never_notes(zoe):
    kelly = ConsultantFactory(
        name="Kelly Small", email="kelly@samsmall.example", phone="020 7946 0000"
    )
    entry = SourcedEntryFactory(
        candidate=zoe, vacancy=OpenVacancyFactory(title="Ward Sister", consultant=kelly)
    )
    entry.move_to(stage("shortlisted"), note="Client thinks she is too expensive")
    shortlisted = stage("shortlisted")
    page = signed_in_client(zoe).get(reverse("candidates:space")).content.decode()
    assert "Ward Sister" in page
    assert shortlisted.candidate_wording in page
    assert shortlisted.name not in page or shortlisted.name in shortlisted.candidate_wording
    assert "too expensive" not in page
    assert "Kelly Small" in page and "kelly@samsmall.example" in page and "020 7946 0000" in page
    assert f"{entry.created_at:%-d %B %Y}" in page


def test_the_applications_page_reads_a_fixed_number_of_queries(zoe, django_assert_num_queries):
    client = signed_in_client(zoe)
    SourcedEntryFactory(candidate=zoe)
    with django_assert_num_queries(2):  # the session with its candidate, the applications
        client.get(reverse("candidates:space"))
    SourcedEntryFactory.create_batch(5, candidate=zoe)
    with django_assert_num_queries(2):
        response = client.get(reverse("candidates:space"))
    assert len(response.context["entries"]) == 6


def test_a_candidate_withdraws_by_post_logged_as_theirs_and_the_consultant_is_emailed(zoe):
    kelly = ConsultantFactory(name="Kelly Small", email="kelly@samsmall.example")
    entry = SourcedEntryFactory(
        candidate=zoe, vacancy=OpenVacancyFactory(title="Ward Sister", consultant=kelly)
    )
    client = signed_in_client(zoe)
    url = reverse("candidates:space_withdraw", args=[entry.pk])
    assert "Withdraw from Ward Sister?" in client.get(url).content.decode()
    entry.refresh_from_db()
    assert entry.stage == stage("new")  # a GET changes nothing
    response = client.post(url)
    assert response["Location"] == reverse("candidates:space")
    entry.refresh_from_db()
    assert entry.stage == stage("withdrawn")
    move = StageMove.objects.filter(entry=entry).latest("pk")
    assert move.actor == StageMove.Actor.CANDIDATE and move.moved_by is None
    [email] = Message.objects.filter(purpose=WITHDRAWAL_EMAIL)
    assert email.to == ["kelly@samsmall.example"] and "Zoë Nguyễn" in email.subject
    assert zoe.space_activity.filter(action=SpaceActivity.Action.WITHDREW).exists()
    assert client.post(url).status_code == 400  # once is enough


# My data


def test_a_candidate_downloads_their_own_data(zoe, ana):
    SourcedEntryFactory(candidate=ana)
    response = signed_in_client(zoe).get(reverse("candidates:space_data_download"))
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        data = json.loads(archive.read("data.json"))
    assert data["profile"]["email"] == "zoe@example.com"
    assert "ana@example.com" not in json.dumps(data)
    assert zoe.space_activity.filter(action=SpaceActivity.Action.DOWNLOADED_DATA).exists()


def test_erasure_is_asked_by_post_through_the_privacy_workflow(zoe):
    client = signed_in_client(zoe)
    url = reverse("candidates:space_erase")
    assert client.get(url).status_code == 200
    assert not Enquiry.objects.filter(kind=Enquiry.Kind.PRIVACY).exists()
    response = client.post(url)
    assert response.status_code == 302
    request = Enquiry.objects.get(kind=Enquiry.Kind.PRIVACY)
    assert request.email == zoe.email and "Erase my data" in request.message
    assert zoe.space_activity.filter(action=SpaceActivity.Action.ASKED_ERASURE).exists()


# Only their own records


def test_every_page_of_the_space_asks_a_stranger_to_sign_in(client, zoe):
    entry = SourcedEntryFactory(candidate=zoe)
    for url in space_urls(entry):
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code == 302, (method, url)
            assert response["Location"] == reverse("candidates:space_sign_in")
    entry.refresh_from_db()
    assert entry.stage == stage("new")


def space_urls(entry):
    return [
        reverse("candidates:space"),
        reverse("candidates:space_withdraw", args=[entry.pk]),
        reverse("candidates:space_data"),
        reverse("candidates:space_data_download"),
        reverse("candidates:space_erase"),
        reverse("candidates:space_details"),
        reverse("candidates:space_add_cv"),
        reverse("candidates:space_delete_cv", args=[1]),
        reverse("candidates:space_change_alert", args=[1]),
        reverse("candidates:space_stop_alert", args=[1]),
        reverse("candidates:space_saved"),
        reverse("candidates:space_unsave", args=[entry.vacancy.slug]),
    ]


def test_another_candidates_application_is_not_found(zoe, ana):
    theirs = SourcedEntryFactory(candidate=ana, vacancy=OpenVacancyFactory(title="Midwife"))
    client = signed_in_client(zoe)
    url = reverse("candidates:space_withdraw", args=[theirs.pk])
    assert client.get(url).status_code == 404
    assert client.post(url).status_code == 404
    theirs.refresh_from_db()
    assert theirs.stage == stage("new")
    assert "Midwife" not in client.get(reverse("candidates:space")).content.decode()


def test_erasure_by_staff_signs_the_candidate_out(zoe):
    from candidates import privacy

    client = signed_in_client(zoe)
    privacy.anonymise(zoe)
    assert not SpaceSession.objects.exists()
    assert client.get(reverse("candidates:space")).status_code == 302


# Applying in one step


def test_a_signed_in_candidate_finds_the_form_filled_in_with_their_cv(zoe):
    give_cv(zoe, name="Zoë 2026.pdf")
    vacancy = OpenVacancyFactory(title="Ward Sister")
    page = signed_in_client(zoe).get(vacancy.get_absolute_url()).content.decode()
    assert 'value="Zoë Nguyễn"' in page and 'value="zoe@example.com"' in page
    assert 'value="07911 123456"' in page
    assert "Send my CV on file: Zoë 2026.pdf" in page
    assert "You applied for this job" not in page
    assert "Send my CV on file" not in Client().get(vacancy.get_absolute_url()).content.decode()


def test_they_apply_in_one_step_with_their_cv_on_file(zoe, form_data):
    give_cv(zoe, name="Zoë 2026.pdf")
    vacancy = OpenVacancyFactory(title="Ward Sister")
    client = signed_in_client(zoe)
    data = form_data(message="", use_saved_cv="on", name="Zoë N.")
    response = client.post(reverse("candidates:enquire", args=[vacancy.slug]), data)
    assert response.status_code == 302
    enquiry = Enquiry.objects.get(vacancy=vacancy)
    assert enquiry.kind == Enquiry.Kind.APPLICATION
    assert enquiry.name == "Zoë N." and enquiry.candidate == zoe
    assert enquiry.cv_original_name == "Zoë 2026.pdf"
    assert enquiry.cv.read().startswith(b"%PDF")
    page = client.get(vacancy.get_absolute_url()).content.decode()
    assert "You applied for this job on" in page


def test_a_different_cv_replaces_the_one_on_file(zoe, form_data):
    give_cv(zoe, name="Old.pdf")
    vacancy = OpenVacancyFactory()
    client = signed_in_client(zoe)
    data = form_data(use_saved_cv="on", cv=pdf_cv("New.pdf"))
    client.post(reverse("candidates:enquire", args=[vacancy.slug]), data)
    assert Enquiry.objects.get(vacancy=vacancy).cv_original_name == "New.pdf"


def test_the_cv_on_file_is_never_someone_elses(zoe, ana, form_data):
    """Only the signed-in candidate's CV can go: a stranger's tick sends nothing."""
    give_cv(zoe, name="Zoë.pdf")
    vacancy = OpenVacancyFactory()
    data = form_data(email=zoe.email, message="", use_saved_cv="on")
    response = Client().post(reverse("candidates:enquire", args=[vacancy.slug]), data)
    assert response.status_code == 400
    assert not Enquiry.objects.exists()
    signed_in_client(ana).post(reverse("candidates:enquire", args=[vacancy.slug]), data)
    assert not Enquiry.objects.exists()  # Ana has no CV on file: still nothing to send


# My details


def test_a_candidate_changes_their_name_phone_and_preferences_on_their_timeline(zoe):
    client = signed_in_client(zoe)
    assert (
        'value="07911 123456"' in client.get(reverse("candidates:space_details")).content.decode()
    )
    data = {"name": "Zoë Nguyen", "phone": "07400 123456", "job_alerts": "on"}
    response = client.post(reverse("candidates:space_details"), data)
    assert response.status_code == 302
    zoe.refresh_from_db()
    assert (zoe.name, zoe.phone, zoe.job_alerts) == ("Zoë Nguyen", "07400 123456", True)
    change = zoe.space_activity.get(action=SpaceActivity.Action.CHANGED_DETAILS)
    assert change.detail == "name, phone, communication preferences"


def test_a_bad_phone_number_is_a_400_and_changes_nothing(zoe):
    client = signed_in_client(zoe)
    response = client.post(reverse("candidates:space_details"), {"name": "Zoë", "phone": "12"})
    assert response.status_code == 400
    assert "Please enter a valid phone number" in response.content.decode()
    zoe.refresh_from_db()
    assert zoe.phone == "07911 123456"


def test_a_candidate_uploads_a_new_cv_which_becomes_current_and_deletes_an_old_one(
    zoe, django_capture_on_commit_callbacks
):
    old = give_cv(zoe, name="Old.pdf")
    client = signed_in_client(zoe)
    response = client.post(reverse("candidates:space_add_cv"), {"cv": pdf_cv("New.pdf")})
    assert response.status_code == 302
    new = zoe.cvs.get(original_name="New.pdf")
    assert new.is_current and not zoe.cvs.get(pk=old.pk).is_current
    stored = old.file.name
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("candidates:space_delete_cv", args=[old.pk]))
    assert response.status_code == 302
    assert not zoe.cvs.filter(pk=old.pk).exists()
    assert not old.file.storage.exists(stored)
    client.post(reverse("candidates:space_delete_cv", args=[new.pk]))
    assert zoe.cvs.filter(pk=new.pk).exists()  # the current CV stays until another replaces it
    actions = set(zoe.space_activity.values_list("action", flat=True))
    assert {SpaceActivity.Action.ADDED_CV, SpaceActivity.Action.DELETED_CV} <= actions


def test_a_file_that_is_not_a_cv_is_refused(zoe):
    from .factories import exe_renamed_pdf

    client = signed_in_client(zoe)
    response = client.post(reverse("candidates:space_add_cv"), {"cv": exe_renamed_pdf()})
    assert response.status_code == 400
    assert not zoe.cvs.exists()


def test_a_candidate_changes_and_stops_their_job_alerts(zoe):
    from .factories import ConfirmedJobAlertFactory

    alert = ConfirmedJobAlertFactory(email="Zoe@Example.com", frequency="daily")
    client = signed_in_client(zoe)
    assert alert.describe() in client.get(reverse("candidates:space_details")).content.decode()
    url = reverse("candidates:space_change_alert", args=[alert.pk])
    client.post(url, {f"alert-{alert.pk}-frequency": "weekly"})
    alert.refresh_from_db()
    assert alert.frequency == "weekly"
    client.post(reverse("candidates:space_stop_alert", args=[alert.pk]))
    alert.refresh_from_db()
    assert not alert.is_active
    assert zoe.space_activity.filter(action=SpaceActivity.Action.ALERT).count() == 2


def test_another_candidates_cvs_and_alerts_are_not_found(zoe, ana):
    from .factories import ConfirmedJobAlertFactory

    theirs = give_cv(ana, name="Ana.pdf")
    give_cv(ana, name="Ana 2.pdf")  # so theirs is an old one, which could be deleted
    alert = ConfirmedJobAlertFactory(email=ana.email)
    client = signed_in_client(zoe)
    for url in (
        reverse("candidates:space_delete_cv", args=[theirs.pk]),
        reverse("candidates:space_change_alert", args=[alert.pk]),
        reverse("candidates:space_stop_alert", args=[alert.pk]),
    ):
        assert client.post(url, {f"alert-{alert.pk}-frequency": "weekly"}).status_code == 404
    assert ana.cvs.filter(pk=theirs.pk).exists()
    alert.refresh_from_db()
    assert alert.is_active and alert.frequency != "weekly"
    page = client.get(reverse("candidates:space_details")).content.decode()
    assert "Ana.pdf" not in page and alert.describe() not in page or not alert.describe()


# Saved jobs


def test_a_candidate_saves_a_job_from_its_card_without_javascript(zoe):
    vacancy = OpenVacancyFactory(title="Ward Sister")
    client = signed_in_client(zoe)
    listing = reverse("jobs:vacancy_list")
    page = client.get(listing).content.decode()
    assert f'action="{reverse("candidates:space_save", args=[vacancy.slug])}"' in page
    response = client.post(
        reverse("candidates:space_save", args=[vacancy.slug]),
        headers={"Referer": f"http://testserver{listing}?q=ward"},
    )
    assert response["Location"] == f"http://testserver{listing}?q=ward"
    assert zoe.saved_jobs.get().vacancy == vacancy
    assert 'aria-pressed="true"' in client.get(listing).content.decode()
    saved = client.get(reverse("candidates:space_saved")).content.decode()
    assert "Ward Sister" in saved and "This job has closed" not in saved
    assert zoe.space_activity.filter(action=SpaceActivity.Action.SAVED_JOB).exists()


def test_a_saved_job_that_closes_says_so(zoe):
    vacancy = OpenVacancyFactory(title="Ward Sister")
    client = signed_in_client(zoe)
    client.post(reverse("candidates:space_save", args=[vacancy.slug]))
    vacancy.close()
    assert "This job has closed" in client.get(reverse("candidates:space_saved")).content.decode()


def test_a_job_is_unsaved_by_post(zoe):
    vacancy = OpenVacancyFactory()
    client = signed_in_client(zoe)
    client.post(reverse("candidates:space_save", args=[vacancy.slug]))
    client.post(reverse("candidates:space_unsave", args=[vacancy.slug]))
    assert not zoe.saved_jobs.exists()


def test_a_visitor_pressing_save_is_asked_to_sign_in_and_nothing_is_saved(client):
    vacancy = OpenVacancyFactory()
    response = client.post(reverse("candidates:space_save", args=[vacancy.slug]))
    assert response["Location"] == reverse("candidates:space_sign_in")
    assert not SavedJob.objects.exists()


def test_a_closed_job_cannot_be_saved(zoe):
    from jobs.tests.factories import ClosedVacancyFactory

    vacancy = ClosedVacancyFactory()
    signed_in_client(zoe).post(reverse("candidates:space_save", args=[vacancy.slug]))
    assert not zoe.saved_jobs.exists()


def test_no_candidates_saved_state_reaches_the_cached_pages(settings, zoe):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 300
    vacancy = OpenVacancyFactory(title="Ward Sister")
    candidate = signed_in_client(zoe)
    candidate.post(reverse("candidates:space_save", args=[vacancy.slug]))
    for url in (reverse("jobs:vacancy_list"), vacancy.get_absolute_url(), reverse("jobs:home")):
        assert 'aria-pressed="true"' in candidate.get(url).content.decode(), url
        for _ in range(2):  # made for the first visitor, then from the cache
            page = Client().get(url).content.decode()
            assert 'aria-pressed="true"' not in page and "Save" in page, url
            assert "Zoë" not in page


def test_the_saved_jobs_page_is_another_candidates_never(zoe, ana):
    vacancy = OpenVacancyFactory(title="Midwife")
    signed_in_client(ana).post(reverse("candidates:space_save", args=[vacancy.slug]))
    client = signed_in_client(zoe)
    assert "Midwife" not in client.get(reverse("candidates:space_saved")).content.decode()
    client.post(reverse("candidates:space_unsave", args=[vacancy.slug]))
    assert ana.saved_jobs.count() == 1


# Job-alert subscribers


def test_a_job_alert_subscriber_signs_in_and_becomes_a_candidate(client):
    from candidates.models import Candidate

    from .factories import ConfirmedJobAlertFactory

    ConfirmedJobAlertFactory(email="sam@example.com")
    ask_for_link(client, "Sam@Example.com")
    assert not Candidate.objects.exists()  # asking makes nobody
    assert client.post(link_path("sam@example.com")).status_code == 302
    sam = Candidate.objects.get()
    assert (sam.email, sam.source) == ("sam@example.com", "job alert")
    page = client.get(reverse("candidates:space_details")).content.decode()
    assert "Your job alerts" in page and "Stop this alert" in page


def test_an_unconfirmed_job_alert_gets_no_link(client):
    from .factories import JobAlertFactory

    JobAlertFactory(email="sam@example.com")
    ask_for_link(client, "sam@example.com")
    assert not Message.objects.filter(purpose=SIGN_IN_EMAIL).exists()


# For the consultant, and the cost of each page


def test_what_a_candidate_did_shows_on_their_timeline_for_the_consultant(zoe):
    from django.contrib.auth.models import Group

    from jobs.tests.factories import StaffUserFactory

    entry = SourcedEntryFactory(candidate=zoe, vacancy=OpenVacancyFactory(title="Ward Sister"))
    signed_in_client(zoe).post(reverse("candidates:space_withdraw", args=[entry.pk]))
    staff = Client()
    user = StaffUserFactory()
    user.groups.add(Group.objects.get(name="Consultant"))
    staff.force_login(user)
    page = staff.get(reverse("admin:candidates_candidate_change", args=[zoe.pk])).content.decode()
    assert "In their space" in page
    assert "Withdrew an application: Ward Sister" in page
    assert "by the candidate, through their space" in page  # the stage log's line


@pytest.mark.parametrize(
    ("name", "queries"),
    [("candidates:space_details", 3), ("candidates:space_saved", 2), ("candidates:space_data", 1)],
)
@pytest.mark.parametrize("count", [1, 5])
def test_each_page_of_the_space_reads_a_fixed_number_of_queries(
    zoe, name, queries, count, django_assert_num_queries
):
    from .factories import ConfirmedJobAlertFactory

    client = signed_in_client(zoe)
    for n in range(count):
        give_cv(zoe, name=f"CV {n}.pdf")
        ConfirmedJobAlertFactory(email=zoe.email)
        client.post(reverse("candidates:space_save", args=[OpenVacancyFactory().slug]))
    with django_assert_num_queries(queries):
        assert client.get(reverse(name)).status_code == 200


def test_links_and_sessions_that_ended_are_cleared_as_new_ones_are_made(zoe):
    signed_in_client(zoe)
    SignInLink.objects.update(expires_at=timezone.now() - timedelta(days=2))
    SpaceSession.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    signed_in_client(zoe)
    assert SignInLink.objects.count() == 1 and SignInLink.objects.get().used_at is not None
    assert SpaceSession.objects.count() == 1
    assert SpaceSession.objects.get().expires_at > timezone.now()


def test_the_thank_you_page_points_a_candidate_to_their_applications(client, enquire):
    response = enquire(client, OpenVacancyFactory(), message="Hello")
    page = client.get(response["Location"]).content.decode()
    assert f'href="{reverse("candidates:space")}"' in page and "your applications" in page
