"""A consultant works a candidate's page: a note, a new CV, the timeline, an old CV."""

import pytest
from django.test import Client

from candidates.models import Candidate, CandidateCV, Note
from candidates.tests.factories import form_data, pdf_document
from jobs.tests.factories import OpenVacancyFactory

from .conftest import assert_accessible, log_in, run_worker, screenshot

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("site"),
]


@pytest.fixture
def consultant(raj):
    return raj.consultant


@pytest.fixture
def candidate(consultant, tmp_path):
    """Zoë applied with her CV; the worker has read it."""
    vacancy = OpenVacancyFactory(title="Theatre Nurse", consultant=consultant)
    cv = tmp_path / "Old CV.pdf"
    cv.write_bytes(pdf_document("Scrub nurse, orthopaedic theatres"))
    with cv.open("rb") as file:
        Client().post(f"/jobs/{vacancy.slug}/enquire/", form_data(cv=file))
    run_worker()
    return Candidate.objects.get()


def test_consultant_adds_a_note_and_a_cv_and_downloads_the_old_cv(
    desktop, site, candidate, tmp_path
):
    log_in(desktop, site.url)
    desktop.goto(f"{site.url}/admin/candidates/candidate/?q=orthopaedic")
    desktop.click("text=Zoë Nguyễn")
    assert "Application with CV about Theatre Nurse" in desktop.inner_text("#timeline")
    assert_accessible(desktop)

    desktop.select_option("#id_note-kind", "call")
    desktop.select_option("#id_note-outcome", "interested")
    desktop.fill("#id_note-text", "Keen on nights; free from March.")
    desktop.click("input[value='Add to the timeline']")
    assert "Call added." in desktop.inner_text(".messagelist")

    new_cv = tmp_path / "New CV.pdf"
    new_cv.write_bytes(pdf_document("Theatre practitioner, anaesthetics"))
    desktop.set_input_files("#id_cv-file", str(new_cv))
    desktop.click("input[value='Upload the CV']")
    assert "It is their current CV." in desktop.inner_text(".messagelist")
    run_worker()  # the new CV's text is read in the background
    desktop.reload()

    events = desktop.locator("#timeline .timeline-event")
    assert "New CV.pdf" in events.nth(0).inner_text()
    assert "Their current CV." in events.nth(0).inner_text()
    assert "Spoke: interested" in events.nth(1).inner_text()
    assert "Keen on nights; free from March." in events.nth(1).inner_text()
    assert "Make this their current CV" in desktop.inner_text("#timeline")
    assert_accessible(desktop)
    screenshot(desktop, "candidate-timeline")

    with desktop.expect_download() as download:
        desktop.click("#timeline a:has-text('Old CV.pdf')")
    assert download.value.suggested_filename == "Old CV.pdf"
    with open(download.value.path(), "rb") as file:
        assert file.read() == pdf_document("Scrub nurse, orthopaedic theatres")

    assert Note.objects.get().outcome == "interested"
    assert CandidateCV.objects.get(is_current=True).text == "Theatre practitioner, anaesthetics"
    desktop.goto(f"{site.url}/admin/candidates/candidate/?q=anaesthetics")
    assert "Zoë Nguyễn" in desktop.inner_text("#result_list")
