"""A candidate's own space on a phone: apply without an account, sign in by an emailed link,
watch the application move, save a job and apply to it in one step, withdraw, and download
everything we hold."""

import io
import json
import re
import zipfile

import pytest

from candidates.models import Enquiry, SpaceSession
from jobs.tests.factories import ConsultantFactory, OpenVacancyFactory
from pipeline.models import PipelineEntry, Stage

from .conftest import (
    assert_accessible,
    assert_no_horizontal_scroll,
    html_errors,
    run_worker,
    screenshot,
)

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("site"),
]
SIGN_IN_LINK = re.compile(r"http://\S+/me/sign-in/[A-Za-z0-9_-]+/")


@pytest.fixture
def jobs():
    kelly = ConsultantFactory(name="Kelly Small", email="kelly@samsmall.example")
    return (
        OpenVacancyFactory(title="Ward Sister", consultant=kelly),
        OpenVacancyFactory(title="Night Nurse Practitioner", consultant=kelly),
    )


PAGES = {}


def check(page, name):
    """axe and no sideways scrolling; the page kept for the Nu HTML checker."""
    PAGES[name] = page.content()  # before axe adds itself to the page
    assert_accessible(page)
    assert_no_horizontal_scroll(page)
    screenshot(page, f"space-{name}-375")


def newest_sign_in_link(smtp_server, address):
    run_worker()
    [*_, email] = [
        message for message in smtp_server.inbox.to(address) if "sign in" in message["Subject"]
    ]
    return SIGN_IN_LINK.search(email.get_body(("plain",)).get_content())[0]


def test_a_candidate_follows_their_application_from_their_own_space(
    phone, site, jobs, smtp_server, tmp_path
):
    ward_sister, night_nurse = jobs

    # Apply anonymously, with a CV.
    cv = tmp_path / "Zoë CV.pdf"
    cv.write_bytes(b"%PDF-1.4\n1 0 obj << >> endobj\n%%EOF\n")
    phone.goto(site.url + ward_sister.get_absolute_url())
    phone.fill("#id_name", "Zoë Nguyễn")
    phone.fill("#id_email", "zoe@example.com")
    phone.fill("#id_phone", "07911 123456")
    phone.set_input_files("#id_cv", str(cv))
    phone.check("#id_consent")
    phone.click("#apply button[type=submit]")
    phone.wait_for_url(re.compile(r"/thanks/"))

    # Sign in by the emailed link: opening it only asks; the button signs in.
    phone.click("footer >> text=Your applications")
    assert "Sign in" in phone.inner_text("h1")
    check(phone, "sign-in")
    phone.fill("#id_email", "zoe@example.com")
    phone.click("button:has-text('Email me a link')")
    assert "Check your email" in phone.inner_text("h1")
    check(phone, "sign-in-sent")
    link = newest_sign_in_link(smtp_server, "zoe@example.com")
    phone.goto(link)
    assert not SpaceSession.objects.exists()  # a GET signs nobody in
    check(phone, "sign-in-confirm")
    phone.click("button:has-text('Sign in')")
    assert "Your applications" in phone.inner_text("h1")
    new = Stage.objects.get(role=Stage.Role.NEW)
    assert new.candidate_wording in phone.inner_text("main")
    assert "Kelly Small" in phone.inner_text("main")
    check(phone, "applications")

    # A consultant moves the application: the candidate reads the stage's own wording.
    shortlisted = Stage.objects.get(role=Stage.Role.SHORTLISTED)
    PipelineEntry.objects.get(vacancy=ward_sister).move_to(shortlisted, note="Strong on rotas")
    phone.reload()
    application_card = f"#application-{PipelineEntry.objects.get(vacancy=ward_sister).pk}"
    card = phone.inner_text(application_card)
    assert shortlisted.candidate_wording in card and "Strong on rotas" not in card

    # Save the other job from its card, then apply to it in one step.
    phone.goto(f"{site.url}/jobs/")
    phone.locator(".job-card", has_text="Night Nurse Practitioner").locator(
        "button", has_text="Save"
    ).click()
    assert "Saved: Night Nurse Practitioner" in phone.inner_text(".messages")
    phone.goto(f"{site.url}/me/saved/")
    check(phone, "saved")
    phone.click("text=Apply for Night Nurse Practitioner")
    assert phone.input_value("#id_name") == "Zoë Nguyễn"
    assert phone.is_checked("#id_use_saved_cv")
    check(phone, "apply-in-one-step")
    phone.check("#id_consent")  # agreeing to the privacy notice is never ticked for them
    phone.click("#apply button[type=submit]")
    phone.wait_for_url(re.compile(r"/thanks/"))
    application = Enquiry.objects.get(vacancy=night_nurse)
    assert application.kind == "application" and application.cv_original_name == "Zoë CV.pdf"
    phone.goto(site.url + night_nurse.get_absolute_url())
    assert "You applied for this job on" in phone.inner_text("#apply")

    # Withdraw from the first: confirmed by a POST, logged as the candidate's.
    phone.goto(f"{site.url}/me/")
    phone.locator(application_card).locator("text=Withdraw this application").click()
    check(phone, "withdraw")
    phone.click("button:has-text('Withdraw my application')")
    assert "You have withdrawn from Ward Sister" in phone.inner_text(".messages")
    entry = PipelineEntry.objects.get(vacancy=ward_sister)
    assert entry.stage.role == Stage.Role.WITHDRAWN
    assert entry.moves.latest("pk").actor == "candidate"
    run_worker()
    assert any("withdrew" in m["Subject"] for m in smtp_server.inbox.to("kelly@samsmall.example"))

    # Download everything held about them.
    phone.click(".space-nav >> text=Your data")
    check(phone, "data")
    with phone.expect_download() as download:
        phone.click("text=Download my data")
    with zipfile.ZipFile(io.BytesIO(open(download.value.path(), "rb").read())) as archive:
        data = json.loads(archive.read("data.json"))
    assert data["profile"]["email"] == "zoe@example.com"
    assert {row["what"] for row in data["what_you_did_in_your_space"]} >= {
        "Signed in",
        "Saved a job",
        "Withdrew an application",
    }

    # My details and signing out.
    phone.click(".space-nav >> text=Your details")
    check(phone, "details")
    phone.click(".space-nav >> button:has-text('Sign out')")
    phone.goto(f"{site.url}/me/")
    assert "Sign in" in phone.inner_text("h1")
    assert html_errors(PAGES, tmp_path) == []
