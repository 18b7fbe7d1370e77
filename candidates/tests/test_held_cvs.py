"""A form sent with mistakes: the summary of them first, and the CV kept for the next try."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from candidates.held_cvs import FOLDER
from candidates.models import Enquiry
from candidates.storage import cv_storage
from jobs.tests.factories import OpenVacancyFactory

from .factories import exe_renamed_pdf, pdf_cv

pytestmark = pytest.mark.django_db
HELD = re.compile(r'name="held_cv" value="([^"]+)"')


@pytest.fixture
def vacancy():
    return OpenVacancyFactory(title="Staff Nurse")


def enquire(client, vacancy, **fields):
    url = reverse("candidates:enquire", args=[vacancy.slug])
    return client.post(url, enquiry_data(**fields))


def enquiry_data(**fields):
    data = {
        "name": "Zoë Nguyễn",
        "email": "zoe@example.com",
        "message": "I lead a ward team today.",
        "consent": "on",
        "submission_id": "a9c5b1de-5c6b-4d0e-9b59-0d6a9e0c2f11",
    }
    return {key: value for key, value in {**data, **fields}.items() if value is not None}


def held_files():
    try:
        return cv_storage.listdir(FOLDER)[1]
    except FileNotFoundError:
        return []


def test_a_form_with_mistakes_lists_them_first_in_form_order_linking_to_each_field(client, vacancy):
    response = enquire(client, vacancy, name="", email="not-an-address", message="", consent=None)
    assert response.status_code == 400
    content = response.content.decode()
    summary = content[
        content.index("data-error-summary") : content.index(
            "</ul>", content.index("data-error-summary")
        )
    ]
    links = re.findall(r'<a href="#(id_\w+)">([^<]+)</a>', summary)
    assert links == [
        ("id_name", "Please tell us your name."),
        ("id_email", "Enter a valid email address."),
        ("id_message", "Please attach your CV or write us a message."),
        ("id_consent", "Please agree to the privacy notice so we can contact you."),
    ]
    assert '<div class="error-summary" role="alert" tabindex="-1"' in content
    form = content[content.index('<section id="apply"') :]
    assert form.index("data-error-summary") < form.index('id="id_name"')  # first in the form
    assert "<title>Error: Staff Nurse" in content
    assert re.search(r'<script src="/static/js/error-summary\.[\w.]*js" defer>', content)


def test_a_radio_groups_error_links_to_its_first_button(client):
    response = client.post(reverse("candidates:privacy_request"), {"name": "Zoë"})
    assert (
        '<a href="#id_request_0">Please choose what you would like.</a>'
        in response.content.decode()
    )


def test_a_valid_cv_sent_with_a_mistake_is_kept_and_goes_with_the_corrected_form(client, vacancy):
    first = enquire(client, vacancy, consent=None, cv=pdf_cv())
    content = first.content.decode()
    assert first.status_code == 400
    assert "<strong>Your CV:</strong> Zoë CV.pdf, attached." in content
    assert 'value="I lead a ward team today."' not in content  # a textarea keeps it as text
    assert "I lead a ward team today.</textarea>" in content
    [held_name] = held_files()
    assert "Zo" not in held_name  # stored under a random name of ours
    token = HELD.search(content)[1]

    second = enquire(client, vacancy, held_cv=token)
    assert second.status_code == 302
    enquiry = Enquiry.objects.get()
    assert enquiry.kind == "application" and enquiry.cv_original_name == "Zoë CV.pdf"
    assert enquiry.cv.read() == pdf_cv().read()
    assert held_files() == []  # used, so deleted


def test_the_send_your_cv_page_keeps_the_cv_too(client):
    data = {**enquiry_data(email=""), "cv": pdf_cv("cv.pdf")}
    first = client.post(reverse("candidates:send_cv"), data)
    assert first.status_code == 400
    assert "<strong>Your CV:</strong> cv.pdf, attached." in first.content.decode()
    token = HELD.search(first.content.decode())[1]
    second = client.post(reverse("candidates:send_cv"), {**enquiry_data(), "held_cv": token})
    assert second.status_code == 302
    assert Enquiry.objects.get().cv_original_name == "cv.pdf"


def test_a_new_file_replaces_the_held_one(client, vacancy):
    token = HELD.search(enquire(client, vacancy, consent=None, cv=pdf_cv()).content.decode())[1]
    enquire(client, vacancy, held_cv=token, cv=pdf_cv("Newer CV.pdf"))
    assert Enquiry.objects.get().cv_original_name == "Newer CV.pdf"
    assert held_files() == []


def test_an_invalid_cv_is_not_held(client, vacancy):
    response = enquire(client, vacancy, consent=None, cv=exe_renamed_pdf())
    assert "held_cv" not in response.content.decode() and held_files() == []


def test_another_visitors_token_is_refused_and_nothing_of_the_cv_is_shown(client, vacancy):
    token = HELD.search(enquire(client, vacancy, consent=None, cv=pdf_cv()).content.decode())[1]
    stranger = Client()
    response = enquire(stranger, vacancy, held_cv=token, message="")
    content = response.content.decode()
    assert response.status_code == 400
    assert "Please attach your CV again." in content
    assert "Zoë CV.pdf" not in content and "held_cv" not in content
    assert not Enquiry.objects.exists()
    assert len(held_files()) == 1  # still the first visitor's


def test_a_tampered_token_is_refused(client, vacancy):
    token = HELD.search(enquire(client, vacancy, consent=None, cv=pdf_cv()).content.decode())[1]
    payload, timestamp, signature = token.rsplit(":", 2)
    forged = f"{payload[:-2]}AA:{timestamp}:{signature}"
    for bad in (forged, token[:-1], "held-cvs/../cvs/2026/11/someone.pdf"):
        response = enquire(client, vacancy, held_cv=bad, message="")
        assert response.status_code == 400, bad
        assert "Please attach your CV again." in response.content.decode()
    assert not Enquiry.objects.exists()


def test_an_expired_token_is_refused_with_a_clear_message(client, vacancy, settings):
    token = HELD.search(enquire(client, vacancy, consent=None, cv=pdf_cv()).content.decode())[1]
    settings.CV_HOLD_SECONDS = -1
    response = enquire(client, vacancy, held_cv=token, message="")
    assert response.status_code == 400
    assert (
        "The CV you attached earlier has expired: please attach it again."
        in response.content.decode()
    )
    assert not Enquiry.objects.exists()


def test_a_held_cv_is_checked_again_like_any_cv(client, vacancy):
    token = HELD.search(enquire(client, vacancy, consent=None, cv=pdf_cv()).content.decode())[1]
    [name] = held_files()
    with cv_storage.open(f"{FOLDER}/{name}", "wb") as held:
        held.write(b"MZ\x90\x00 not a PDF any more")
    response = enquire(client, vacancy, held_cv=token)
    assert response.status_code == 400
    assert "content is not a PDF document" in response.content.decode()
    assert not Enquiry.objects.exists()


def test_held_cvs_never_sent_are_discarded_once_expired(client, vacancy, settings):
    enquire(client, vacancy, consent=None, cv=pdf_cv())
    out = StringIO()
    call_command("discard_held_cvs", stdout=out)
    assert len(held_files()) == 1 and "Discarded 0" in out.getvalue()  # still fresh
    settings.CV_HOLD_SECONDS = -1
    call_command("discard_held_cvs", stdout=out)
    assert held_files() == [] and "Discarded 1" in out.getvalue()
