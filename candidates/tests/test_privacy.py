import io
import json
import zipfile
from datetime import timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from candidates import privacy
from candidates.models import Candidate, CVDownload, Enquiry, EnquiryLink, Erasure, JobAlert
from jobs.tests.factories import ConsultantFactory, OpenVacancyFactory, StaffUserFactory
from outbox.models import Message
from pipeline.models import PipelineEntry, Stage
from placements.tests.factories import OfferEntryFactory, place_contract, place_permanent

from .factories import enquire, pdf_cv

pytestmark = pytest.mark.django_db


def staff_in(group):
    user = StaffUserFactory()
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def candidate(client):
    vacancy = OpenVacancyFactory()
    enquire(client, vacancy, email="zoe@example.com", cv=pdf_cv())
    candidate = Candidate.objects.get()
    EnquiryLink.objects.create(
        vacancy=vacancy, sender=ConsultantFactory(), candidate=candidate, email=candidate.email
    )
    JobAlert.objects.create(email="ZOE@example.com", search={"q": "nurse"})
    return candidate


def age(candidate, days):
    Candidate.objects.filter(pk=candidate.pk).update(
        last_activity_at=timezone.now() - timedelta(days=days)
    )


def test_cv_downloads_are_recorded(client, candidate):
    user = staff_in("Consultant")
    client.force_login(user)
    enquiry = candidate.enquiries.get()
    client.get(reverse("candidates:cv_download", args=[enquiry.pk]))
    client.get(reverse("candidates:candidate_cv_download", args=[candidate.pk]))
    downloads = CVDownload.objects.order_by("pk")
    assert [(d.user, d.enquiry, d.candidate, d.kind) for d in downloads] == [
        (user, enquiry, None, "cv"),
        (user, None, candidate, "cv"),
    ]


def test_manager_exports_everything_about_one_candidate_and_it_is_recorded(client, candidate):
    manager = staff_in("Manager")
    client.force_login(manager)
    response = client.get(reverse("admin:candidates_candidate_export", args=[candidate.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    data = json.loads(archive.read("data.json"))
    assert data["profile"]["email"] == "zoe@example.com"
    assert len(data["enquiries"]) == 1 and len(data["links_sent_to_them"]) == 1
    assert data["consent"][0]["privacy_notice_version"] == "2026-11"
    assert len(data["job_alerts"]) == 1
    assert [email["subject"] for email in data["emails_we_sent_you"]] == [
        f"We have received your message about {candidate.enquiries.get().vacancy.title} "
        f"({candidate.enquiries.get().reference})"
    ]
    assert data["enquiries"][0]["sent_from_address"] == "127.0.0.1"  # the test client's
    [cv] = [name for name in archive.namelist() if name.startswith("cvs/")]
    assert archive.read(cv).startswith(b"%PDF")
    record = CVDownload.objects.get()
    assert (record.kind, record.candidate, record.user) == ("export", candidate, manager)


@pytest.mark.parametrize("who", ["anonymous", "member", "consultant"])
@pytest.mark.parametrize("page", ["export", "erase"])
def test_only_managers_reach_export_and_erasure(client, candidate, who, page):
    if who == "member":
        client.force_login(StaffUserFactory(is_staff=False))
    elif who == "consultant":
        client.force_login(staff_in("Consultant"))
    response = client.get(reverse(f"admin:candidates_candidate_{page}", args=[candidate.pk]))
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert "/admin/login/" in response.url
    assert b"%PDF" not in response.content


def test_erasure_asks_first_then_removes_everything_but_the_fact(
    client, candidate, django_capture_on_commit_callbacks
):
    client.force_login(staff_in("Manager"))
    url = reverse("admin:candidates_candidate_erase", args=[candidate.pk])
    assert "Yes, erase everything" in client.get(url).content.decode()
    assert Candidate.objects.exists()  # the GET changed nothing
    cv = candidate.current_cv.file
    with django_capture_on_commit_callbacks(execute=True):  # files go once the rows have
        client.post(url, {"confirm": "erase"})
    assert not Candidate.objects.exists() and not Enquiry.objects.exists()
    assert not EnquiryLink.objects.exists() and not JobAlert.objects.exists()
    assert not Message.objects.exists()  # what we wrote to them, or about them
    assert not cv.storage.exists(cv.name)
    record = Erasure.objects.get()
    assert (record.candidate_number, record.enquiries, record.files) == (candidate.pk, 1, 1)


def test_retention_anonymises_exactly_the_candidates_past_their_period(
    client, candidate, settings, django_capture_on_commit_callbacks
):
    settings.RETENTION_DAYS = {"enquiry": 400, "registered": 800, "placed": 2000}
    settings.RETENTION_MINIMUM_DAYS = 365
    vacancy = OpenVacancyFactory()
    enquire(client, vacancy, email="recent@example.com")
    enquire(client, vacancy, email="placed@example.com")
    Enquiry.objects.get(email="placed@example.com").move_to("placed")
    age(candidate, 401)
    age(Candidate.objects.get(email="recent@example.com"), 100)
    age(Candidate.objects.get(email="placed@example.com"), 401)  # placed: kept for 2000 days
    cv = candidate.current_cv.file
    assert candidate.enquiries.get().client_address == "127.0.0.1"  # the test client's

    dry = StringIO()
    call_command("apply_retention", "--dry-run", stdout=dry)
    assert f"would anonymise 1 candidate(s) [#{candidate.pk}]" in dry.getvalue()
    assert Candidate.objects.filter(anonymised_at__isnull=False).count() == 0

    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("apply_retention", stdout=out)
    call_command("apply_retention", stdout=StringIO())  # safe to run again
    gone = Candidate.objects.get(pk=candidate.pk)
    assert gone.anonymised_at and gone.name == "Anonymised" and gone.phone == ""
    assert "zoe" not in gone.email
    enquiry = gone.enquiries.get()
    assert (enquiry.name, enquiry.message, enquiry.phone, enquiry.cv.name) == (
        "Anonymised",
        "",
        "",
        "",
    )
    assert enquiry.client_address is None
    assert not cv.storage.exists(cv.name)
    assert "1 CV file(s) deleted" in out.getvalue()
    kept = set(Candidate.objects.filter(anonymised_at__isnull=True).values_list("email", flat=True))
    assert kept == {"recent@example.com", "placed@example.com"}
    assert Enquiry.objects.count() == 3  # the anonymous counts remain
    assert not Message.objects.to_address("zoe@example.com").exists()
    assert not Message.objects.about(enquiry).exists()


def test_a_candidate_placed_through_the_pipeline_is_kept_for_the_placed_period(
    client, settings, enquire
):
    settings.RETENTION_DAYS = {"enquiry": 400, "registered": 800, "placed": 2000}
    vacancy = OpenVacancyFactory()
    enquire(client, vacancy, email="placed@example.com")
    enquire(client, vacancy, email="shortlisted@example.com")
    stages = {stage.role: stage for stage in Stage.objects.all()}
    for entry in PipelineEntry.objects.all():
        entry.move_to(stages["shortlisted"])
        if entry.candidate.email == "placed@example.com":
            entry.move_to(stages["placed"])
    for candidate in Candidate.objects.all():
        age(candidate, 900)
    call_command("apply_retention", stdout=StringIO())
    kept = Candidate.objects.filter(anonymised_at__isnull=True).values_list("email", flat=True)
    assert list(kept) == ["placed@example.com"]  # the shortlisted one's 800 days have passed


def test_no_period_is_shorter_than_the_legal_minimum(candidate, settings):
    settings.RETENTION_DAYS = {"enquiry": 30, "registered": 30, "placed": 30}
    settings.RETENTION_MINIMUM_DAYS = 365
    age(candidate, 100)
    call_command("apply_retention", stdout=StringIO())
    assert Candidate.objects.get().anonymised_at is None


def test_candidates_can_ask_for_their_data_from_a_public_form(client, settings):
    settings.ENQUIRIES_EMAIL = "inbox@samsmall.example"
    response = client.post(
        reverse("candidates:privacy_request"),
        {
            "request": "erasure",
            "name": "Zoë",
            "email": "zoe@example.com",
            "message": "Please delete me.",
            "submission_id": "5f3b2c1e-0a4d-4e5f-8a9b-0c1d2e3f4a5b",
        },
    )
    assert response.status_code == 302
    enquiry = Enquiry.objects.get()
    assert (enquiry.kind, enquiry.notify_email) == ("privacy", "inbox@samsmall.example")
    assert enquiry.message.startswith("Request: Erase my data")
    assert not Candidate.objects.exists()  # asking about your data does not register you


def test_privacy_notice_says_what_the_law_asks(client):
    content = client.get(reverse("candidates:privacy")).content.decode()
    required = [
        "Who we are",
        "lawful basis",
        "legitimate interests",
        "Who sees it",
        "How long we keep it",
        "Your rights",
        "Information Commissioner",
        "Version",
    ]
    for words in required:
        assert words in content


def test_the_export_holds_their_placements_but_not_the_agencys_fees(client):
    permanent = place_permanent(salary=Decimal("52000.00"))
    candidate = permanent.candidate
    place_contract(OfferEntryFactory(candidate=candidate, vacancy__contract_type="contract"))
    data = json.loads(zipfile.ZipFile(io.BytesIO(privacy.export(candidate))).read("data.json"))
    by_kind = {placement["kind"]: placement for placement in data["placements"]}
    assert by_kind["Permanent"]["salary_a_year"] == "52000.00"
    assert by_kind["Permanent"]["employer"] == permanent.client.name
    assert by_kind["Permanent"]["start_date"] == permanent.start_date.isoformat()
    assert (by_kind["Contract"]["pay_rate"], by_kind["Contract"]["rate"]) == ("400.00", "per day")
    assert by_kind["Contract"]["ir35_status"] == "Outside IR35"
    exported = {key for placement in data["placements"] for key in placement}
    assert not {"fee", "charge_rate", "fee_percent"} & exported
