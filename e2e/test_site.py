"""The public site as a candidate meets it on a phone and a laptop, and the admin's forms."""

import re

import pytest
from django.contrib.auth import get_user_model

from candidates.models import Enquiry
from jobs.tests.factories import (
    ConfidentialClientFactory,
    ConsultantFactory,
    OpenVacancyFactory,
    SectorFactory,
)

from .conftest import (
    assert_accessible,
    assert_no_horizontal_scroll,
    screenshot,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
WIDTHS = {"phone": {"width": 390, "height": 844}, "laptop": {"width": 1280, "height": 900}}
PASSWORD = "a-long-staff-password"


@pytest.fixture(autouse=True)
def site(live_server, settings):
    settings.SITE_URL = live_server.url
    settings.FORM_RATE_LIMIT = 1000
    settings.AGENCY = {
        **settings.AGENCY,
        "LEGAL_NAME": "Sam Small Recruitment Ltd",
        "COMPANY_NUMBER": "01234567",
        "REGISTERED_OFFICE": "1 High Street, London EC1A 1AA",
        "ICO_NUMBER": "ZA123456",
        "TRADE_BODY": "the Recruitment & Employment Confederation",
    }
    return live_server


@pytest.fixture
def jobs():
    kelly = ConsultantFactory(name="Kelly Small", job_title="Director, PR & Healthcare")
    healthcare = SectorFactory(name="Healthcare", slug="healthcare", lead_consultant=kelly)
    nurse = OpenVacancyFactory(
        title="Staff Nurse, Surgical Ward",
        sector=healthcare,
        consultant=kelly,
        location="Manchester",
        workplace="on_site",
        client=ConfidentialClientFactory(),
        salary_min=33000,
        salary_max=39000,
        salary_text="plus shift allowances",
        summary="",
        description=(
            "Join a surgical ward team that is proud of its patient feedback.\n\n"
            "### The role\n\n- Deliver safe, compassionate care.\n- Support students.\n\n"
            "### About you\n\n- NMC registration.\n- Surgical experience."
        ),
        is_featured=True,
    )
    OpenVacancyFactory.create_batch(4, sector=healthcare, workplace="hybrid")
    raj = ConsultantFactory(name="Raj Patel")
    OpenVacancyFactory.create_batch(3, consultant=raj, workplace="remote")
    return nurse


def new_page(browser, width):
    context = browser.new_context(viewport=WIDTHS[width], bypass_csp=True)
    return context, context.new_page()


@pytest.mark.parametrize("width", WIDTHS)
def test_the_site_on_a_phone_and_a_laptop(browser, site, jobs, width):
    """Screenshots of the main pages (e2e/screenshots/), each checked as it is taken."""
    context, page = new_page(browser, width)
    size = WIDTHS[width]["width"]

    def check(name):
        assert_accessible(page)
        assert_no_horizontal_scroll(page)
        screenshot(page, f"site-{name}-{size}")

    page.goto(site.url + "/")
    check("home")
    page.goto(site.url + "/jobs/?workplace=on_site")
    assert page.locator("details.filters").get_attribute("open") is None
    check("search")
    page.click("summary:has-text('Filters (1 active)')")
    assert page.locator("#filter-sector").is_visible()
    check("search-filters-open")
    page.goto(site.url + jobs.get_absolute_url())
    check("job")
    page.goto(site.url + "/team/")
    check("team")
    page.goto(site.url + jobs.get_absolute_url())
    page.click("#apply button[type=submit]")
    page.wait_for_selector("[data-error-summary]:focus")
    check("job-form-with-errors")
    context.close()


def test_search_filters_open_and_apply_without_javascript(browser, site, jobs):
    context = browser.new_context(viewport=WIDTHS["phone"], java_script_enabled=False)
    page = context.new_page()
    page.goto(site.url + "/jobs/")
    first_result = page.locator(".job-card").first.bounding_box()["y"]
    assert first_result < WIDTHS["phone"]["height"]  # results start on the first screen
    page.click("summary:has-text('Filters')")
    page.select_option("#filter-workplace", "on_site")
    page.click("button:has-text('Show jobs')")
    assert page.inner_text(".result-count").startswith("1 live job")
    assert page.inner_text("details.filters > summary") == "Filters (1 active)"
    page.click("a.chip")  # remove it
    assert page.inner_text(".result-count").startswith("8 live jobs")
    context.close()


def test_apply_stays_in_reach_on_a_phone_until_the_form_arrives(phone, site, jobs):
    phone.goto(site.url + jobs.get_absolute_url())
    bar = phone.locator(".apply-bar")
    viewport = WIDTHS["phone"]["height"]
    phone.set_viewport_size(WIDTHS["phone"])
    box = bar.bounding_box()
    assert abs(box["y"] + box["height"] - viewport) < 2  # stuck to the bottom of the screen
    phone.click(".apply-bar a")
    assert phone.evaluate("location.hash") == "#apply"
    assert phone.locator("#id_name").is_visible()


def test_a_form_with_mistakes_focuses_its_summary_and_keeps_the_cv(phone, site, jobs, tmp_path):
    phone.set_viewport_size(WIDTHS["phone"])
    cv = tmp_path / "Zoë CV.pdf"
    cv.write_bytes(b"%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n")
    phone.goto(site.url + jobs.get_absolute_url())
    phone.click("text=Apply for this job")
    phone.fill("#id_name", "Zoë Nguyễn")
    phone.fill("#id_email", "zoe@example.com")
    phone.fill("#id_message", "I run a surgical ward today.")
    phone.set_input_files("#id_cv", str(cv))
    phone.click("#apply button[type=submit]")  # without agreeing to the privacy notice

    phone.wait_for_selector("[data-error-summary]:focus")
    assert phone.title().startswith("Error: ")
    assert "Zoë CV.pdf, attached." in phone.inner_text("#held-cv")
    assert phone.input_value("#id_message") == "I run a surgical ward today."
    assert_accessible(phone)
    phone.click("[data-error-summary] a[href='#id_consent']")
    assert phone.evaluate("document.activeElement.id") == "id_consent"
    phone.check("#id_consent")
    phone.click("#apply button[type=submit]")
    phone.wait_for_url(re.compile(r"/enquiries/.+/thanks/"))
    enquiry = Enquiry.objects.get()
    assert (enquiry.kind, enquiry.cv_original_name) == ("application", "Zoë CV.pdf")


def test_the_error_summary_works_without_javascript_too(browser, site, jobs):
    context = browser.new_context(viewport=WIDTHS["phone"], java_script_enabled=False)
    page = context.new_page()
    page.goto(site.url + "/send-your-cv/")
    page.click("main form button[type=submit]")
    first_in_form = page.evaluate(
        "document.querySelector('main form [data-error-summary]') === document"
        ".querySelector('main form').querySelector('div, fieldset, p, input:not([type=hidden])')"
    )
    assert first_in_form
    page.click("[data-error-summary] a[href='#id_name']")
    assert page.evaluate("location.hash") == "#id_name"
    context.close()


def test_wide_admin_forms_fit_a_laptop_screen(browser, site):
    get_user_model().objects.create_superuser("kelly", "kelly@samsmall.example", PASSWORD)
    context = browser.new_context(viewport=WIDTHS["laptop"])
    page = context.new_page()
    page.goto(f"{site.url}/admin/login/")
    page.fill("#id_username", "kelly")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"{site.url}/admin/")
    for path in ("jobs/client/add/", "jobs/vacancy/add/", "jobs/consultant/add/"):
        page.goto(f"{site.url}/admin/{path}")
        assert_no_horizontal_scroll(page)
    screenshot(page, "admin-consultant-1280")
    context.close()


def test_pages_run_under_the_csp_with_the_error_summary_script(browser, site, jobs):
    context = browser.new_context(viewport=WIDTHS["phone"])  # the real CSP applies
    page = context.new_page()
    problems = []
    page.on(
        "console",
        lambda message: (
            problems.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.goto(site.url + "/send-your-cv/")
    page.click("main form button[type=submit]")
    page.wait_for_selector("[data-error-summary]:focus")  # the script ran
    for path in ("/team/", "/sectors/healthcare/", "/about/"):
        page.goto(site.url + path)
    context.close()
    assert problems == []
