"""A consultant works a vacancy's pipeline board in a real browser, with and without JavaScript."""

import re

import pytest

from candidates.tests.factories import CandidateFactory
from jobs.tests.factories import OpenVacancyFactory
from pipeline.models import FollowUp, PipelineEntry
from pipeline.services import add_to_pipeline

from .conftest import (
    AXE,
    DESKTOP,
    WCAG,
    assert_accessible,
    assert_no_horizontal_scroll,
    html_errors,
    log_in,
    run_worker,
    screenshot,
)

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("site"),
]


@pytest.fixture
def vacancy(raj):
    """Raj's live vacancy, with Zoë, Ana and Ben on its pipeline at New."""
    vacancy = OpenVacancyFactory(title="PR Healthcare Account Director", consultant=raj.consultant)
    for name, email in [
        ("Zoë Nguyễn", "zoe@example.com"),
        ("Ana Souza", "ana@example.com"),
        ("Ben Okafor", "ben@example.com"),
    ]:
        candidate = CandidateFactory(name=name, email=email)
        add_to_pipeline(vacancy=vacancy, candidate=candidate, source="database")
    return vacancy


@pytest.fixture
def no_script(browser):
    context = browser.new_context(viewport=DESKTOP, java_script_enabled=False)
    yield context.new_page()
    context.close()


def board_url(site, vacancy):
    return f"{site.url}/admin/pipeline/board/{vacancy.pk}/"


def card(page, name):
    return page.locator(".board-card", has_text=name)


def column(page, stage):
    return page.locator(".board-column", has=page.locator(f"h2:text-is('{stage}')")).or_(
        page.locator("details.board-column", has=page.locator(f"summary:has-text('{stage}')"))
    )


def stage_of(name):
    return PipelineEntry.objects.get(candidate__name=name).stage.name


def test_a_consultant_moves_a_card_without_javascript(no_script, site, vacancy):
    log_in(no_script, site.url)
    no_script.goto(board_url(site, vacancy))
    zoe = card(no_script, "Zoë Nguyễn")
    zoe.locator("summary", has_text="Move").click()
    zoe.locator("select[name=stage]").select_option(label="Shortlisted")
    zoe.locator("select[name=follow_up_in]").select_option("3")
    zoe.locator("input[name=follow_up]").fill("Call Zoë after the client reads her CV")
    zoe.locator("button", has_text="Move").click()

    no_script.wait_for_url(re.compile(r"/board/\d+/#entry-\d+$"))
    assert "Zoë Nguyễn moved to Shortlisted." in no_script.inner_text(".messagelist")
    assert column(no_script, "Shortlisted").locator(".board-card", has_text="Zoë").count() == 1
    assert stage_of("Zoë Nguyễn") == "Shortlisted"
    task = FollowUp.objects.get()
    assert (task.description, task.owner.username) == (
        "Call Zoë after the client reads her CV",
        "raj",
    )

    # Rejecting without a reason: the card says why, and nothing moved.
    ana = card(no_script, "Ana Souza")
    ana.locator("summary", has_text="Move").click()
    ana.locator("select[name=stage]").select_option(label="Rejected")
    ana.locator("button", has_text="Move").click()
    assert "needs a reason" in card(no_script, "Ana Souza").inner_text()
    assert stage_of("Ana Souza") == "New"


def test_a_consultant_bulk_rejects_two_with_an_email_after_checking_it(
    desktop, site, vacancy, smtp_server, tmp_path
):
    log_in(desktop, site.url)
    desktop.goto(board_url(site, vacancy))
    assert_accessible(desktop)
    assert_no_horizontal_scroll(desktop)  # the board scrolls sideways inside itself
    served = desktop.request.get(board_url(site, vacancy)).text()  # as sent, before any script
    assert html_errors({"board": served}, tmp_path) == []
    screenshot(desktop, "board-1280")

    bulk = desktop.locator("#bulk")
    assert not bulk.locator(".board-reason").is_visible()  # no reason until a stage needs one
    card(desktop, "Zoë Nguyễn").locator("summary", has_text="Move").click()
    screenshot(desktop, "board-card-open-1280")
    card(desktop, "Ana Souza").get_by_role("checkbox").check()
    card(desktop, "Ben Okafor").get_by_role("checkbox").check()
    assert bulk.locator(".board-ticked").inner_text() == "2 ticked"
    bulk.locator("select[name=stage]").select_option(label="Rejected")
    bulk.locator("select[name=reason]").select_option(label="Client chose another candidate")
    bulk.locator("select[name=template]").select_option(label="Rejection")
    bulk.locator("button", has_text="Move ticked").click()

    assert "Dear Ana," in desktop.inner_text("#content-main")
    assert_accessible(desktop)
    assert stage_of("Ana Souza") == "New"  # nothing moves before you confirm
    desktop.click("input[name=_confirm]")
    assert "2 moved to Rejected, each sent “Rejection”." in desktop.inner_text(".messagelist")
    assert stage_of("Ana Souza") == stage_of("Ben Okafor") == "Rejected"
    assert stage_of("Zoë Nguyễn") == "New"

    run_worker()
    [to_ana] = smtp_server.inbox.to("ana@example.com")
    assert vacancy.title in to_ana.get_body(("plain",)).get_content()
    assert smtp_server.inbox.to("ben@example.com")
    assert not smtp_server.inbox.to("zoe@example.com")


def test_dropping_a_card_on_a_column_moves_it_and_asks_for_a_reason_where_needed(
    desktop, site, vacancy
):
    log_in(desktop, site.url)
    desktop.goto(board_url(site, vacancy))
    card(desktop, "Zoë Nguyễn").drag_to(column(desktop, "Shortlisted"))
    desktop.wait_for_url(re.compile(r"#entry-\d+$"))
    assert "Zoë Nguyễn moved to Shortlisted." in desktop.inner_text(".messagelist")
    assert stage_of("Zoë Nguyễn") == "Shortlisted"

    card(desktop, "Ben Okafor").drag_to(column(desktop, "Rejected"))
    reason = card(desktop, "Ben Okafor").locator("select[name=reason]")
    assert reason.is_visible()
    assert stage_of("Ben Okafor") == "New"  # waiting for the reason
    reason.select_option(label="Location or travel")
    card(desktop, "Ben Okafor").locator("button", has_text="Move").click()
    assert "Ben Okafor moved to Rejected." in desktop.inner_text(".messagelist")
    assert stage_of("Ben Okafor") == "Rejected"


def test_the_add_page_and_the_stage_log_pass_axe(desktop, site, vacancy):
    log_in(desktop, site.url)
    desktop.goto(f"{site.url}/admin/pipeline/board/{vacancy.pk}/add-candidate/")
    assert_accessible(desktop)
    desktop.goto(f"{site.url}/admin/jobs/vacancy/{vacancy.pk}/change/")
    assert desktop.locator(".stage-log tbody tr").count() == 3
    # The vacancy's form around it is the admin's own: the log is what this checks.
    desktop.add_script_tag(path=str(AXE))
    violations = desktop.evaluate(
        "tags => axe.run('.stage-log', {runOnly: {type: 'tag', values: tags}})"
        ".then(result => result.violations.map(v => v.id))",
        WCAG,
    )
    assert violations == []


def test_the_board_runs_under_the_csp(browser, site, vacancy):
    context = browser.new_context(viewport=DESKTOP)  # no bypass: the real policy applies
    page = context.new_page()
    violations = []
    page.on("console", lambda message: violations.append(message.text))
    log_in(page, site.url)
    page.goto(board_url(site, vacancy))
    bulk = page.locator("#bulk")
    bulk.locator("select[name=stage]").select_option(label="Rejected")
    assert bulk.locator(".board-reason").is_visible()  # board.js ran
    assert [text for text in violations if "Content Security Policy" in text] == []
    context.close()
