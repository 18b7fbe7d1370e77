"""The four journeys that matter most, end to end in a real browser."""

import re
from io import StringIO

import pytest
from django.core.management import call_command

from candidates.alerts import queue_due_digests
from candidates.models import Enquiry, JobAlert
from jobs.demo import SEED_ADVERT
from jobs.models import Vacancy
from jobs.tests.factories import ConsultantFactory, DraftVacancyFactory, OpenVacancyFactory

from .conftest import (
    assert_accessible,
    assert_no_horizontal_scroll,
    log_in,
    run_worker,
    screenshot,
)

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("site"),
]


@pytest.fixture
def seed_job():
    ConsultantFactory(name="Kelly Small", email="kelly@samsmall.example")
    call_command(
        "import_jobs",
        str(SEED_ADVERT),
        "--publish",
        "--sector",
        "PR, Advertising & Marketing",
        stdout=StringIO(),
    )
    return Vacancy.objects.get()


@pytest.fixture
def consultant(raj):
    return raj.consultant


def body(message):
    return message.get_body(("plain",)).get_content()


def test_candidate_on_a_phone_finds_the_seed_job_and_applies_with_a_cv(
    phone, site, seed_job, smtp_server, tmp_path
):
    phone.goto(site.url + "/")
    assert_accessible(phone)
    assert_no_horizontal_scroll(phone)
    phone.fill("#search-q", "healthcare PR London")
    phone.click("button:has-text('Search jobs')")
    assert "1 live job" in phone.inner_text(".result-count")
    assert_no_horizontal_scroll(phone)
    phone.click("text=PR Healthcare Account Director")
    assert phone.locator("h3", has_text="Client Liaison").count() == 1
    assert "global healthcare communications agency" in phone.inner_text("main")
    assert_no_horizontal_scroll(phone)
    screenshot(phone, "job-375")

    cv = tmp_path / "Zoë CV.pdf"
    cv.write_bytes(b"%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n")
    phone.click("text=Apply for this job")
    phone.fill("#id_name", "Zoë Nguyễn")
    phone.fill("#id_email", "zoe@example.com")
    phone.fill("#id_message", "I lead a healthcare PR team today.")
    phone.set_input_files("#id_cv", str(cv))
    phone.check("#id_consent")
    phone.click("#apply button[type=submit]")
    phone.wait_for_url(re.compile(r"/enquiries/.+/thanks/"))
    assert "Thank you" in phone.inner_text("h1")
    assert_accessible(phone)

    run_worker()
    [notification] = smtp_server.inbox.to("kelly@samsmall.example")
    assert "Zoë Nguyễn" in notification["Subject"]
    # Python reads the ASCII fallback; the name as sent follows it (RFC 2231).
    [attachment] = notification.iter_attachments()
    assert attachment.get_filename() == "Zoe CV.pdf"
    assert "filename*=utf-8''Zo%C3%AB%20CV.pdf" in attachment.as_string()


def test_consultant_posts_a_job_for_a_confidential_client(desktop, site, consultant):
    log_in(desktop, site.url)
    desktop.goto(f"{site.url}/admin/jobs/client/add/")
    desktop.fill("#id_name", "Hidden Pharma Comms Ltd")
    desktop.check("#id_is_confidential")
    desktop.fill("#id_public_description", "a specialist pharma PR agency")
    desktop.click("input[name=_save]")
    assert "was added successfully" in desktop.inner_text(".messagelist")

    desktop.goto(f"{site.url}/admin/jobs/vacancy/add/")
    desktop.fill("#id_title", "Senior Pharma PR Manager")
    choose(desktop, "client", "Hidden")
    choose(desktop, "consultant", "Raj")
    desktop.fill("#id_location", "Manchester")
    desktop.fill("#id_description", "### The role\n\n- Lead launches.")
    desktop.click("input[name=_publish]")
    assert "saved and published" in desktop.inner_text(".messagelist")

    desktop.goto(f"{site.url}/jobs/")
    desktop.click("text=Senior Pharma PR Manager")
    text = desktop.inner_text("body")
    assert "A specialist pharma PR agency" in text and "Hidden Pharma" not in text
    assert "Hidden Pharma" not in desktop.content()


def choose(page, field, typed):
    """Pick an option in one of the admin's autocomplete (select2) boxes."""
    page.click(f"[aria-labelledby='select2-id_{field}-container']")
    page.fill(".select2-search__field", typed)
    page.click(f".select2-results__option:has-text('{typed}')")


def test_personal_link_leads_to_an_attributed_enquiry(
    desktop, phone, site, consultant, smtp_server
):
    vacancy = OpenVacancyFactory(title="Account Director")
    log_in(desktop, site.url)
    desktop.goto(f"{site.url}/admin/candidates/enquirylink/send/?vacancy={vacancy.pk}")
    desktop.fill("#id_emails", "ana@example.com")
    desktop.fill("#id_note", "This one made me think of you.")
    desktop.click("input[name=_preview]")
    assert "This one made me think of you." in desktop.inner_text(".link-email-preview")
    desktop.click("input[name=_send]")
    run_worker()
    [email] = smtp_server.inbox.to("ana@example.com")
    link = re.search(r"http://\S+/j/\S+/", body(email))[0]

    phone.goto(link)
    assert phone.input_value("#id_email") == "ana@example.com"
    phone.fill("#id_name", "Ana Souza")
    phone.check("#id_consent")
    phone.fill("#id_message", "Yes please, tell me more.")
    phone.click("#apply button[type=submit]")
    phone.wait_for_url(re.compile(r"/thanks/"))
    enquiry = Enquiry.objects.get()
    assert (enquiry.source, enquiry.link.sender) == ("link", consultant)
    assert enquiry.link.open_count == 1


def test_a_job_published_after_the_server_started_is_sent_and_opened_from_the_email(
    desktop, phone, site, consultant, smtp_server
):
    # The live server is already serving; the job is published only now, in the admin.
    draft = DraftVacancyFactory(title="Newly Published Director", consultant=consultant)
    log_in(desktop, site.url)
    desktop.goto(f"{site.url}/admin/jobs/vacancy/{draft.pk}/change/")
    desktop.click("input[name=_publish]")
    assert "saved and published" in desktop.inner_text(".messagelist")
    desktop.click("text=Send to candidates")
    desktop.fill("#id_emails", "ana@example.com")
    desktop.click("input[name=_preview]")
    desktop.click("input[name=_send]")
    assert "1 email(s) queued" in desktop.inner_text(".messagelist")

    run_worker()
    [email] = smtp_server.inbox.to("ana@example.com")
    assert "Newly Published Director" in body(email)
    phone.goto(re.search(r"http://\S+/j/\S+/", body(email))[0])
    assert phone.inner_text("h1") == "Newly Published Director"
    assert phone.input_value("#id_email") == "ana@example.com"
    assert phone.locator("#apply button[type=submit]").is_visible()


def test_job_alert_signup_confirmation_and_unsubscribe(phone, site, smtp_server):
    phone.goto(f"{site.url}/jobs/?q=nurse")
    phone.fill("#alert-email", "zoe@example.com")
    phone.click("text=Create alert")
    assert "Nothing is sent until you click it" in phone.inner_text(".messages")
    run_worker()
    confirm = re.search(r"http://\S+/confirm/", body(smtp_server.inbox.to("zoe@example.com")[0]))[0]
    phone.goto(confirm)
    assert_accessible(phone)
    phone.click("text=Confirm my job alert")
    assert "Your job alert is on" in phone.inner_text(".messages")
    assert JobAlert.objects.get().is_active

    OpenVacancyFactory(title="Night Nurse")
    JobAlert.objects.update(jobs_since="2000-01-01T00:00:00Z")
    assert queue_due_digests() == 1
    run_worker()
    digest = smtp_server.inbox.to("zoe@example.com")[1]
    unsubscribe = re.search(r"http://\S+/unsubscribe/", body(digest))[0]
    phone.goto(unsubscribe)
    phone.click("button:has-text('Unsubscribe')")
    assert "You are unsubscribed" in phone.inner_text("h1")
    assert not JobAlert.objects.get().is_active
