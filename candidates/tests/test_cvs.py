"""Every CV is kept as a version; the current one changes only by staff; each downloads."""

import io
import json
import zipfile
from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from candidates import privacy
from candidates.models import Candidate, CandidateCV, CVDownload, Enquiry
from jobs.tests.factories import OpenVacancyFactory, StaffUserFactory

from .factories import enquire, exe_renamed_pdf, pdf_cv, pdf_document, pdf_with_text

pytestmark = pytest.mark.django_db


def staff_in(group):
    user = StaffUserFactory()
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def vacancy():
    return OpenVacancyFactory()


@pytest.fixture
def candidate(client, vacancy):
    enquire(client, vacancy, cv=pdf_with_text("Staff nurse", name="First CV.pdf"))
    return Candidate.objects.get()


@pytest.fixture
def consultant(client):
    user = staff_in("Consultant")
    client.force_login(user)
    return user


def upload(client, candidate, cv, **fields):
    url = reverse("admin:candidates_candidate_add_cv", args=[candidate.pk])
    data = {"file": cv, "make_current": "on", **fields}
    return client.post(url, {f"cv-{name}": value for name, value in data.items()})


def test_each_enquirys_cv_is_a_version_of_the_same_stored_file(client, candidate, vacancy):
    enquire(client, vacancy, cv=pdf_cv("Second CV.pdf"))
    first, second = Enquiry.objects.order_by("pk")
    versions = {version.enquiry: version for version in CandidateCV.objects.all()}
    assert versions[first].file.name == first.cv.name  # no second copy
    assert versions[second].file.name == second.cv.name
    assert versions[second].original_name == "Second CV.pdf"
    assert versions[first].size == len(pdf_document("Staff nurse"))
    assert len(versions[first].sha256) == 64 and versions[first].uploaded_by is None


def test_a_new_candidates_cv_is_current_and_a_later_post_does_not_change_it(
    client, candidate, vacancy
):
    enquire(client, vacancy, cv=pdf_cv("Forged.pdf"))
    current = Candidate.objects.get().current_cv
    assert current.original_name == "First CV.pdf"
    assert CandidateCV.objects.filter(is_current=True).count() == 1


def test_a_question_without_a_cv_makes_no_version(client, vacancy):
    enquire(client, vacancy)
    assert not CandidateCV.objects.exists()


def test_copying_an_enquiry_onto_the_record_makes_its_cv_current(
    admin_client, client, candidate, vacancy
):
    enquire(client, vacancy, cv=pdf_cv("Newer.pdf"))
    later = Enquiry.objects.latest("pk")
    admin_client.post(reverse("admin:candidates_enquiry_update_candidate", args=[later.pk]))
    assert Candidate.objects.get().current_cv.original_name == "Newer.pdf"


def test_staff_upload_a_cv_that_becomes_current(client, candidate, consultant):
    response = upload(client, candidate, pdf_with_text("Theatre nurse", name="Updated.pdf"))
    assert response.status_code == 302
    assert response.url.endswith(f"/candidates/candidate/{candidate.pk}/change/#timeline")
    version = CandidateCV.objects.latest("pk")
    assert (version.uploaded_by, version.original_name, version.is_current) == (
        consultant,
        "Updated.pdf",
        True,
    )
    assert (version.text_status, version.text) == ("extracted", "Theatre nurse")
    assert version.enquiry is None and version.file.storage.exists(version.file.name)
    assert Candidate.objects.get().current_cv == version
    page = client.get(response.url).content.decode()
    assert "CV added as a new version. It is their current CV." in page


def test_staff_upload_a_cv_without_changing_the_current_one(client, candidate, consultant):
    upload(client, candidate, pdf_cv("Old one.pdf"), make_current="")
    assert Candidate.objects.get().current_cv.original_name == "First CV.pdf"
    assert CandidateCV.objects.count() == 2


@pytest.mark.parametrize(
    ("cv", "message"),
    [
        (exe_renamed_pdf(), "content is not a PDF document"),
        (pdf_cv("cv.exe"), "Please upload your CV as one of"),
        (None, "This field is required"),
    ],
)
def test_a_cv_that_fails_validation_is_refused_and_nothing_is_stored(
    client, candidate, consultant, cv, message
):
    stored = set(CandidateCV.objects.values_list("file", flat=True))
    url = reverse("admin:candidates_candidate_add_cv", args=[candidate.pk])
    response = client.post(url, {"cv-file": cv} if cv else {})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert set(CandidateCV.objects.values_list("file", flat=True)) == stored
    assert Candidate.objects.get().current_cv.original_name == "First CV.pdf"


def test_a_cv_over_the_size_limit_is_refused_with_the_limit(
    client, candidate, consultant, settings
):
    settings.CV_MAX_UPLOAD_SIZE = 1000
    response = upload(client, candidate, pdf_cv(size=5000))
    assert response.status_code == 400
    assert "Your CV is too large" in response.content.decode()


def test_staff_choose_which_version_is_current(client, candidate, consultant, vacancy):
    enquire(client, vacancy, cv=pdf_cv("Second.pdf"))
    second = CandidateCV.objects.get(original_name="Second.pdf")
    url = reverse("admin:candidates_candidate_choose_cv", args=[candidate.pk, second.pk])
    assert client.get(url).status_code == 405  # a GET changes nothing
    response = client.post(url, follow=True)
    assert "Second.pdf is now their current CV." in response.content.decode()
    assert Candidate.objects.get().current_cv == second
    assert CandidateCV.objects.filter(is_current=True).count() == 1


def test_a_version_of_another_candidate_cannot_be_chosen(client, candidate, consultant, vacancy):
    enquire(client, vacancy, email="other@example.com", cv=pdf_cv())
    theirs = CandidateCV.objects.get(candidate__email="other@example.com")
    url = reverse("admin:candidates_candidate_choose_cv", args=[candidate.pk, theirs.pk])
    assert client.post(url).status_code == 404


def test_staff_who_may_only_read_candidates_cannot_upload_or_choose(client, candidate):
    reader = StaffUserFactory()
    reader.user_permissions.add(*Permission.objects.filter(codename="view_candidate"))
    client.force_login(reader)
    version = candidate.current_cv
    assert upload(client, candidate, pdf_cv()).status_code == 403
    choose = reverse("admin:candidates_candidate_choose_cv", args=[candidate.pk, version.pk])
    assert client.post(choose).status_code == 403
    assert CandidateCV.objects.count() == 1


def test_every_version_downloads_as_an_audited_attachment(client, candidate, consultant):
    upload(client, candidate, pdf_cv("Newest.pdf"))
    old = CandidateCV.objects.get(original_name="First CV.pdf")
    response = client.get(reverse("candidates:cv_version_download", args=[old.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf_document("Staff nurse")
    assert response["Content-Disposition"].startswith("attachment;")
    assert 'filename="First CV.pdf"' in response["Content-Disposition"]
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    download = CVDownload.objects.get()
    assert (download.user, download.candidate, download.cv) == (consultant, candidate, old)


def test_a_version_is_not_for_visitors_or_staff_without_the_permission(client, candidate):
    url = reverse("candidates:cv_version_download", args=[candidate.current_cv.pk])
    assert client.get(url).status_code == 403
    client.force_login(StaffUserFactory())
    assert client.get(url).status_code == 404
    assert not CVDownload.objects.exists()


def test_export_holds_every_versions_file(client, candidate, consultant):
    upload(client, candidate, pdf_cv("Staff upload.pdf"))
    client.force_login(staff_in("Manager"))
    response = client.get(reverse("admin:candidates_candidate_export", args=[candidate.pk]))
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    files = {name for name in archive.namelist() if name.startswith("cvs/")}
    versions = CandidateCV.objects.all()
    assert files == {f"cvs/{version.file.name.rsplit('/', 1)[1]}" for version in versions}
    data = json.loads(archive.read("data.json"))
    assert {cv["name_as_sent"] for cv in data["cvs"]} == {"First CV.pdf", "Staff upload.pdf"}


def test_erasure_deletes_every_versions_file(
    client, candidate, consultant, django_capture_on_commit_callbacks
):
    upload(client, candidate, pdf_cv("Staff upload.pdf"))
    files = [version.file for version in CandidateCV.objects.all()]
    assert len(files) == 2 and all(file.storage.exists(file.name) for file in files)
    with django_capture_on_commit_callbacks(execute=True):
        privacy.erase(Candidate.objects.get(), by=consultant)
    assert not CandidateCV.objects.exists()
    assert not any(file.storage.exists(file.name) for file in files)


def test_retention_deletes_every_versions_file(
    client, candidate, consultant, settings, django_capture_on_commit_callbacks
):
    upload(client, candidate, pdf_cv("Staff upload.pdf"))
    files = [version.file for version in CandidateCV.objects.all()]
    settings.RETENTION_DAYS = {"enquiry": 400, "registered": 800, "placed": 2000}
    Candidate.objects.update(last_activity_at=timezone.now() - timedelta(days=401))
    with django_capture_on_commit_callbacks(execute=True):
        call_command("apply_retention", stdout=StringIO())
    assert Candidate.objects.get().anonymised_at is not None
    assert not CandidateCV.objects.exists()
    assert not any(file.storage.exists(file.name) for file in files)
    assert privacy.cv_files(Candidate.objects.get()) == {}


def test_a_staff_upload_the_disk_cannot_take_saves_nothing_and_says_so(
    client, candidate, consultant, settings, tmp_path
):
    location = tmp_path / "full-disk"
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "candidates.tests.storages.DiskFullStorage",
            "OPTIONS": {"location": location, "base_url": None},
        },
    }
    response = upload(client, candidate, pdf_cv("New.pdf"))
    assert response.status_code == 503
    assert "could not be stored just now" in response.content.decode()
    assert CandidateCV.objects.count() == 1  # only the first, still current
    assert [path for path in location.rglob("*") if path.is_file()] == []
