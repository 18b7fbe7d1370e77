import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from candidates.models import Enquiry, EnquiryLink, JobAlert
from jobs.tests.factories import ConsultantFactory, OpenVacancyFactory, StaffUserFactory

pytestmark = pytest.mark.django_db


def view_on_site(obj):
    content_type = ContentType.objects.get_for_model(obj)
    return reverse("admin:view_on_site", args=[content_type.pk, obj.pk])


@pytest.fixture
def secrets_of_the_site():
    vacancy = OpenVacancyFactory()
    return [
        EnquiryLink.objects.create(
            vacancy=vacancy, sender=ConsultantFactory(), email="zoe@example.com"
        ),
        JobAlert.objects.create(email="zoe@example.com", search={"q": "nurse"}),
        Enquiry.objects.create(
            kind="question",
            vacancy=vacancy,
            name="Zoë",
            email="zoe@example.com",
            notify_email="x@x.example",
        ),
    ]


def test_view_on_site_never_leads_staff_to_a_secret_address(client, secrets_of_the_site):
    consultant = StaffUserFactory()
    consultant.groups.add(Group.objects.get(name="Consultant"))
    for user in (StaffUserFactory(), consultant):
        client.force_login(user)
        for obj in secrets_of_the_site:
            response = client.get(view_on_site(obj))
            assert response.status_code in (403, 404), (user, obj)
            secret = getattr(obj, "token", None) or obj.public_token
            assert secret not in response.get("Location", "")


def test_view_on_site_needs_the_models_own_view_permission(client):
    vacancy = OpenVacancyFactory()
    client.force_login(StaffUserFactory())
    assert client.get(view_on_site(vacancy)).status_code == 403
    consultant = StaffUserFactory()
    consultant.groups.add(Group.objects.get(name="Consultant"))
    client.force_login(consultant)
    response = client.get(view_on_site(vacancy))
    assert response.status_code == 302 and response.url == vacancy.get_absolute_url()
