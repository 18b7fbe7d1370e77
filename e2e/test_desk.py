"""A consultant's day from their desk, in a real browser: follow-ups and emails to candidates."""

import pytest

from jobs.tests.factories import OpenVacancyFactory
from outbox.models import Message
from pipeline.models import FollowUp
from pipeline.tests.factories import FollowUpFactory, SourcedEntryFactory

from .conftest import assert_accessible, html_errors, log_in, run_worker, screenshot

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_consultant_works_from_their_desk(desktop, live_server, raj, smtp_server, tmp_path):
    vacancy = OpenVacancyFactory(title="PR Healthcare Account Director", consultant=raj.consultant)
    entry = SourcedEntryFactory(
        vacancy=vacancy, candidate__name="Zoë Nguyễn", candidate__email="zoe@example.com"
    )
    FollowUpFactory(owner=raj, entry=entry, description="Call Zoë about the brief")
    site = live_server.url

    log_in(desktop, site)
    assert desktop.inner_text("h1") == "My desk"
    assert "Call Zoë about the brief" in desktop.inner_text("#desk-follow-ups")
    assert "PR Healthcare Account Director" in desktop.inner_text("#desk-vacancies")
    pages = {"desk": desktop.content()}  # before axe adds itself to the page
    assert_accessible(desktop)
    screenshot(desktop, "desk-1280")

    desktop.click("button:has-text('Mark done')")
    assert "Follow-up done." in desktop.inner_text(".messagelist")
    assert "Nothing due." in desktop.inner_text("#desk-follow-ups")
    assert FollowUp.objects.get().done_by == raj

    desktop.goto(f"{site}/admin/candidates/candidate/{entry.candidate_id}/change/")
    desktop.click("text=Send an email")
    desktop.select_option("#start_template", label="Rejection")
    desktop.click("input[value='Use this template']")
    assert desktop.input_value("#id_subject") == "Your application for {{ vacancy_title }}"
    desktop.select_option("#id_entry", label=str(vacancy))
    desktop.click("input[name=_preview]")
    preview = desktop.inner_text("#email-preview")
    assert "Your application for PR Healthcare Account Director" in preview
    assert "Dear Zoë," in preview
    pages["send-email"] = desktop.content()
    assert html_errors(pages, tmp_path) == []
    assert_accessible(desktop)
    screenshot(desktop, "desk-send-email-1280")
    desktop.click("input[name=_send]")
    assert "is in the outbox" in desktop.inner_text(".messagelist")

    run_worker()
    [email] = smtp_server.inbox.to("zoe@example.com")
    assert email["Subject"] == "Your application for PR Healthcare Account Director"
    assert Message.objects.about(entry).get().state == "sent"
