"""CV uploads: typed by their whole content, one file a post, rate limited before parsing."""

import pytest
from django.core.files.uploadhandler import FileUploadHandler
from django.test import Client
from django.urls import reverse

from candidates.models import Enquiry
from jobs.tests.factories import OpenVacancyFactory

from .factories import (
    doc_cv,
    docx_bomb,
    docx_cv,
    excel_renamed_doc,
    form_data,
    odt_cv,
    pdf_cv,
    plain_zip_renamed,
    txt_cv,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def vacancy():
    return OpenVacancyFactory()


def apply(client, vacancy, cv, **extra):
    url = reverse("candidates:enquire", args=[vacancy.slug])
    return client.post(url, form_data(cv=cv, message=""), **extra)


def refused_as(response, words):
    content = response.content.decode()
    return response.status_code == 400 and words in content and "Zoë Nguyễn" in content


def outcome(client, vacancy, cv):
    response = apply(client, vacancy, cv)
    if response.status_code == 302:
        return "accepted"
    return "refused" if refused_as(response, "content is not a") else response.status_code


def test_a_txt_with_web_markup_anywhere_is_refused(client, vacancy):
    outcomes = {
        name: outcome(client, vacancy, cv)
        for name, cv in {
            "plain": txt_cv(),
            "angle brackets": txt_cv("Skills: a < b, C++ <templates>, 5 > 3\n"),
            "svg late": txt_cv("My CV\n" * 2000 + "<svg onload=alert(1)>"),
            "script late": txt_cv("Experience\n" * 2000 + "<script>alert(1)</script>\n"),
            "iframe late": txt_cv("Hello\n" * 2000 + "<iframe src=//evil.example>"),
            "nul byte": txt_cv("Zoë\n\x00<html>"),
        }.items()
    }
    assert outcomes == {
        "plain": "accepted",
        "angle brackets": "accepted",
        "svg late": "refused",
        "script late": "refused",
        "iframe late": "refused",
        "nul byte": "refused",
    }


def test_a_docx_or_odt_must_have_the_parts_of_its_kind(client, vacancy):
    outcomes = {
        name: outcome(client, vacancy, cv)
        for name, cv in {
            "docx": docx_cv(),
            "odt": odt_cv(),
            "any zip as docx": plain_zip_renamed("cv.docx"),
            "any zip as odt": plain_zip_renamed("cv.odt"),
            "spreadsheet as odt": odt_cv(
                mimetype=b"application/vnd.oasis.opendocument.spreadsheet"
            ),
            "docx as odt": docx_cv("cv.odt"),
        }.items()
    }
    assert outcomes == {
        "docx": "accepted",
        "odt": "accepted",
        "any zip as docx": "refused",
        "any zip as odt": "refused",
        "spreadsheet as odt": "refused",
        "docx as odt": "refused",
    }


def test_a_doc_must_be_a_word_file_not_any_ole_file(client, vacancy):
    assert outcome(client, vacancy, doc_cv()) == "accepted"
    assert outcome(client, vacancy, excel_renamed_doc()) == "refused"
    assert Enquiry.objects.count() == 1


def test_a_document_that_unpacks_past_the_limit_is_refused(client, vacancy, settings):
    settings.CV_MAX_UNPACKED_SIZE = 1024 * 1024
    response = apply(client, vacancy, docx_bomb(2 * 1024 * 1024))
    assert refused_as(response, "too large once unpacked")
    assert not Enquiry.objects.exists()
    assert apply(client, vacancy, docx_bomb(512 * 1024)).status_code == 302


def test_one_file_a_post_with_what_was_typed_kept(client, vacancy):
    response = apply(client, vacancy, [pdf_cv(), pdf_cv("second.pdf")])
    assert refused_as(response, "Please attach one file only")
    assert not Enquiry.objects.exists()
    url = reverse("candidates:contact")
    response = client.post(url, {**form_data(), "attachment": pdf_cv(), "other": pdf_cv()})
    assert refused_as(response, "Please attach one file only")


SEEN = []


class RecordingHandler(FileUploadHandler):
    """Notes each file the body parser reaches."""

    def new_file(self, field_name, *args, **kwargs):
        SEEN.append(field_name)
        super().new_file(field_name, *args, **kwargs)

    def receive_data_chunk(self, raw_data, start):
        return raw_data

    def file_complete(self, file_size):
        return None


def test_a_post_over_the_rate_limit_is_refused_before_its_body_is_read(vacancy, settings):
    settings.FORM_RATE_LIMIT = 1
    settings.FILE_UPLOAD_HANDLERS = [
        f"{__name__}.RecordingHandler",
        *settings.FILE_UPLOAD_HANDLERS,
    ]
    browser = Client(enforce_csrf_checks=True)
    browser.get(vacancy.get_absolute_url())
    token = browser.cookies["csrftoken"].value
    SEEN.clear()
    first = apply(browser, vacancy, pdf_cv(), HTTP_X_CSRFTOKEN=token)
    assert first.status_code == 302 and SEEN == ["cv"]
    SEEN.clear()
    refused = apply(browser, vacancy, pdf_cv(size=1024 * 1024), HTTP_X_CSRFTOKEN=token)
    assert refused.status_code == 429
    assert SEEN == []
