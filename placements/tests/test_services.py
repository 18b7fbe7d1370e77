import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection
from django.utils import timezone

from jobs.models import Vacancy
from jobs.tests.factories import ConsultantFactory, OpenVacancyFactory
from pipeline.models import FollowUp, PipelineEntry, StageMove
from pipeline.tests.factories import SourcedEntryFactory, stage
from placements.models import FeeSplit, InvoiceStatus, PlacedElsewhere, Placement
from placements.services import record_early_leave, withdraw_placement

from .factories import (
    OfferEntryFactory,
    consultant_with_login,
    place_contract,
    place_permanent,
)

pytestmark = pytest.mark.django_db
STARTED_50_DAYS_AGO = {
    "offer_accepted_on": timezone.localdate() - timedelta(days=60),
    "start_date": timezone.localdate() - timedelta(days=50),
}


def test_recording_a_placement_moves_the_entry_to_placed_and_logs_it():
    entry = OfferEntryFactory()
    placement = place_permanent(entry)
    entry.refresh_from_db()
    assert entry.stage.role == "placed"
    move = entry.moves.latest("moved_at")
    assert (move.from_stage.role, move.to_stage.role) == ("offer", "placed")
    assert move.note == f"Placement {placement.reference}"
    assert (placement.candidate, placement.vacancy, placement.client) == (
        entry.candidate,
        entry.vacancy,
        entry.vacancy.client,
    )


def test_a_permanent_fee_is_its_percentage_of_the_salary_split_to_the_penny():
    entry = OfferEntryFactory()
    other = ConsultantFactory()
    placement = place_permanent(
        entry,
        salary=Decimal("33333.33"),
        fee_percent=Decimal("17.5"),
        splits=[(entry.vacancy.consultant, Decimal(60)), (other, Decimal(40))],
    )
    assert placement.fee == Decimal("5833.33")
    shares = dict(placement.splits.values_list("consultant", "amount"))
    assert shares == {entry.vacancy.consultant.pk: Decimal("3500.00"), other.pk: Decimal("2333.33")}
    assert FeeSplit.objects.totals() == {"percent": Decimal(100), "amount": Decimal("5833.33")}


def test_a_fixed_fee_is_kept_without_a_percentage():
    placement = place_permanent(fee_percent=None, fee=Decimal("7500"))
    assert (placement.fee, placement.fee_percent) == (Decimal("7500.00"), None)


def test_a_fee_and_a_percentage_that_disagree_are_refused_and_nothing_is_saved():
    entry = OfferEntryFactory()
    with pytest.raises(ValidationError, match=r"The fee £9,000.00 is not 20 % of £50,000.00"):
        place_permanent(entry, fee=Decimal("9000"))
    assert not Placement.objects.exists() and not FeeSplit.objects.exists()
    entry.refresh_from_db()
    assert entry.stage.role == "offer" and not StageMove.objects.exists()


def test_a_fee_and_a_percentage_that_agree_are_accepted():
    assert place_permanent(fee=Decimal("10000.00")).fee == Decimal("10000.00")


@pytest.mark.parametrize(
    ("splits", "message"),
    [
        ([("a", "60"), ("b", "30")], "The shares add up to 90 %: they must make 100 %."),
        ([("a", "60"), ("a", "40")], "Each consultant can have one share"),
        ([("a", "100"), ("b", "0")], "Every share is more than 0 %."),
    ],
)
def test_bad_splits_are_refused_and_nothing_is_saved(splits, message):
    entry = OfferEntryFactory()
    people = {"a": entry.vacancy.consultant, "b": ConsultantFactory()}
    with pytest.raises(ValidationError, match=message):
        place_permanent(entry, splits=[(people[who], Decimal(p)) for who, p in splits])
    assert not Placement.objects.exists()
    entry.refresh_from_db()
    assert entry.stage.role == "offer"


def test_a_start_date_before_the_offer_is_refused():
    today = timezone.localdate()
    with pytest.raises(ValidationError, match="start date is before the offer"):
        place_permanent(offer_accepted_on=today, start_date=today - timedelta(days=1))
    assert not Placement.objects.exists()


def test_a_rebate_on_a_contract_placement_is_refused():
    with pytest.raises(ValidationError, match="A contract placement has no rebate"):
        place_contract(rebate_schedule="4:100")
    assert not Placement.objects.exists()


def test_a_candidate_already_placed_in_the_vacancy_cannot_be_placed_again():
    entry = OfferEntryFactory()
    place_permanent(entry)
    with pytest.raises(ValidationError, match="already placed in"):
        place_permanent(entry)
    assert Placement.objects.count() == 1 and FeeSplit.objects.count() == 1


def test_a_contract_margin_is_worked_out_from_the_rates_and_can_be_negative():
    placement = place_contract(
        rate_unit="hour",
        pay_rate=Decimal("25.55"),
        charge_rate=Decimal("31.25"),
        units_per_week=Decimal("37.5"),
        expected_weeks=13,
    )
    # (31.25 - 25.55) * 37.5 = 213.75 a week; * 13 = 2778.75 over the contract.
    assert (placement.margin_per_week, placement.expected_margin) == (
        Decimal("213.75"),
        Decimal("2778.75"),
    )
    assert placement.splits.get().amount == Decimal("2778.75")
    loss = place_contract(pay_rate=Decimal("510"), charge_rate=Decimal("500"))
    assert loss.expected_margin == Decimal("-1300.00") and loss.has_negative_margin
    assert loss.invoice_status == ""


def test_the_vacancy_is_filled_when_all_its_positions_are():
    vacancy = OpenVacancyFactory(positions=2)
    place_permanent(OfferEntryFactory(vacancy=vacancy))
    vacancy.refresh_from_db()
    assert vacancy.status == Vacancy.Status.OPEN
    place_permanent(OfferEntryFactory(vacancy=vacancy))
    vacancy.refresh_from_db()
    assert vacancy.status == Vacancy.Status.FILLED and vacancy.ended_at is not None


def test_the_candidates_other_active_pipelines_are_flagged_to_their_owners():
    entry = OfferEntryFactory(candidate__name="Zoë Nguyễn")
    owner = consultant_with_login()
    elsewhere = SourcedEntryFactory(candidate=entry.candidate, vacancy__consultant=owner)
    no_login = SourcedEntryFactory(candidate=entry.candidate)
    ended = SourcedEntryFactory(candidate=entry.candidate, stage=stage("withdrawn"))
    placement = place_permanent(entry)
    [follow_up] = FollowUp.objects.all()
    assert (follow_up.owner, follow_up.entry, follow_up.candidate) == (
        owner.user,
        elsewhere,
        entry.candidate,
    )
    assert follow_up.description == "Zoë Nguyễn was placed elsewhere"
    assert follow_up.due_on == timezone.localdate()
    notes = {note.entry: note for note in PlacedElsewhere.objects.all()}
    assert set(notes) == {elsewhere, no_login}
    assert notes[elsewhere].follow_up == follow_up and notes[no_login].follow_up is None
    assert notes[elsewhere].note.startswith(
        f"Zoë Nguyễn was placed elsewhere: {placement.vacancy.title}"
    )
    assert ended not in notes
    # Flagged, not moved: their owners decide.
    assert PipelineEntry.objects.get(pk=elsewhere.pk).stage.role == "new"


def test_an_early_leaver_gives_the_client_its_rebate_as_a_credit_shared_like_the_fee():
    entry = OfferEntryFactory()
    other = ConsultantFactory()
    placement = place_permanent(
        entry,
        salary=Decimal("40000"),
        fee_percent=Decimal("25"),
        **STARTED_50_DAYS_AGO,
        splits=[(entry.vacancy.consultant, Decimal(60)), (other, Decimal(40))],
    )
    placement.mark_invoiced("INV-1", timezone.localdate())
    record_early_leave(placement, placement.start_date + timedelta(days=40))  # week 6: 50 %
    placement.refresh_from_db()
    assert placement.credit == Decimal("5000.00") and placement.net_fee == Decimal("5000.00")
    assert placement.invoice_status == InvoiceStatus.CREDITED
    credits = dict(placement.splits.values_list("consultant", "credit"))
    assert credits == {
        entry.vacancy.consultant.pk: Decimal("3000.00"),
        other.pk: Decimal("2000.00"),
    }


def test_an_early_leaver_before_invoicing_leaves_the_rest_to_invoice():
    placement = place_permanent(**STARTED_50_DAYS_AGO)
    record_early_leave(placement, placement.start_date + timedelta(days=30))
    placement.refresh_from_db()
    assert placement.invoice_status == InvoiceStatus.TO_INVOICE
    assert placement.invoice_amount() == Decimal("5000.00")


def test_an_early_leaver_is_recorded_once_and_not_ahead_of_time():
    placement = place_permanent(**STARTED_50_DAYS_AGO)
    with pytest.raises(ValidationError, match="not before"):
        record_early_leave(placement, timezone.localdate() + timedelta(days=1))
    with pytest.raises(ValidationError, match="before the start date"):
        record_early_leave(placement, placement.start_date - timedelta(days=1))
    record_early_leave(placement, placement.start_date + timedelta(days=1))
    with pytest.raises(ValidationError, match="already recorded"):
        record_early_leave(placement, placement.start_date + timedelta(days=2))
    placement.refresh_from_db()
    assert placement.credit == placement.fee and placement.invoice_status == "credited"


def test_a_contract_has_no_rebate_on_leaving():
    placement = place_contract()
    with pytest.raises(ValidationError, match="no rebate"):
        record_early_leave(placement, placement.start_date)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_consultants_placing_the_same_candidate_at_once_make_one_placement():
    entry = OfferEntryFactory()
    barrier = threading.Barrier(2)
    outcomes = []

    def place():
        try:
            barrier.wait(timeout=10)
            place_permanent(PipelineEntry.objects.get(pk=entry.pk))
            outcomes.append("placed")
        except ValidationError as error:
            outcomes.append(error.messages[0])
        finally:
            connection.close()

    threads = [threading.Thread(target=place) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes)[1] == "placed"
    assert "already placed" in sorted(outcomes)[0] or "no longer active" in sorted(outcomes)[0]
    assert Placement.objects.count() == 1
    assert StageMove.objects.filter(entry=entry, to_stage__role="placed").count() == 1


def test_erasing_a_placed_candidate_keeps_the_placement_and_its_figures():
    from candidates.privacy import erase

    placement = place_permanent(**STARTED_50_DAYS_AGO)
    erase(placement.candidate)
    placement.refresh_from_db()
    assert (placement.candidate, placement.entry) == (None, None)
    assert placement.fee == Decimal("10000.00") and placement.splits.count() == 1


def test_the_database_refuses_figures_a_placement_of_its_kind_cannot_have():
    placement = place_permanent()
    with pytest.raises(IntegrityError):
        Placement.objects.filter(pk=placement.pk).update(pay_rate=Decimal("10"))


def test_withdrawing_a_placement_puts_everything_back_as_it_was_before():
    vacancy = OpenVacancyFactory(positions=1)
    entry = OfferEntryFactory(vacancy=vacancy)
    owner = consultant_with_login()
    SourcedEntryFactory(candidate=entry.candidate, vacancy__consultant=owner)
    placement = place_permanent(entry)
    vacancy.refresh_from_db()
    assert vacancy.status == Vacancy.Status.FILLED
    reference = placement.reference

    withdraw_placement(placement, by=owner.user)

    assert not Placement.objects.exists() and not FeeSplit.objects.exists()
    assert not PlacedElsewhere.objects.exists() and not FollowUp.objects.exists()
    entry.refresh_from_db()
    assert entry.stage.role == "offer"
    move = entry.moves.latest("moved_at")
    assert (move.from_stage.role, move.note) == (
        "placed",
        f"Placement {reference} withdrawn",
    )
    vacancy.refresh_from_db()
    assert (vacancy.status, vacancy.ended_at) == (Vacancy.Status.OPEN, None)


def test_withdrawing_keeps_a_vacancy_filled_by_hand_filled_and_follow_ups_already_done():
    vacancy = OpenVacancyFactory(positions=2)
    entry = OfferEntryFactory(vacancy=vacancy)
    owner = consultant_with_login()
    SourcedEntryFactory(candidate=entry.candidate, vacancy__consultant=owner)
    placement = place_permanent(entry)
    FollowUp.objects.get().complete(by=owner.user)
    vacancy.mark_filled()  # the client filled the other position themselves
    withdraw_placement(placement)
    vacancy.refresh_from_db()
    assert vacancy.status == Vacancy.Status.FILLED
    assert FollowUp.objects.get().done_at is not None


def test_an_invoiced_placement_is_corrected_by_a_credit_note_not_withdrawn():
    placement = place_permanent(**STARTED_50_DAYS_AGO)
    placement.invoice_status = InvoiceStatus.INVOICED
    placement.invoice_number, placement.invoiced_on = "INV-1", timezone.localdate()
    placement.save()
    with pytest.raises(ValidationError, match="credit note"):
        withdraw_placement(placement)
    assert Placement.objects.get() == placement
