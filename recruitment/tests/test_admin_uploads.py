"""A storage that fails while staff upload a file in the admin: 503, the form as typed, nothing
saved and no partial file left (the terms document, a consultant's photo, a client profile's
prepared CV all go through recruitment.admin_tools.StoresUploadsSafely)."""

import io

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from candidates.tests.factories import pdf_cv
from jobs.models import Consultant
from jobs.tests.factories import ConsultantFactory, StaffUserFactory
from placements.models import TermsOfBusiness
from placements.tests.factories import TermsFactory
from recruitment.tests.admin_pages import admin_form
from recruitment.uploads import NOT_STORED

pytestmark = pytest.mark.django_db
FULL_DISK = "candidates.tests.storages.DiskFullStorage"


def fill_the_disk(settings, tmp_path, storage):
    location = tmp_path / "full-disk"
    settings.STORAGES = {
        **settings.STORAGES,
        storage: {"BACKEND": FULL_DISK, "OPTIONS": {"location": location, "base_url": None}},
    }
    return location


def files_in(location):
    return [path for path in location.rglob("*") if path.is_file()]


def png(name="kelly.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "teal").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.fixture
def manager(client):
    user = StaffUserFactory()
    user.groups.add(Group.objects.get(name="Manager"))
    client.force_login(user)
    return client


def change_page(client, url, **changes):
    data = dict(admin_form(client.get(url)))
    return client.post(url, {**data, **changes})


def assert_refused_as_typed(response, field, typed):
    assert response.status_code == 503 and response["Retry-After"]
    assert NOT_STORED in response.context["adminform"].form.errors[field]
    assert typed in response.content.decode()


def test_a_terms_document_the_disk_cannot_take_saves_nothing(manager, settings, tmp_path):
    terms = TermsFactory(payment_days=30)
    url = reverse("admin:placements_termsofbusiness_change", args=[terms.pk])
    location = fill_the_disk(settings, tmp_path, "private")
    response = change_page(
        manager, url, document=pdf_cv("Acme terms.pdf"), payment_days="45", agreed_on="2026-11-02"
    )
    assert_refused_as_typed(response, "document", 'value="45"')
    terms = TermsOfBusiness.objects.get()
    assert (terms.payment_days, terms.document.name) == (30, "")
    assert files_in(location) == []


def test_a_photo_the_disk_cannot_take_saves_nothing(manager, settings, tmp_path):
    kelly = ConsultantFactory(name="Kelly Small", job_title="Director")
    url = reverse("admin:jobs_consultant_change", args=[kelly.pk])
    location = fill_the_disk(settings, tmp_path, "default")
    response = change_page(manager, url, photo=png(), job_title="Managing Director")
    assert_refused_as_typed(response, "photo", 'value="Managing Director"')
    kelly = Consultant.objects.get()
    assert (kelly.job_title, kelly.photo.name) == ("Director", "")
    assert files_in(location) == []


def test_with_room_on_the_disk_the_photo_is_stored_once(manager, settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path},
        },
    }
    kelly = ConsultantFactory(name="Kelly Small")
    url = reverse("admin:jobs_consultant_change", args=[kelly.pk])
    response = change_page(manager, url, photo=png())
    assert response.status_code == 302
    kelly.refresh_from_db()
    assert kelly.photo.name.startswith("consultants/kelly")
    assert [path.name for path in files_in(tmp_path)] == [kelly.photo.name.split("/")[-1]]
