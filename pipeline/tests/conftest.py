import pytest
from django.contrib.auth.models import Group
from django.test import Client

from candidates.tests.factories import CandidateFactory
from jobs.tests.factories import ConsultantFactory, OpenVacancyFactory, StaffUserFactory


@pytest.fixture
def consultant_client(client):
    """Raj, a consultant in the Consultant group, logged in, with a public profile."""
    user = StaffUserFactory(username="raj", first_name="Raj", last_name="Patel")
    user.groups.add(Group.objects.get(name="Consultant"))
    client.force_login(user)
    client.user = user
    client.consultant = ConsultantFactory(name="Raj Patel", email="raj@samsmall.example", user=user)
    return client


@pytest.fixture
def vacancy():
    """A live job owned by Kelly, who has a login of her own."""
    kelly = StaffUserFactory(username="kelly", first_name="Kelly", last_name="Small")
    owner = ConsultantFactory(name="Kelly Small", email="kelly@samsmall.example", user=kelly)
    return OpenVacancyFactory(title="PR Healthcare Account Director", consultant=owner)


@pytest.fixture
def objected():
    """objected(email): someone a consultant added used their link to object."""
    from pipeline.models import PrivacyNotice

    def object_to_us(email="zoe@example.com"):
        notice = PrivacyNotice.objects.create(
            candidate=CandidateFactory(email=email, consent_at=None)
        )
        Client().post(notice.get_absolute_url())
        return notice

    return object_to_us
