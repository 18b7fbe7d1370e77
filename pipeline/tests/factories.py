from datetime import timedelta

import factory
from django.utils import timezone

from candidates.tests.factories import CandidateFactory
from jobs.tests.factories import OpenVacancyFactory, StaffUserFactory
from pipeline.models import FollowUp, PipelineEntry, Stage


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
