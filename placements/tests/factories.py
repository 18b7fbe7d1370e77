from datetime import date, timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from jobs.tests.factories import ClientFactory, ConsultantFactory
from pipeline.models import Stage
from pipeline.tests.factories import SourcedEntryFactory, stage
from placements.models import TermsOfBusiness
from placements.services import record_placement


class TermsFactory(factory.django.DjangoModelFactory):
    """Usual terms: 20 % of salary, all back within 4 weeks, half within 8, nothing after 12."""

    class Meta:
        model = TermsOfBusiness

    client = factory.SubFactory(ClientFactory)
    fee_percent = Decimal("20.00")
    rebate_schedule = "4:100, 8:50, 12:0"
    payment_days = 30
    agreed_on = date(2026, 1, 5)


class OfferEntryFactory(SourcedEntryFactory):
    """A candidate at the offer stage of a live job."""

    stage = factory.LazyFunction(lambda: stage(Stage.Role.OFFER))


def place_permanent(entry=None, *, by=None, splits=None, **figures):
    """Record a permanent placement through the service, with usual figures."""
    entry = entry or OfferEntryFactory()
    today = timezone.localdate()
    data = {
        "kind": "permanent",
        "offer_accepted_on": today,
        "start_date": today + timedelta(days=14),
        "salary": Decimal("50000.00"),
        "fee_percent": Decimal("20.00"),
        "rebate_schedule": "4:100, 8:50, 12:0",
        **figures,
    }
    return record_placement(
        entry=entry,
        by=by,
        splits=splits or [(entry.vacancy.consultant, Decimal(100))],
        **data,
    )


def place_contract(entry=None, *, by=None, splits=None, **figures):
    entry = entry or OfferEntryFactory(vacancy__contract_type="contract")
    today = timezone.localdate()
    data = {
        "kind": "contract",
        "offer_accepted_on": today,
        "start_date": today + timedelta(days=7),
        "rate_unit": "day",
        "pay_rate": Decimal("400.00"),
        "charge_rate": Decimal("500.00"),
        "units_per_week": Decimal("5"),
        "expected_weeks": 26,
        "ir35_status": "outside",
        "ir35_determined_on": today,
        **figures,
    }
    return record_placement(
        entry=entry,
        by=by,
        splits=splits or [(entry.vacancy.consultant, Decimal(100))],
        **data,
    )


def consultant_with_login(**kwargs):
    from jobs.tests.factories import StaffUserFactory

    return ConsultantFactory(user=StaffUserFactory(), **kwargs)
