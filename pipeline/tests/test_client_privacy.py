"""Erasure, retention and subject access reach what was sent to clients."""

import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.utils import timezone

from candidates import privacy
from outbox.models import Message
from pipeline import scheduling
from pipeline.models import Agreement, ClientProfile, Interview, Introduction, ReviewLink

from .factories import InterviewFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(shortlist, send_cvs):
    """Zoë's prepared CV and Ana's own were sent to Priya; Zoë has an interview."""
    profile = shortlist.zoe.client_profile
    profile.cv_source = ClientProfile.CVSource.PREPARED
    profile.prepared_cv.save("prepared.pdf", ContentFile(b"%PDF-1.4\n% prepared\n%%EOF\n"))
    send_cvs()
    interview = InterviewFactory(entry=shortlist.zoe, starts_at=timezone.now() + timedelta(days=2))
    scheduling.queue_invitations(interview, "new")
    introduction = Introduction.objects.get(candidate=shortlist.zoe.candidate)
    from pipeline.introductions import record_decision

    record_decision(introduction, decision="hold")
    return shortlist


def exists(file_name):
    return storages["private"].exists(file_name)


def test_erasure_deletes_the_copies_sent_to_clients_and_the_emails_naming_them(
    sent, django_capture_on_commit_callbacks
):
    zoe = sent.zoe.candidate
    files = [
        Introduction.objects.get(candidate=zoe).cv.name,
        sent.zoe.client_profile.prepared_cv.name,
    ]
    assert all(exists(name) for name in files)
    with django_capture_on_commit_callbacks(execute=True):
        privacy.erase(zoe)
    assert not any(exists(name) for name in files)
    assert not Introduction.objects.filter(contact_name="Priya Shah", candidate__name="Zoë Nguyễn")
    assert not Agreement.objects.filter(candidate__email="zoe@example.com").exists()
    assert not Interview.objects.exists() and not ClientProfile.objects.filter(pk=0).exists()
    # The email to Priya listed Zoë: it goes; Ana's introduction, and its file, stay.
    assert not Message.objects.filter(recipient="priya@acme.example").exists()
    assert not Message.objects.filter(body_text__contains="Zoë").exists()
    ana = Introduction.objects.get(candidate=sent.ana.candidate)
    assert exists(ana.cv.name) and ReviewLink.objects.exists()


def test_retention_keeps_the_introduction_as_a_count_without_the_file_or_words(
    sent, django_capture_on_commit_callbacks
):
    zoe = sent.zoe.candidate
    introduction = Introduction.objects.get(candidate=zoe)
    copy, prepared = introduction.cv.name, sent.zoe.client_profile.prepared_cv.name
    with django_capture_on_commit_callbacks(execute=True):
        privacy.anonymise(zoe)
    introduction.refresh_from_db()
    assert (introduction.cv.name, introduction.summary, introduction.headline) == ("", "", "")
    assert introduction.cv_sha256  # which file it was stays provable; the file does not
    assert not exists(copy) and not exists(prepared)
    assert not ClientProfile.objects.filter(entry=sent.zoe).exists()
    assert not Message.objects.filter(body_text__contains="Zoë").exists()


def test_their_data_download_lists_the_cvs_sent_to_clients_with_the_files(sent):
    zoe = sent.zoe.candidate
    archive = zipfile.ZipFile(io.BytesIO(privacy.export(zoe)))
    data = json.loads(archive.read("data.json"))
    [sent_cv] = data["cvs_sent_to_clients"]
    assert sent_cv["client"] == "Acme Health Ltd" and sent_cv["client_decision"] == "Hold"
    assert data["agreements_to_be_put_forward"][0]["how"] == "phone"
    assert data["interviews"][0]["round"] == "1st interview"
    copy = Introduction.objects.get(candidate=zoe).cv.name.rsplit("/", 1)[1]
    assert f"cvs/{copy}" in archive.namelist()
