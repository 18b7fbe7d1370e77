"""CVs sent to a client, the client's answers on a phone, and the interview that follows,
in a real browser: shortlist -> send -> review -> board and desk -> invitations -> change ->
cancellation."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from icalendar import Calendar

from jobs.tests.factories import ClientFactory, ConsultantFactory, OpenVacancyFactory
from pipeline.models import Interview, PipelineEntry, Stage
from pipeline.services import add_to_pipeline
from pipeline.tests.factories import AgreementFactory, ClientContactFactory, ClientProfileFactory

from .conftest import (
    assert_accessible,
    assert_no_horizontal_scroll,
    html_errors,
    run_worker,
    screenshot,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
PASSWORD = "a-long-staff-password"
REVIEW_LINK = re.compile(r"(http://[^\s]+/review/[A-Za-z0-9_-]+/)")


@pytest.fixture(autouse=True)
def site(live_server, settings):
    settings.SITE_URL = live_server.url
    return live_server


@pytest.fixture
def vacancy(staff_groups):
    """Raj's live vacancy at Acme Health (contact: Priya), with Zoë and Ana shortlisted and
    their CVs on file; Zoë has agreed to be put forward and Ana has a client profile."""
    user = get_user_model().objects.create_user(
        "raj", "raj@samsmall.example", PASSWORD, is_staff=True, first_name="Raj"
    )
    user.groups.add(Group.objects.get(name="Consultant"))
    raj = ConsultantFactory(name="Raj Patel", email="raj@samsmall.example", user=user)
    acme = ClientFactory(name="Acme Health Ltd")
    ClientContactFactory(client=acme, name="Priya Shah", email="priya@acme.example")
    vacancy = OpenVacancyFactory(
        title="PR Healthcare Account Director", consultant=raj, client=acme
    )
    shortlisted = Stage.objects.get(role=Stage.Role.SHORTLISTED)
    for name, email, phone in [
        ("Zoë Nguyễn", "zoe@example.com", "07911 123456"),
        ("Ana Souza", "ana@example.com", "07700 900123"),
    ]:
        from candidates.tests.factories import CandidateFactory, give_cv

        candidate = CandidateFactory(name=name, email=email, phone=phone)
        give_cv(candidate, b"%PDF-1.4\n% " + name.encode() + b"\n%%EOF\n", "CV.pdf")
        entry = add_to_pipeline(vacancy=vacancy, candidate=candidate, source="database")
        entry.move_to(shortlisted)
    zoe, ana = (
        PipelineEntry.objects.get(candidate__name=name) for name in ("Zoë Nguyễn", "Ana Souza")
    )
    AgreementFactory(candidate=zoe.candidate, client=acme)
    ClientProfileFactory(entry=ana, headline="Senior Account Manager, pharma launches")
    return vacancy


def log_in(page, site):
    page.goto(f"{site.url}/admin/login/")
    page.fill("#id_username", "raj")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{site.url}/admin/")


def stage_of(name):
    return PipelineEntry.objects.get(candidate__name=name).stage.name


def invitation_for(smtp_server, address, subject_start):
    """The parsed .ics of the newest email to `address` whose subject starts so."""
    emails = [
        email
        for email in smtp_server.inbox.to(address)
        if email["Subject"].strip().startswith(subject_start)
    ]
    [attachment] = emails[-1].iter_attachments()
    assert attachment.get_content_type() == "text/calendar"
    calendar = Calendar.from_ical(attachment.get_content())
    assert calendar["METHOD"] == attachment.get_param("method")
    [zone] = calendar.walk("VTIMEZONE")
    assert zone["TZID"] == "Europe/London"
    [event] = calendar.walk("VEVENT")
    assert event["DTSTART"].params["TZID"] == "Europe/London"
    assert str(event["ATTENDEE"]) == f"mailto:{address}"
    assert str(event["ORGANIZER"]) == "mailto:raj@samsmall.example"
    return calendar, event


def test_cvs_go_to_a_client_who_answers_on_a_phone_and_an_interview_follows(
    desktop, phone, site, vacancy, smtp_server, tmp_path
):
    log_in(desktop, site)
    desktop.goto(f"{site.url}/admin/pipeline/board/{vacancy.pk}/")
    desktop.click("text=Send CVs to Acme Health Ltd")
    pages = {"send-cvs": desktop.content()}  # before axe adds itself to the page
    assert_accessible(desktop)

    # Ana agreed on the phone; Zoë's profile is written here.
    ana_row = desktop.locator("tr", has_text="Ana Souza")
    ana_row.locator("select").select_option(label="By phone")
    ana_row.locator("button", has_text="Record").click()
    assert "Agreement to be put forward recorded." in desktop.inner_text(".messagelist")
    desktop.locator("tr", has_text="Zoë Nguyễn").locator("a", has_text="Write it").click()
    assert_accessible(desktop)
    desktop.fill("#id_headline", "Account Director, ten years in healthcare PR")
    desktop.fill("#id_summary", "Leads a team of six; three pharma launches last year.")
    desktop.fill("#id_salary_expectation", "£60,000")
    desktop.click("input[name=_save]")
    assert "Client profile saved." in desktop.inner_text(".messagelist")

    desktop.check("label:has-text('Zoë Nguyễn (Shortlisted)')")
    desktop.check("label:has-text('Ana Souza (Shortlisted)')")
    desktop.check("label:has-text('Priya Shah')")
    desktop.click("input[name=_preview]")
    assert "Dear Priya," in desktop.inner_text("#email-preview")
    assert_accessible(desktop)
    desktop.click("input[name=_send]")
    assert "2 CV(s) sent to 1 contact(s)" in desktop.inner_text(".messagelist")
    assert stage_of("Zoë Nguyễn") == stage_of("Ana Souza") == "CV sent to client"

    run_worker()
    [email] = smtp_server.inbox.to("priya@acme.example")
    text = email.get_body(("plain",)).get_content()
    assert "zoe@example.com" not in text and "07911 123456" not in text
    review = REVIEW_LINK.search(text)[1]

    # Priya, on her phone.
    phone.goto(review)
    assert "Confidential to Priya Shah." in phone.inner_text("main")
    body = phone.inner_text("body")
    for private in ("zoe@example.com", "07911 123456", "ana@example.com", "07700 900123"):
        assert private not in body
    assert_no_horizontal_scroll(phone)
    pages["review"] = phone.content()
    assert_accessible(phone)
    screenshot(phone, "client-review-375")
    with phone.expect_download() as download:
        phone.locator("#main section", has_text="Zoë Nguyễn").locator(
            "a", has_text="Download the CV"
        ).click()
    assert download.value.suggested_filename == "Zoë Nguyễn CV.pdf"

    zoe_card = phone.locator("section", has_text="Zoë Nguyễn")
    zoe_card.get_by_label("Interview", exact=True).check()
    zoe_card.get_by_label("Comment (optional)").fill("Strong: can she do Tuesday?")
    zoe_card.locator("button", has_text="Continue").click()
    assert "Confirm your decision" in phone.inner_text("h1")
    assert stage_of("Zoë Nguyễn") == "CV sent to client"  # nothing until confirmed
    pages["confirm"] = phone.content()
    assert_accessible(phone)
    phone.click("button:has-text('Confirm')")
    assert "your decision is recorded" in phone.inner_text(".messages")

    ana_card = phone.locator("section", has_text="Ana Souza")
    ana_card.get_by_label("Not suitable", exact=True).check()
    ana_card.get_by_label("Why not (if not suitable)").select_option(
        label="Salary expectations are too high for the role"
    )
    ana_card.locator("button", has_text="Continue").click()
    phone.click("button:has-text('Confirm')")
    assert stage_of("Zoë Nguyễn") == "Interview" and stage_of("Ana Souza") == "Rejected"

    # Raj sees both on the board and on the desk, and Priya's answers in his inbox.
    run_worker()
    assert len(smtp_server.inbox.to("raj@samsmall.example")) == 2
    desktop.goto(f"{site.url}/admin/pipeline/board/{vacancy.pk}/")
    interview_column = desktop.locator("section.board-column", has_text="Interview")
    assert "Zoë Nguyễn" in interview_column.inner_text()
    rejected = desktop.locator("details.board-column", has_text="Rejected")
    assert "Ana Souza" in rejected.locator("ol").inner_html()
    desktop.goto(f"{site.url}/admin/")
    row = desktop.locator("#desk-vacancies tr", has_text="PR Healthcare Account Director")
    cells = [cell.strip() for cell in row.locator("td.count").all_inner_texts()]
    stages = [stage.name for stage in Stage.objects.in_order()]
    assert cells[stages.index("Interview")] == "1" and cells[stages.index("Rejected")] == "1"

    # He schedules the interview from Zoë's card.
    desktop.goto(f"{site.url}/admin/pipeline/board/{vacancy.pk}/")
    desktop.click("a:has-text('Schedule an interview')")
    pages["schedule"] = desktop.content()
    assert_accessible(desktop)
    day = timezone.localdate() + timedelta(days=8)
    desktop.fill("#id_date", day.isoformat())
    desktop.fill("#id_start", "10:00")
    desktop.fill("#id_location", "1 Fleet Street, London")
    desktop.check("label:has-text('Priya Shah')")
    desktop.click("input[type=submit][value^='Schedule']")
    assert "the invitations are in the outbox" in desktop.inner_text(".messagelist")
    interview = Interview.objects.get()

    run_worker()
    _, to_zoe = invitation_for(smtp_server, "zoe@example.com", "Interview invitation")
    calendar, to_priya = invitation_for(smtp_server, "priya@acme.example", "Interview invitation")
    assert calendar["METHOD"] == "REQUEST" and to_zoe["UID"] == to_priya["UID"] == interview.uid
    assert "zoe@example.com" not in calendar.to_ical().decode()

    # Tuesday suits better: the same event moves.
    desktop.goto(f"{site.url}/admin/pipeline/interview/{interview.pk}/change/")
    desktop.click("text=Change the time or details")
    desktop.fill("#id_start", "14:30")
    desktop.click("input[type=submit][value^='Save']")
    run_worker()
    _, moved = invitation_for(smtp_server, "zoe@example.com", "Interview changed")
    assert moved["UID"] == interview.uid and moved["SEQUENCE"] == 1
    assert moved.decoded("DTSTART").hour == 14

    # And then it is called off.
    desktop.goto(f"{site.url}/admin/pipeline/interview/{interview.pk}/change/")
    desktop.click("text=Cancel it")
    assert_accessible(desktop)
    desktop.click("input[value='Cancel the interview']")
    run_worker()
    calendar, cancelled = invitation_for(smtp_server, "priya@acme.example", "Interview cancelled")
    assert calendar["METHOD"] == "CANCEL" and cancelled["STATUS"] == "CANCELLED"
    assert cancelled["UID"] == interview.uid and cancelled["SEQUENCE"] == 2

    assert html_errors(pages, tmp_path) == []


def test_a_withdrawn_link_shows_the_consultant_on_a_phone(phone, site, vacancy, tmp_path):
    from pipeline import introductions

    entry = PipelineEntry.objects.get(candidate__name="Ana Souza")
    AgreementFactory(candidate=entry.candidate, client=vacancy.client)
    introductions.send_cvs(
        vacancy=vacancy,
        entries=[entry],
        contacts=list(vacancy.client.contacts.all()),
        subject="CVs",
        note="Here.",
        consultant=vacancy.consultant,
    )
    link = vacancy.review_links.get()
    link.revoke()
    phone.goto(link.url)
    assert "This review link no longer works" in phone.inner_text("h1")
    assert "raj@samsmall.example" in phone.inner_text("main")
    served = phone.content()
    assert_accessible(phone)
    assert html_errors({"review-closed": served}, tmp_path) == []
