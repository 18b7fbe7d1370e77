import factory

from candidates.tests.factories import CandidateFactory
from jobs.tests.factories import OpenVacancyFactory
from pipeline.models import PipelineEntry, Stage


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
