"""CV text is read for search within limits; a CV whose text cannot be read is still kept."""

import io
import time
import zipfile
import zlib
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from candidates import cv_text
from candidates.models import CandidateCV
from jobs.tests.factories import OpenVacancyFactory

from .factories import (
    docx_of_empty_runs,
    docx_with_text,
    enquire,
    odt_with_text,
    pdf_cv,
    pdf_document,
    pdf_with_text,
)

pytestmark = pytest.mark.django_db

TEXT = "Registered nurse, intensive care"


def read(upload):
    return cv_text.read_text(upload.read(), upload.name)


@pytest.mark.parametrize(
    "upload",
    [
        pdf_with_text(TEXT, "References on request"),
        docx_with_text(TEXT, "References on request"),
        odt_with_text(TEXT, "References on request"),
        SimpleUploadedFile("cv.txt", f"{TEXT}\r\n\r\n\r\nReferences on request".encode()),
    ],
    ids=["pdf", "docx", "odt", "txt"],
)
def test_text_is_read_from_pdf_docx_odt_and_txt(upload):
    status, text = read(upload)
    assert status == "extracted"
    assert text.split() == f"{TEXT} References on request".split()


def test_a_windows_text_file_is_read_too():
    upload = SimpleUploadedFile("cv.txt", "Café manager, Zoë’s CV".encode("cp1252"))
    assert read(upload) == ("extracted", "Café manager, Zoë’s CV")


@pytest.mark.parametrize("name", ["cv.doc", "cv.rtf"])
def test_doc_and_rtf_files_are_kept_without_text(name):
    assert cv_text.read_text(b"{\\rtf1 Nurse}", name) == ("no_text", "")


def test_a_pdf_with_no_text_has_no_text():
    assert read(pdf_with_text("", "")) == ("no_text", "")


def test_a_broken_pdf_fails_without_raising():
    assert read(pdf_cv()) == ("failed", "")
    assert cv_text.read_text(b"%PDF-1.7\n" + bytes(range(256)) * 50, "cv.pdf") == ("failed", "")


def test_a_pdf_whose_content_inflates_without_end_fails_within_seconds():
    squeeze = zlib.compressobj(9)
    inflating = b"".join(squeeze.compress(b"0" * (1 << 20)) for _ in range(120))
    inflating += squeeze.flush()  # 120 MB from 120 KB
    stream = b"<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream" % (
        len(inflating),
        inflating,
    )
    pdf = pdf_document("x", extra_objects=[stream]).replace(b"/Contents 5 0 R", b"/Contents 6 0 R")
    started = time.monotonic()
    assert cv_text.read_text(pdf, "cv.pdf") == ("failed", "")
    assert time.monotonic() - started < cv_text.WALL_SECONDS


def test_a_zip_bomb_docx_is_read_only_so_far():
    bomb = docx_of_empty_runs(200 * 1024 * 1024)  # 200 MB of XML in a few hundred KB
    assert bomb.size < 2 * 1024 * 1024
    started = time.monotonic()
    assert read(bomb) == ("no_text", "")  # read up to MAX_XML_BYTES: no words there
    assert time.monotonic() - started < cv_text.WALL_SECONDS


def test_a_docx_declaring_entities_is_not_expanded():
    laughs = (
        '<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "hahahahahahahahahaha">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        "<w:body><w:p><w:r><w:t>&b;</w:t></w:r></w:p></w:body></w:document>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", laughs)
    assert cv_text.read_text(buffer.getvalue(), "cv.docx") == ("failed", "")


def test_text_is_capped():
    long_cv = SimpleUploadedFile("cv.txt", b"nurse " * 100_000)
    status, text = read(long_cv)
    assert status == "extracted" and len(text) == cv_text.MAX_CHARS


def test_reading_that_outlasts_the_time_limit_is_stopped(monkeypatch):
    monkeypatch.setattr(cv_text, "WALL_SECONDS", 0.01)
    started = time.monotonic()
    assert read(pdf_with_text(TEXT)) == ("failed", "")
    assert time.monotonic() - started < 5


def test_an_applications_cv_text_is_read_and_the_page_says_when_there_is_none(admin_client, client):
    vacancy = OpenVacancyFactory()
    enquire(client, vacancy, cv=pdf_with_text(TEXT))
    enquire(client, vacancy, cv=pdf_with_text(""))
    enquire(client, vacancy, cv=pdf_cv("Broken.pdf"))
    read_well, blank, broken = CandidateCV.objects.order_by("pk")
    assert (read_well.text_status, read_well.text) == ("extracted", TEXT)
    assert (blank.text_status, broken.text_status) == ("no_text", "failed")
    assert blank.file and broken.file  # kept, whatever their text
    page = admin_client.get(reverse("admin:candidates_candidate_change", args=[blank.candidate_id]))
    content = page.content.decode()
    assert "No text could be read from this CV" in content
    assert "could not be read for search" in content


def test_read_cv_texts_reads_the_versions_still_waiting(client):
    enquire(client, OpenVacancyFactory(), cv=pdf_with_text(TEXT))
    CandidateCV.objects.update(text_status="pending", text="", size=None, sha256="")
    out = StringIO()
    call_command("read_cv_texts", stdout=out)
    version = CandidateCV.objects.get()
    assert (version.text_status, version.text) == ("extracted", TEXT)
    assert version.size == len(pdf_document(TEXT)) and len(version.sha256) == 64
    assert "extracted: 1" in out.getvalue()
