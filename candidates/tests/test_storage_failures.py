"""A CV that cannot be stored (disk full, object storage unreachable) loses nothing typed
and leaves nothing behind: no candidate, no enquiry, no task, no partial file."""

import logging
import re

import pytest
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from candidates.models import Candidate, Enquiry
from jobs.tests.factories import OpenVacancyFactory

from .factories import form_data, pdf_cv
from .smtp import free_port

pytestmark = pytest.mark.django_db

CV_FORMS = ["enquiry", "send_cv"]
CONSENT_BOX = re.compile(r'<input[^>]*name="consent"[^>]*>')


def post_cv(client, which, **overrides):
    data = form_data(**{"cv": pdf_cv("Zoë Nguyễn CV.pdf"), **overrides})
    if which == "enquiry":
        vacancy = OpenVacancyFactory()
        return client.post(reverse("candidates:enquire", args=[vacancy.slug]), data)
    return client.post(reverse("candidates:send_cv"), data)


def use_private_storage(settings, backend, **options):
    settings.STORAGES = {**settings.STORAGES, "private": {"BACKEND": backend, "OPTIONS": options}}


def assert_nothing_saved_and_everything_typed_is_kept(response):
    content = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"]
    assert "We could not save your CV just now" in content
    assert "Zoë Nguyễn" in content and "zoe@example.com" in content
    assert "07911 123456" in content and "I would like to hear more." in content
    assert "checked" in CONSENT_BOX.search(content)[0]
    assert not Candidate.objects.exists() and not Enquiry.objects.exists()
    assert not DBTaskResult.objects.exists()


def assert_logged_for_staff_without_personal_data(caplog):
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert errors, "the failure is logged at ERROR"
    logged = " ".join(r.getMessage() for r in errors)
    for personal in ("Zoë", "Nguy", "zoe@example.com", "07911"):
        assert personal not in logged


@pytest.mark.parametrize("which", CV_FORMS)
def test_a_full_disk_keeps_what_was_typed_and_leaves_no_partial_file(
    client, settings, tmp_path, caplog, which
):
    location = tmp_path / "full-disk"
    use_private_storage(
        settings, "candidates.tests.storages.DiskFullStorage", location=location, base_url=None
    )
    with caplog.at_level(logging.ERROR):
        response = post_cv(client, which)
    assert_nothing_saved_and_everything_typed_is_kept(response)
    assert [path for path in location.rglob("*") if path.is_file()] == []
    assert_logged_for_staff_without_personal_data(caplog)


@pytest.mark.parametrize("which", CV_FORMS)
def test_object_storage_out_of_reach_keeps_what_was_typed(client, settings, caplog, which):
    pytest.importorskip("storages.backends.s3")
    from botocore.config import Config

    use_private_storage(
        settings,
        "storages.backends.s3.S3Storage",
        bucket_name="agency-cvs",
        endpoint_url=f"http://127.0.0.1:{free_port()}",  # nothing listens there
        region_name="eu-west-2",
        access_key="test",
        secret_key="test",
        file_overwrite=False,
        client_config=Config(retries={"max_attempts": 1}, connect_timeout=2),
    )
    with caplog.at_level(logging.ERROR):
        response = post_cv(client, which)
    assert_nothing_saved_and_everything_typed_is_kept(response)
    assert_logged_for_staff_without_personal_data(caplog)


@pytest.mark.parametrize("which", CV_FORMS)
def test_a_temporary_folder_that_fails_while_the_upload_arrives_keeps_what_was_typed(
    client, settings, tmp_path, caplog, which
):
    # Past this size an upload is written to a temporary file as it arrives; that folder is
    # gone (an unmounted or full temporary disk fails the same way: an OSError).
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "gone")
    with caplog.at_level(logging.ERROR):
        response = post_cv(client, which, cv=pdf_cv("Zoë Nguyễn CV.pdf", size=200 * 1024))
    assert_nothing_saved_and_everything_typed_is_kept(response)
    assert_logged_for_staff_without_personal_data(caplog)


def test_a_stray_file_that_fails_to_arrive_does_not_stop_a_form_without_a_cv(
    client, settings, tmp_path
):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "gone")
    data = form_data(cv=pdf_cv(size=200 * 1024))  # the contact form has no CV field
    assert client.post(reverse("candidates:contact"), data).status_code == 302
    assert Enquiry.objects.get().kind == "general"
