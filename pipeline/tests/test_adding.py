import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from candidates.models import Candidate, private_storage
from candidates.tests.factories import (
    CandidateFactory,
    exe_renamed_pdf,
    pdf_cv,
)
from outbox.models import Message
from pipeline.models import PipelineEntry, PrivacyNotice, StageMove

from .factories import SourcedEntryFactory

pytestmark = pytest.mark.django_db
OBJECT_LINK = re.compile(r"http://127\.0\.0\.1:8000(/privacy/object/[A-Za-z0-9_-]+/)")


def add_url(vacancy):
    return reverse("admin:pipeline_board_add_candidate", args=[vacancy.pk])


def add_existing(client, vacancy, candidate, **data):
    fields = {"existing-candidate": candidate.pk, "existing-source": "database", **data}
    return client.post(add_url(vacancy), {"_existing": "Add", **fields})


def add_new(client, vacancy, **data):
    fields = {
        "new-name": "Zoë Nguyễn",
        "new-email": "zoe@example.com",
        "new-phone": "07911 123456",
        "new-source": "referral",
        **{f"new-{name}": value for name, value in data.items()},
    }
    return client.post(add_url(vacancy), {"_new": "Add", **fields})


def notes(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def body(message):
    return message.get_body(("plain",)).get_content()


def stored_files(folder="cvs"):
    """Every CV file in the private storage (local disk or S3), by name."""
    try:
        folders, files = private_storage().listdir(folder)
    except FileNotFoundError:
        return []
    inside = [name for sub in folders for name in stored_files(f"{folder}/{sub}")]
    return [f"{folder}/{name}" for name in files] + inside


def test_the_add_page_offers_an_existing_candidate_or_a_new_one(consultant_client, vacancy):
    response = consultant_client.get(add_url(vacancy))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="existing-candidate"' in page and "admin-autocomplete" in page
    assert 'name="new-cv"' in page and 'enctype="multipart/form-data"' in page
    sources = response.context["new"].fields["source"].choices
    assert [value for value, _ in sources] == [
        "database",
        "referral",
        "job_board",
        "social",
        "headhunt",
        "other",
    ]


def test_an_existing_candidate_joins_at_the_first_stage_with_their_source(
    consultant_client, vacancy
):
    candidate = CandidateFactory(name="Ana Souza")

    response = add_existing(
        consultant_client, vacancy, candidate, **{"existing-source": "headhunt"}
    )

    entry = PipelineEntry.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("admin:pipeline_board", args=[vacancy.pk]) + f"#entry-{entry.pk}"
    assert notes(response) == ["Ana Souza added to the pipeline at New."]
    assert (entry.candidate, entry.stage.role, entry.source) == (candidate, "new", "headhunt")
    assert entry.added_by == consultant_client.user
    assert entry.moves.get().moved_by == consultant_client.user
    assert not Message.objects.exists()  # they agreed to our privacy notice already


def test_adding_someone_already_on_the_pipeline_says_so_and_saves_nothing(
    consultant_client, vacancy
):
    entry = SourcedEntryFactory(vacancy=vacancy, candidate__name="Ana Souza")
    response = add_existing(consultant_client, vacancy, entry.candidate)
    assert response.status_code == 400
    assert "Ana Souza is already on the pipeline for" in response.content.decode()
    assert PipelineEntry.objects.count() == 1 and StageMove.objects.count() == 0


def test_a_new_candidate_is_saved_with_their_cv_and_sent_the_privacy_notice(
    consultant_client, vacancy, smtp_server
):
    response = add_new(consultant_client, vacancy, cv=pdf_cv("Zoë CV.pdf"), note="Met at a talk")

    candidate = Candidate.objects.get()
    entry = PipelineEntry.objects.get()
    assert response.status_code == 302
    assert notes(response) == [
        "Zoë Nguyễn added to the pipeline at New. Our privacy notice is on its way to them, "
        "with their link to object."
    ]
    assert (candidate.name, candidate.phone, candidate.source) == (
        "Zoë Nguyễn",
        "07911 123456",
        "referral",
    )
    assert candidate.consent_at is None  # added by us, not agreed by them
    cv = candidate.current_cv
    assert (cv.original_name, cv.uploaded_by) == ("Zoë CV.pdf", consultant_client.user)
    assert re.fullmatch(r"cvs/\d{4}/\d{2}/[0-9a-f]{32}\.pdf", cv.file.name)
    assert stored_files() == [cv.file.name]
    assert (entry.source, entry.moves.get().note) == ("referral", "Met at a talk")

    notice = PrivacyNotice.objects.get()
    assert (notice.candidate, notice.sent_by) == (candidate, consultant_client.user)
    [message] = Message.objects.about(notice)
    assert (message.purpose, message.state) == ("candidate.privacy_notice", "sent")
    [email] = smtp_server.inbox.to("zoe@example.com")
    text = body(email)
    assert "Kelly Small at Sam Small Recruitment" in text
    assert "Where your details came from: someone who recommended you to us." in text
    assert "your CV" in text and "ico.org.uk" in text
    assert OBJECT_LINK.search(text)[1] == notice.get_absolute_url()
    assert email["Reply-To"].strip() == "Kelly Small <kelly@samsmall.example>"


def test_a_cv_that_fails_validation_is_a_400_and_nothing_is_saved(consultant_client, vacancy):
    response = add_new(consultant_client, vacancy, cv=exe_renamed_pdf())
    assert response.status_code == 400
    page = response.content.decode()
    assert "content is not a PDF document" in page
    assert 'value="Zoë Nguyễn"' in page  # what was typed is kept
    assert not Candidate.objects.exists() and not PipelineEntry.objects.exists()
    assert not Message.objects.exists()
    assert stored_files() == []


def test_a_failure_after_the_cv_is_stored_leaves_nothing_behind(
    consultant_client, vacancy, monkeypatch
):
    def fails(*args, **kwargs):
        raise ConnectionError("the outbox is unreachable")  # injected, after the CV is stored

    monkeypatch.setattr("pipeline.privacy.send_privacy_notice", fails)
    with pytest.raises(ConnectionError):
        add_new(consultant_client, vacancy, cv=pdf_cv())
    assert not Candidate.objects.exists() and not PipelineEntry.objects.exists()
    assert stored_files() == []


def test_a_cv_too_large_is_refused_while_it_arrives(consultant_client, vacancy, settings):
    settings.CV_MAX_UPLOAD_SIZE = 10_000
    response = add_new(consultant_client, vacancy, cv=pdf_cv(size=50_000))
    assert response.status_code == 400
    assert "Your CV is too large" in response.content.decode()
    assert not Candidate.objects.exists()


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"email": "not-an-address"}, "Enter a valid email address."),
        ({"name": ""}, "This field is required."),
        ({"phone": "12"}, "Please enter a valid phone number"),
        ({"source": "application"}, "Select a valid choice."),
    ],
)
def test_bad_new_candidate_details_answer_400_and_save_nothing(
    consultant_client, vacancy, data, error
):
    response = add_new(consultant_client, vacancy, **data)
    assert response.status_code == 400
    assert error in response.content.decode()
    assert not Candidate.objects.exists() and not Message.objects.exists()


def test_a_new_candidate_with_an_address_we_hold_is_pointed_to_the_existing_one(
    consultant_client, vacancy
):
    CandidateFactory(name="Zoë N.", email="zoe@example.com")
    response = add_new(consultant_client, vacancy, email="ZOE@example.com")
    assert response.status_code == 400
    assert (
        "ZOE@example.com is already in the database as Zoë N.: add them as an existing candidate."
        in response.content.decode()
    )
    assert Candidate.objects.count() == 1 and not PipelineEntry.objects.exists()


def test_someone_who_objected_cannot_be_added_again_as_new_or_existing(
    consultant_client, vacancy, objected
):
    objected()
    again = add_new(consultant_client, vacancy, email="ZOE@example.com")
    assert again.status_code == 400
    assert "ZOE@example.com objected to our holding their details on" in again.content.decode()
    assert not Candidate.objects.exists()

    # Typed back in by hand in the admin, they are still stopped on the board.
    typed_back = Candidate.objects.create(name="Zoë", email="zoe@example.com")
    response = add_existing(consultant_client, vacancy, typed_back)
    assert response.status_code == 400
    assert "must not be added or contacted again" in response.content.decode()
    assert not PipelineEntry.objects.exists()


def test_someone_who_objected_and_then_applied_themselves_can_be_added_again(
    consultant_client, vacancy, client, enquire, objected
):
    objected()
    enquire(client, SourcedEntryFactory().vacancy, email="zoe@example.com")
    response = add_existing(
        consultant_client, vacancy, Candidate.objects.get(email="zoe@example.com")
    )
    assert response.status_code == 302
    assert PipelineEntry.objects.filter(vacancy=vacancy).exists()
