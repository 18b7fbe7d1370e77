from datetime import timedelta

import factory
from django.utils import timezone

from jobs.models import Client, Consultant, Sector, Vacancy


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "accounts.User"
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@samsmall.example")


class StaffUserFactory(UserFactory):
    is_staff = True


class SuperUserFactory(StaffUserFactory):
    is_superuser = True


class SectorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sector
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Sector {n}")
    slug = factory.LazyAttribute(lambda sector: sector.name.lower().replace(" ", "-"))


class ConsultantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consultant

    name = factory.Sequence(lambda n: f"Consultant {n}")
    job_title = "Senior Consultant"
    email = factory.Sequence(lambda n: f"consultant{n}@samsmall.example")
    phone = "020 7946 0123"


class ClientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Client

    name = factory.Sequence(lambda n: f"Client {n} Ltd")


class ConfidentialClientFactory(ClientFactory):
    name = "Hidden Healthcare Comms Ltd"
    is_confidential = True
    public_description = "a global healthcare communications agency"


class DraftVacancyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vacancy

    title = factory.Sequence(lambda n: f"Account Manager {n}")
    client = factory.SubFactory(ClientFactory)
    consultant = factory.SubFactory(ConsultantFactory)
    sector = factory.SubFactory(SectorFactory, name="PR, Advertising & Marketing")
    location = "London"
    summary = "Run a portfolio of consumer PR accounts."
    description = "### The role\n\n- Run accounts.\n- Win coverage."
    salary_min = 40000
    salary_max = 50000


class OpenVacancyFactory(DraftVacancyFactory):
    status = Vacancy.Status.OPEN
    published_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))


class ScheduledVacancyFactory(OpenVacancyFactory):
    published_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=2))


class ExpiredVacancyFactory(OpenVacancyFactory):
    closes_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=1))


class ClosedVacancyFactory(OpenVacancyFactory):
    status = Vacancy.Status.CLOSED


class FilledVacancyFactory(OpenVacancyFactory):
    status = Vacancy.Status.FILLED
