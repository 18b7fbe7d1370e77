"""CVs on S3-compatible storage, tested against a real local server (moto in server mode)."""

import boto3
import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from candidates.models import Enquiry
from candidates.tests.factories import enquire, pdf_cv
from jobs.tests.factories import OpenVacancyFactory, StaffUserFactory

pytestmark = pytest.mark.django_db
BUCKET = "agency-cvs"


@pytest.fixture
def s3(s3_server, settings):
    client = boto3.client(
        "s3",
        endpoint_url=s3_server,
        region_name="eu-west-2",
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )
    client.create_bucket(
        Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-2"}
    )
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": s3_server,
                "region_name": "eu-west-2",
                "access_key": "test",
                "secret_key": "test",
                "location": "private",
                "default_acl": "private",
                "file_overwrite": False,
            },
        },
    }
    yield client
    for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def test_a_cv_is_stored_privately_in_the_bucket_and_served_to_staff(client, s3):
    enquire(client, OpenVacancyFactory(), cv=pdf_cv())
    enquiry = Enquiry.objects.get()
    [stored] = s3.list_objects_v2(Bucket=BUCKET)["Contents"]
    assert stored["Key"] == f"private/{enquiry.cv.name}"
    grants = s3.get_object_acl(Bucket=BUCKET, Key=stored["Key"])["Grants"]
    assert all("AllUsers" not in str(grant.get("Grantee")) for grant in grants)

    url = reverse("candidates:cv_download", args=[enquiry.pk])
    assert client.get(url).status_code == 403  # still staff only
    staff = StaffUserFactory()
    staff.groups.add(Group.objects.get(name="Consultant"))
    client.force_login(staff)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_readyz_checks_the_bucket(client, s3):
    assert client.get("/readyz").json()["storage"] == "ok"
