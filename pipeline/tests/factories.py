from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import factory
from django.utils import timezone

from candidates.tests.factories import CandidateFactory, give_cv
from jobs.models import ClientContact
from jobs.tests.factories import ClientFactory, OpenVacancyFactory, StaffUserFactory
from pipeline.models import (
    Agreement,
    ClientProfile,
    FollowUp,
    Interview,
    PipelineEntry,
    Stage,
)


def stage(role):
    """One of the default stages made by the pipeline's data migration."""
    return Stage.objects.get(role=role)


class SourcedEntryFactory(factory.django.DjangoModelFactory):
    """A candidate a consultant found and put on a live job's pipeline, at its first stage."""

    class Meta:
        model = PipelineEntry

    candidate = factory.SubFactory(CandidateFactory)
    vacancy = factory.SubFactory(OpenVacancyFactory)
    stage = factory.LazyFunction(lambda: stage(Stage.Role.NEW))
    source = PipelineEntry.Source.DATABASE


class ShortlistedEntryFactory(SourcedEntryFactory):
    stage = factory.LazyFunction(lambda: stage(Stage.Role.SHORTLISTED))


class FollowUpFactory(factory.django.DjangoModelFactory):
    """A follow-up due today, on its owner's desk."""

    class Meta:
        model = FollowUp

    owner = factory.SubFactory(StaffUserFactory)
    due_on = factory.LazyFunction(timezone.localdate)
    description = factory.Sequence(lambda n: f"Chase client feedback {n}")


class OverdueFollowUpFactory(FollowUpFactory):
    due_on = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=2))


class ClientContactFactory(factory.django.DjangoModelFactory):
    """Someone at a client, with an email address."""

    class Meta:
        model = ClientContact

    client = factory.SubFactory(ClientFactory)
    name = factory.Sequence(lambda n: f"Contact {n}")
    email = factory.Sequence(lambda n: f"contact{n}@client.example")


class AgreementFactory(factory.django.DjangoModelFactory):
    """The candidate agreed by phone to be put forward to the client."""

    class Meta:
        model = Agreement

    candidate = factory.SubFactory(CandidateFactory)
    client = factory.SubFactory(ClientFactory)
    how = Agreement.How.PHONE


class ClientProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ClientProfile

    entry = factory.SubFactory(ShortlistedEntryFactory)
    headline = "Account Director, ten years in healthcare PR"
    summary = "Leads a team of six; won three pharma launches last year."
    salary_expectation = "£60,000"
    notice_period = "One month"


def ready_to_send(entry, cv=b"%PDF-1.4\n% Zoe's CV\n%%EOF\n", name="Zoë CV.pdf"):
    """A shortlisted entry whose CV can go to its vacancy's client: a stored CV, their
    agreement and a client profile."""
    give_cv(entry.candidate, cv, name)
    AgreementFactory(candidate=entry.candidate, client=entry.vacancy.client)
    ClientProfileFactory(entry=entry)
    return entry


class InterviewFactory(factory.django.DjangoModelFactory):
    """A 1st interview tomorrow at 10:00 London time, for an hour, in the client's office."""

    class Meta:
        model = Interview

    entry = factory.SubFactory(ShortlistedEntryFactory)
    round = Interview.Round.FIRST
    starts_at = factory.LazyFunction(
        lambda: datetime.combine(
            timezone.localdate() + timedelta(days=1), time(10), tzinfo=ZoneInfo("Europe/London")
        )
    )
    ends_at = factory.LazyAttribute(lambda interview: interview.starts_at + timedelta(hours=1))
    location = "1 Fleet Street, London"
