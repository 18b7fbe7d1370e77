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


@pytest.fixture
def shortlist(vacancy):
    """Kelly's vacancy at Acme Health, whose contacts are Priya (with an address) and Tom
    (without); Zoë and Ana shortlisted on it, each with a CV, an agreement and a profile."""
    from types import SimpleNamespace

    from .factories import ClientContactFactory, ShortlistedEntryFactory, ready_to_send

    client = vacancy.client
    client.name = "Acme Health Ltd"
    client.save()
    priya = ClientContactFactory(client=client, name="Priya Shah", email="priya@acme.example")
    tom = ClientContactFactory(client=client, name="Tom Reed", email="")
    zoe = ready_to_send(
        ShortlistedEntryFactory(
            vacancy=vacancy,
            candidate__name="Zoë Nguyễn",
            candidate__email="zoe@example.com",
            candidate__phone="07911 123456",
        )
    )
    ana = ready_to_send(
        ShortlistedEntryFactory(
            vacancy=vacancy,
            candidate__name="Ana Souza",
            candidate__email="ana@example.com",
            candidate__phone="07700 900123",
        ),
        cv=b"%PDF-1.4\n% Ana's CV\n%%EOF\n",
        name="Ana CV.pdf",
    )
    return SimpleNamespace(vacancy=vacancy, priya=priya, tom=tom, zoe=zoe, ana=ana)


@pytest.fixture
def send_cvs(shortlist):
    """send_cvs(entries=…, contacts=…): Kelly sends CVs with the starter covering note."""
    from pipeline import introductions
    from pipeline.models import EmailTemplate

    def send(entries=None, contacts=None, by=None):
        template = EmailTemplate.objects.for_purpose(EmailTemplate.Purpose.CLIENT_CVS).get()
        vacancy = shortlist.vacancy
        return introductions.send_cvs(
            vacancy=vacancy,
            entries=entries or [shortlist.zoe, shortlist.ana],
            contacts=contacts or [shortlist.priya],
            subject=template.subject,
            note=template.body,
            template=template,
            consultant=vacancy.consultant,
            by=by,
        )

    return send
