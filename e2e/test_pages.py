"""Every public page and form: accessible (axe, WCAG 2.1 A/AA), valid HTML, fits a phone."""

import uuid
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from candidates.models import Enquiry, JobAlert
from jobs.tests.factories import (
    ClosedVacancyFactory,
    ConfidentialClientFactory,
    OpenVacancyFactory,
    SectorFactory,
)

from .conftest import (
    DESKTOP,
    assert_accessible,
    assert_no_horizontal_scroll,
    html_errors,
    screenshot,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def pages(live_server):
    """{name: path} for every kind of public page, with the data each needs."""
    healthcare = SectorFactory(name="Healthcare")
    job = OpenVacancyFactory(
        title="Staff Nurse",
        sector=healthcare,
        closes_on=timezone.localdate() + timedelta(days=9),
        client=ConfidentialClientFactory(),
        is_featured=True,
    )
    OpenVacancyFactory.create_batch(3, sector=healthcare)
    closed = ClosedVacancyFactory(sector=healthcare)
    enquiry = Enquiry.objects.create(
        kind="question",
        vacancy=job,
        name="Zoë",
        email="zoe@example.com",
        notify_email="k@x.example",
    )
    alert = JobAlert.objects.create(email="zoe@example.com", search={"q": "nurse"})
    return {
        "home": "/",
        "jobs": "/jobs/",
        "search": "/jobs/?q=nurse&workplace=on_site",
        "no-results": "/jobs/?q=astronaut",
        "near": "/jobs/?near=London&within=10",
        "near-unknown": "/jobs/?near=Atlantis",
        "job": job.get_absolute_url(),
        "closed-job": closed.get_absolute_url(),
        "send-cv": "/send-your-cv/",
        "contact": "/contact/",
        "employers": "/employers/",
        "privacy": "/privacy/",
        "your-data": "/privacy/your-data/",
        "thanks": enquiry.thanks_url(),
        "alert": alert.manage_url(),
        "alert-confirm": f"/alerts/{alert.token}/confirm/",
        "alert-unsubscribe": f"/alerts/{alert.token}/unsubscribe/",
        "link-not-found": "/j/not-a-real-link/",
        "not-found": "/no-such-page/",
        "sectors": "/sectors/",
        "sector": healthcare.get_absolute_url(),
        "team": "/team/",
        "about": "/about/",
        "cookies": "/cookies/",
        "terms": "/terms/",
        "accessibility": "/accessibility/",
    }


def test_every_public_page_is_accessible_and_fits_a_phone(browser, live_server, pages):
    context = browser.new_context(viewport={"width": 360, "height": 740}, bypass_csp=True)
    page = context.new_page()
    for name, path in pages.items():
        page.goto(live_server.url + path)
        assert_accessible(page)
        assert_no_horizontal_scroll(page)
        if name in ("home", "jobs", "job", "send-cv"):
            screenshot(page, f"{name}-360")
    context.close()


def test_main_pages_on_a_desktop(desktop, live_server, pages):
    for name in ("home", "jobs", "job", "closed-job", "send-cv"):
        desktop.goto(live_server.url + pages[name])
        assert_accessible(desktop)
        assert_no_horizontal_scroll(desktop)
        screenshot(desktop, f"{name}-{DESKTOP['width']}")


@pytest.mark.parametrize(
    ("path_name", "submit"),
    [
        ("job", "#apply button[type=submit]"),
        ("send-cv", "main form button[type=submit]"),
        ("contact", "main form button[type=submit]"),
        ("employers", "main form button[type=submit]"),
        ("your-data", "main form button[type=submit]"),
    ],
)
def test_forms_in_their_error_state_are_accessible(phone, live_server, pages, path_name, submit):
    phone.goto(live_server.url + pages[path_name])
    phone.click(submit)
    phone.wait_for_selector(".invalid-feedback, .alert-block, .errorlist")
    assert_accessible(phone)
    # Each error is tied to its field (a radio group's to its fieldset), so a screen reader
    # announces it there.
    described = phone.evaluate(
        """[...document.querySelectorAll(
            'input.is-invalid, select.is-invalid, textarea.is-invalid')]
        .map(field => field.type === 'radio' ? field.closest('fieldset') : field)
        .every(owner => (owner.getAttribute('aria-describedby') || '').split(' ').some(id =>
            document.getElementById(id)?.matches('.invalid-feedback')))"""
    )
    assert described, "an invalid field is not described by its error"


def test_keyboard_users_can_skip_to_the_content(phone, live_server, pages):
    phone.goto(live_server.url + pages["job"])
    phone.keyboard.press("Tab")
    assert phone.evaluate("document.activeElement.textContent.trim()") == "Skip to main content"
    assert phone.evaluate("document.activeElement.getBoundingClientRect().height") > 0
    phone.keyboard.press("Enter")
    assert phone.evaluate("location.hash") == "#main"


def test_pages_run_under_the_csp_without_violations(browser, live_server, pages):
    context = browser.new_context()  # no bypass: the real Content Security Policy applies
    page = context.new_page()
    problems = []
    page.on(
        "console",
        lambda message: (
            problems.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    for path in (pages["home"], pages["job"], pages["send-cv"], "/admin/login/"):
        page.goto(live_server.url + path)
    context.close()
    assert problems == []


def test_every_public_page_is_valid_html(pages, tmp_path):
    client = Client()
    html = {name: client.get(path).content.decode() for name, path in pages.items()}
    assert html_errors(html, tmp_path) == []


def test_forms_with_mistakes_and_a_held_cv_are_valid_html(pages, tmp_path, settings):
    settings.FORM_RATE_LIMIT = 1000
    client = Client()
    cv = SimpleUploadedFile("cv.pdf", b"%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n")
    sent = {"name": "Zoë", "email": "not-an-address", "cv": cv, "submission_id": uuid.uuid4()}
    job = client.post(pages["job"].rstrip("/") + "/enquire/", sent)
    cv.seek(0)
    send_cv = client.post("/send-your-cv/", {**sent, "submission_id": uuid.uuid4()})
    assert (job.status_code, send_cv.status_code) == (400, 400)
    assert "held_cv" in job.content.decode() and "held_cv" in send_cv.content.decode()
    html = {"job-errors": job.content.decode(), "send-cv-errors": send_cv.content.decode()}
    assert html_errors(html, tmp_path) == []
