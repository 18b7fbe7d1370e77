import re
import uuid

import pytest
from django.test import Client
from django.urls import reverse

from candidates import privacy
from candidates.forms import EnquiryForm
from candidates.models import Candidate, Enquiry, RejectedSubmission
from jobs.tests.factories import (
    ClosedVacancyFactory,
    ConsultantFactory,
    DraftVacancyFactory,
    OpenVacancyFactory,
    ScheduledVacancyFactory,
    SectorFactory,
)

from .factories import docx_cv, enquire, exe_renamed_pdf, form_data, html_renamed_txt, pdf_cv

pytestmark = pytest.mark.django_db


@pytest.fixture
def vacancy():
    return OpenVacancyFactory(title="PR Healthcare Account Director")


def test_job_page_offers_the_enquiry_form(client, vacancy):
    content = client.get(vacancy.get_absolute_url()).content.decode()
    assert 'id="apply"' in content
    assert 'name="submission_id"' in content
    assert 'type="checkbox" name="consent"' in content and "checked" not in content
    assert reverse("candidates:privacy") in content


SUBMISSION_ID = re.compile(r'name="submission_id" value="([^"]+)"')
PER_VIEW_VALUES = re.compile(r'name="(submission_id|csrfmiddlewaretoken)" value="[^"]+"')


def test_each_job_page_view_gets_its_own_submission_id(client, vacancy):
    first, second = (client.get(vacancy.get_absolute_url()).content.decode() for _ in range(2))
    first_id, second_id = SUBMISSION_ID.search(first)[1], SUBMISSION_ID.search(second)[1]
    assert first_id != second_id
    assert str(uuid.UUID(first_id)) == first_id
    assert PER_VIEW_VALUES.sub("", first) == PER_VIEW_VALUES.sub("", second)


def test_a_blank_forms_hidden_fields_read_as_the_forms_own_widgets_write_them(client, vacancy):
    page = client.get(vacancy.get_absolute_url()).content.decode()
    submission_id = SUBMISSION_ID.search(page)[1]
    form = EnquiryForm(initial={"submission_id": submission_id})
    for field in form.hidden_fields():
        assert str(field) in page, field.name


def test_quick_question_without_a_cv_is_saved_and_thanked(client, vacancy):
    response = enquire(client, vacancy)
    enquiry = Enquiry.objects.get()
    assert response.status_code == 302 and response.url == enquiry.thanks_url()
    assert (enquiry.kind, enquiry.vacancy, enquiry.consultant) == (
        "question",
        vacancy,
        vacancy.consultant,
    )
    assert enquiry.notify_email == vacancy.consultant.email
    assert enquiry.notification_state == "sent"
    thanks = client.get(response.url).content.decode()
    assert enquiry.reference in thanks and vacancy.consultant.name in thanks
    assert "zoe@example.com" not in thanks  # the thank-you URL carries no personal data


def test_application_with_a_cv_stores_it_under_a_random_name(client, vacancy):
    enquire(client, vacancy, cv=pdf_cv())
    enquiry = Enquiry.objects.get()
    candidate = enquiry.candidate
    assert enquiry.kind == "application"
    assert enquiry.cv_original_name == "Zoë CV.pdf"
    assert "Zo" not in enquiry.cv.name and enquiry.cv.name.endswith(".pdf")
    assert candidate.current_cv.file.name == enquiry.cv.name  # the same file, not a copy
    assert candidate.consent_version == "2026-11" and candidate.consent_at is not None
    assert candidate.name == "Zoë Nguyễn" and candidate.phone == "07911 123456"


@pytest.mark.parametrize("make_cv", [docx_cv, lambda: pdf_cv("cv.PDF")])
def test_other_cv_formats_are_accepted(client, vacancy, make_cv):
    assert enquire(client, vacancy, cv=make_cv()).status_code == 302


def test_refresh_or_double_click_makes_one_enquiry(client, vacancy):
    data = form_data()
    url = reverse("candidates:enquire", args=[vacancy.slug])
    first = client.post(url, data)
    second = client.post(url, data)
    assert Enquiry.objects.count() == 1
    assert first.url == second.url


def test_one_candidate_per_email_address_whatever_its_case(client, vacancy):
    enquire(client, vacancy, email="Zoe@Example.com")
    enquire(client, vacancy, email="zoe@example.COM", name="Zoë N")
    assert Candidate.objects.count() == 1
    assert Enquiry.objects.count() == 2


def test_a_later_post_with_the_same_address_does_not_overwrite_the_candidate(client, vacancy):
    enquire(client, vacancy, cv=pdf_cv("Zoë CV.pdf"))
    candidate = Candidate.objects.get()
    enquire(client, vacancy, name="Someone Else", phone="020 7946 0999", cv=pdf_cv("Forged.pdf"))
    first, second = Enquiry.objects.order_by("pk")
    after = Candidate.objects.get()
    assert (after.name, after.phone) == ("Zoë Nguyễn", "07911 123456")
    current = after.current_cv
    assert (current.file.name, current.original_name) == (first.cv.name, "Zoë CV.pdf")
    assert (after.consent_at, after.consent_version) == (candidate.consent_at, "2026-11")
    assert after.last_activity_at > candidate.last_activity_at
    # Each enquiry keeps what was sent with it, its own CV file included.
    assert (second.candidate, second.name, second.phone) == (
        after,
        "Someone Else",
        "020 7946 0999",
    )
    assert second.cv_original_name == "Forged.pdf" and second.cv.name != first.cv.name
    assert set(privacy.cv_files(after)) == {first.cv.name, second.cv.name}


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"email": ""}, "Please enter your email address."),
        ({"email": "not-an-email"}, "Enter a valid email address."),
        ({"consent": None}, "Please agree to the privacy notice"),
        ({"message": "x" * 100_000}, "at most 5000 characters"),
        ({"phone": "12"}, "Please enter a valid phone number"),
        ({"message": "", "cv": None}, "Please attach your CV or write us a message."),
        ({"cv": exe_renamed_pdf()}, "content is not a PDF document"),
        ({"cv": html_renamed_txt()}, "content is not a TXT document"),
        ({"cv": pdf_cv("cv.exe")}, "Please upload your CV as one of"),
    ],
)
def test_bad_input_is_explained_and_nothing_is_saved(client, vacancy, overrides, error):
    response = enquire(client, vacancy, **overrides)
    assert response.status_code == 400
    assert error in response.content.decode()
    assert not Enquiry.objects.exists() and not Candidate.objects.exists()


def test_oversized_cv_is_refused_without_losing_the_other_fields(client, vacancy, settings):
    settings.CV_MAX_UPLOAD_SIZE = 100 * 1024
    response = enquire(client, vacancy, cv=pdf_cv(size=300 * 1024))
    content = response.content.decode()
    assert response.status_code == 400
    assert "Your CV is too large: the limit is 100.0\xa0KB." in content
    assert "Zoë Nguyễn" in content  # what they typed is still in the form
    assert not Enquiry.objects.exists()


@pytest.mark.parametrize("name", ["Zoë", "Nguyễn Thị Minh", "王小明", "Ólafur O'Brien-SSmith"])
def test_names_in_any_script_are_kept_as_typed(client, vacancy, name):
    assert enquire(client, vacancy, name=name).status_code == 302
    assert Enquiry.objects.get().name == name
    assert Candidate.objects.get().name == name


def test_international_phone_numbers_are_accepted(client, vacancy):
    enquire(client, vacancy, phone="+33 1 23 45 67 89")
    assert Enquiry.objects.get().phone == "+33 1 23 45 67 89"


def test_html_in_fields_is_kept_as_text_and_shown_escaped(admin_client, client, vacancy):
    enquire(client, vacancy, name="<script>alert(1)</script>", message="<b>hi</b>")
    enquiry = Enquiry.objects.get()
    assert enquiry.name == "<script>alert(1)</script>"
    page = admin_client.get(reverse("admin:candidates_enquiry_change", args=[enquiry.pk]))
    assert "<script>alert(1)</script>" not in page.content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.content.decode()


def test_a_job_closed_while_the_candidate_wrote_still_gets_their_message(client, vacancy):
    similar = OpenVacancyFactory(title="Healthcare PR Director", sector=vacancy.sector)
    vacancy.close()  # the candidate's tab was opened before this
    response = enquire(client, vacancy, cv=pdf_cv())
    enquiry = Enquiry.objects.get()
    assert response.status_code == 302 and response.url == enquiry.thanks_url()
    assert enquiry.about_closed_job
    assert (enquiry.kind, enquiry.vacancy, enquiry.consultant) == (
        "application",
        vacancy,
        vacancy.consultant,
    )
    assert enquiry.cv_original_name == "Zoë CV.pdf" and enquiry.message
    thanks = client.get(response.url).content.decode()
    assert "This role has just closed" in thanks
    assert similar.title in thanks and similar.get_absolute_url() in thanks


def test_a_closed_jobs_form_with_a_mistake_comes_back_saying_it_closed(client, vacancy):
    vacancy.mark_filled()
    response = enquire(client, vacancy, email="not-an-email")
    content = response.content.decode()
    assert response.status_code == 400
    assert "This role has just closed" in content and "Enter a valid email address." in content
    assert "I would like to hear more." in content
    assert not Enquiry.objects.exists()


@pytest.mark.parametrize(
    "make",
    [
        DraftVacancyFactory,
        ScheduledVacancyFactory,
        lambda: ClosedVacancyFactory(published_at=None, status="closed"),
    ],
)
def test_a_job_that_was_never_public_takes_no_enquiries(client, make):
    assert enquire(client, make()).status_code == 404
    assert not Enquiry.objects.exists()


def test_enquiry_endpoint_refuses_get(client, vacancy):
    assert client.get(reverse("candidates:enquire", args=[vacancy.slug])).status_code == 405


def test_honeypot_post_is_counted_not_saved(client, vacancy):
    response = enquire(client, vacancy, website="http://spam.example")
    assert response.status_code == 400
    assert not Enquiry.objects.exists()
    assert RejectedSubmission.objects.get(form="enquiry", reason="honeypot").count == 1


def test_rate_limit_per_address(client, vacancy, settings):
    settings.FORM_RATE_LIMIT = 2
    codes = [enquire(client, vacancy).status_code for _ in range(3)]
    assert codes == [302, 302, 429]
    assert Enquiry.objects.count() == 2
    assert RejectedSubmission.objects.get(reason="rate limit").count == 1


def test_speculative_cv_goes_to_the_sectors_lead_consultant(client):
    lead = ConsultantFactory(email="lead@samsmall.example")
    sector = SectorFactory(name="Healthcare", lead_consultant=lead)
    response = client.post(reverse("candidates:send_cv"), form_data(sector=sector.pk, cv=pdf_cv()))
    enquiry = Enquiry.objects.get()
    assert response.status_code == 302
    assert (enquiry.kind, enquiry.consultant, enquiry.notify_email) == (
        "speculative",
        lead,
        "lead@samsmall.example",
    )


def test_speculative_cv_without_a_sector_goes_to_the_general_inbox(client, settings):
    settings.ENQUIRIES_EMAIL = "inbox@samsmall.example"
    client.post(reverse("candidates:send_cv"), form_data(cv=pdf_cv()))
    enquiry = Enquiry.objects.get()
    assert (enquiry.consultant, enquiry.notify_email) == (None, "inbox@samsmall.example")


def test_speculative_cv_requires_a_cv(client):
    response = client.post(reverse("candidates:send_cv"), form_data())
    assert response.status_code == 400
    assert not Enquiry.objects.exists()


def test_general_contact_and_employer_enquiries_reach_the_inbox(client, settings):
    settings.ENQUIRIES_EMAIL = "inbox@samsmall.example"
    client.post(reverse("candidates:contact"), form_data())
    client.post(reverse("candidates:employers"), form_data(company="Acme Health Ltd"))
    general, employer = Enquiry.objects.order_by("pk")
    assert (general.kind, general.notify_email) == ("general", "inbox@samsmall.example")
    assert (employer.kind, employer.company, employer.candidate) == (
        "employer",
        "Acme Health Ltd",
        None,
    )
    assert Candidate.objects.count() == 1  # employers are not candidates


@pytest.mark.parametrize("name", ["send_cv", "contact", "employers", "privacy"])
def test_public_pages_answer(client, name):
    SectorFactory(name="Healthcare")
    assert client.get(reverse(f"candidates:{name}")).status_code == 200


def test_job_page_with_form_runs_a_fixed_number_of_queries(
    client, vacancy, django_assert_num_queries
):
    OpenVacancyFactory.create_batch(10)
    with django_assert_num_queries(1):
        client.get(vacancy.get_absolute_url())


def test_a_new_message_from_a_page_the_browser_kept_is_a_new_enquiry(client, vacancy):
    data = form_data()
    url = reverse("candidates:enquire", args=[vacancy.slug])
    client.post(url, data)
    client.post(url, {**data, "message": "One more question."})
    assert Enquiry.objects.count() == 2


CSRF_TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def test_an_expired_form_comes_back_filled_in_with_a_fresh_token_and_nothing_saved(vacancy):
    browser = Client(enforce_csrf_checks=True)
    url = reverse("candidates:enquire", args=[vacancy.slug])
    data = form_data(csrfmiddlewaretoken="from-a-page-kept-too-long")
    response = browser.post(url, data)
    content = response.content.decode()
    assert response.status_code == 403
    assert "This form had expired, so it was not sent." in content
    assert "Zoë Nguyễn" in content and "I would like to hear more." in content
    assert f'value="{data["submission_id"]}"' in content
    assert not Enquiry.objects.exists() and not Candidate.objects.exists()
    # Sent again from that page, with its fresh token, it goes through once.
    again = browser.post(url, {**data, "csrfmiddlewaretoken": CSRF_TOKEN.search(content)[1]})
    assert again.status_code == 302 and Enquiry.objects.count() == 1


@pytest.mark.parametrize("name", ["send_cv", "contact", "employers", "privacy_request"])
def test_the_site_wide_forms_come_back_filled_in_after_an_expired_token(name):
    SectorFactory(name="Healthcare")
    browser = Client(enforce_csrf_checks=True)
    response = browser.post(reverse(f"candidates:{name}"), form_data())
    content = response.content.decode()
    assert response.status_code == 403
    assert "This form had expired" in content and "I would like to hear more." in content
    assert CSRF_TOKEN.search(content) and not Enquiry.objects.exists()


def test_other_expired_posts_get_a_plain_branded_explanation(settings):
    response = Client(enforce_csrf_checks=True).post(
        reverse("admin:login"), {"username": "raj", "password": "x"}
    )
    content = response.content.decode()
    assert response.status_code == 403
    assert "That form had expired, so nothing was sent" in content
    assert settings.AGENCY["NAME"] in content


def test_the_employers_page_says_what_we_do_and_how_fees_work_before_its_form(client):
    content = client.get(reverse("candidates:employers")).content.decode()
    services, fees = content.index("What we do for employers"), content.index("How fees work")
    assert services < fees < content.index("Send us a vacancy") < content.index("<form")
    assert "Permanent roles" in content and "Contract and interim" in content


def test_the_contact_page_gives_the_office_and_its_hours(client, settings):
    settings.AGENCY = {
        **settings.AGENCY,
        "ADDRESS": "1 High Street\nLondon EC1A 1AA",
        "OPENING_HOURS": "Monday to Friday, 9am to 5.30pm",
    }
    content = client.get(reverse("candidates:contact")).content.decode()
    assert "1 High Street<br>London EC1A 1AA</address>" in content
    assert "Opening hours</h3><p>Monday to Friday, 9am to 5.30pm</p>" in content
