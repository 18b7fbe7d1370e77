"""Emails' HTML versions as a real renderer draws them: Chromium at a phone's and a laptop's
width, fetching nothing, accessible, valid HTML, in the brand's colours. Screenshots land in
e2e/screenshots/ as email-*.png."""

import pytest

from candidates.alerts import queue_due_digests
from candidates.tests.factories import ConfirmedJobAlertFactory
from jobs.tests.factories import ConsultantFactory, OpenVacancyFactory

from .conftest import (
    assert_accessible,
    assert_no_horizontal_scroll,
    html_errors,
    run_worker,
    screenshot,
)

WIDTHS = {390: 844, 1280: 900}
BRAND = "rgb(11, 79, 108)"  # --brand in static/css/site.css


@pytest.fixture
def emails(client, smtp_server, enquire):
    """A confirmation and a job-alert digest, as the outbox sent them."""
    consultant = ConsultantFactory(name="Kelly Small", email="kelly@samsmall.example")
    vacancy = OpenVacancyFactory(
        title="Staff Nurse – Surgical Ward", consultant=consultant, location="Leeds"
    )
    enquire(client, vacancy, email="zoe@example.com")
    ConfirmedJobAlertFactory(email="ann@example.com", search={"q": "nurse"})
    OpenVacancyFactory.create_batch(3, title="Night Nurse")
    queue_due_digests()
    run_worker()
    return {
        "confirmation": smtp_server.inbox.to("zoe@example.com")[0],
        "notification": smtp_server.inbox.to("kelly@samsmall.example")[0],
        "digest": smtp_server.inbox.to("ann@example.com")[0],
    }


def test_emails_html_renders_in_a_browser_fetching_nothing(browser, emails, tmp_path):
    pages = {name: message.get_body(("html",)).get_content() for name, message in emails.items()}
    assert html_errors(pages, tmp_path) == []
    fetched = []

    def refuse(route):
        fetched.append(route.request.url)
        route.abort()

    for width, height in WIDTHS.items():
        context = browser.new_context(viewport={"width": width, "height": height})
        page = context.new_page()
        page.route("**/*", refuse)
        for name, html in pages.items():
            page.set_content(html)
            header = page.locator("td").nth(1)
            assert header.evaluate("td => getComputedStyle(td).backgroundColor") == BRAND
            assert page.locator("a", has_text="Sam Small Recruitment").is_visible()
            assert_accessible(page)
            assert_no_horizontal_scroll(page)
            screenshot(page, f"email-{name}-{width}")
        assert fetched == [], fetched
        context.close()
