"""Recording a placement and what follows from it, each in one transaction."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from jobs.models import Vacancy
from pipeline.models import FollowUp, PipelineEntry, Stage

from . import money
from .models import FeeSplit, InvoiceStatus, PlacedElsewhere, Placement, PlacementKind, channel_of

PERMANENT_FIELDS = ("salary", "fee_percent", "fee", "rebate_schedule")
CONTRACT_FIELDS = (
    "rate_unit",
    "pay_rate",
    "charge_rate",
    "units_per_week",
    "expected_weeks",
    "ir35_status",
    "ir35_determined_on",
)


def fee_for(salary, fee_percent, fee):
    """The fee from a percentage of the salary, or a fixed one; both given must agree."""
    if fee_percent is None:
        if fee is None:
            raise ValidationError(
                {"fee": "Give the fee as a percentage of the salary or as an amount."}
            )
        return money.pounds(fee)
    worked_out = money.percent_of(salary, fee_percent)
    if fee is not None and money.pounds(fee) != worked_out:
        raise ValidationError(
            {
                "fee": f"The fee {money.as_money(money.pounds(fee))} is not "
                f"{fee_percent.normalize():f} % of {money.as_money(salary)} (that is "
                f"{money.as_money(worked_out)}): give one or the other, or make them agree."
            }
        )
    return worked_out


def contract_margins(pay_rate, charge_rate, units_per_week, expected_weeks):
    """(margin a week, margin over the expected length), each rounded once from the rates."""
    per_unit = Decimal(charge_rate) - Decimal(pay_rate)
    per_week = per_unit * Decimal(units_per_week)
    return money.pounds(per_week), money.pounds(per_week * expected_weeks)


def check_splits(splits):
    """splits: [(consultant, percent)]; they must be distinct and make 100 %."""
    if not splits:
        raise ValidationError("Share the fee between at least one consultant.")
    consultants = [consultant for consultant, _ in splits]
    if len(set(consultants)) != len(consultants):
        raise ValidationError("Each consultant can have one share: add their percentages up.")
    if any(percent <= 0 for _, percent in splits):
        raise ValidationError("Every share is more than 0 %.")
    total = sum((percent for _, percent in splits), Decimal(0))
    if total != 100:
        raise ValidationError(
            f"The shares add up to {total.normalize():f} %: they must make 100 %."
        )


def figures(kind, data):
    """The placement's own figures from what was typed: fee or margins, nothing else.

    Raises ValidationError, naming the field at fault where there is one.
    """
    if kind == PlacementKind.PERMANENT:
        if any(data.get(name) for name in CONTRACT_FIELDS):
            raise ValidationError(
                "Rates, hours and IR35 are for contract placements: clear them for a permanent one."
            )
        if data.get("salary") is None:
            raise ValidationError({"salary": "A permanent placement needs the salary."})
        try:
            money.parse_rebate_schedule(data.get("rebate_schedule", ""))
        except ValidationError as error:
            raise ValidationError({"rebate_schedule": error.messages}) from error
        return {
            "salary": money.pounds(data["salary"]),
            "fee_percent": data.get("fee_percent"),
            "fee": fee_for(data["salary"], data.get("fee_percent"), data.get("fee")),
            "rebate_schedule": data.get("rebate_schedule", ""),
            "invoice_status": InvoiceStatus.TO_INVOICE,
        }
    if data.get("rebate_schedule"):
        raise ValidationError(
            {
                "rebate_schedule": "A contract placement has no rebate: clear the rebate "
                "schedule (rebates are part of a permanent placement's terms)."
            }
        )
    if any(data.get(name) not in (None, "") for name in PERMANENT_FIELDS):
        raise ValidationError(
            "Salary and fee are for permanent placements: clear them for a contract "
            "(its margin comes from the rates)."
        )
    missing = [name for name in CONTRACT_FIELDS if data.get(name) in (None, "")]
    if missing:
        labels = [Placement._meta.get_field(name).verbose_name for name in missing]
        raise ValidationError(f"A contract placement needs: {', '.join(labels)}.")
    per_week, expected = contract_margins(
        data["pay_rate"], data["charge_rate"], data["units_per_week"], data["expected_weeks"]
    )
    return {
        **{name: data[name] for name in CONTRACT_FIELDS},
        "margin_per_week": per_week,
        "expected_margin": expected,
        "invoice_status": "",
    }


def latest_offer_date(entry):
    move = entry.moves.filter(to_stage__role=Stage.Role.OFFER).order_by("-moved_at").first()
    return timezone.localdate(move.moved_at) if move else None


@transaction.atomic
def record_placement(*, entry, by, kind, offer_accepted_on, start_date, splits, **data):
    """An accepted offer becomes a placement; returns it.

    In one transaction: the placement and its fee shares; the entry moved to "placed" (and
    logged); the vacancy marked filled once all its positions are; and each of the
    candidate's other active pipelines flagged to its consultant (a note and a follow-up).
    Raises ValidationError, with nothing saved, for bad figures or a second placement.
    """
    entry = (
        PipelineEntry.objects.select_for_update(of=("self",))
        .select_related("vacancy__client", "vacancy__consultant", "candidate", "enquiry__link")
        .get(pk=entry.pk)
    )
    if Placement.objects.filter(candidate=entry.candidate, vacancy=entry.vacancy).exists():
        raise ValidationError(f"{entry.candidate} is already placed in {entry.vacancy}.")
    if entry.stage.is_end:
        raise ValidationError(
            f"{entry.candidate} is no longer active on this vacancy ({entry.stage})."
        )
    if start_date < offer_accepted_on:
        raise ValidationError("The start date is before the offer was accepted.")
    check_splits(splits)
    placement = Placement(
        entry=entry,
        candidate=entry.candidate,
        vacancy=entry.vacancy,
        client=entry.vacancy.client,
        kind=kind,
        channel=channel_of(entry),
        link_sender=entry.enquiry.link.sender if entry.enquiry and entry.enquiry.link else None,
        applied_at=entry.created_at,
        offer_accepted_on=offer_accepted_on,
        start_date=start_date,
        placed_by=by,
        payment_days=data.get("payment_days", 30),
        notes=data.get("notes", ""),
        **figures(kind, data),
    )
    placement.full_clean(exclude=["entry"])
    try:
        with transaction.atomic():
            placement.save()
    except IntegrityError as error:  # a second placement that got past the check above
        raise ValidationError(f"{entry.candidate} is already placed in {entry.vacancy}.") from error
    amounts = money.split(placement.value, [percent for _, percent in splits])
    FeeSplit.objects.bulk_create(
        FeeSplit(placement=placement, consultant=consultant, percent=percent, amount=amount)
        for (consultant, percent), amount in zip(splits, amounts, strict=True)
    )
    entry.move_to(
        Stage.objects.with_role(Stage.Role.PLACED), by=by, note=f"Placement {placement.reference}"
    )
    fill_if_complete(entry.vacancy)
    flag_other_pipelines(placement, by=by)
    return placement


def fill_if_complete(vacancy):
    """Mark the vacancy filled once it has as many placements as positions."""
    vacancy = Vacancy.objects.select_for_update().get(pk=vacancy.pk)
    placed = Placement.objects.filter(vacancy=vacancy).count()
    if placed >= vacancy.positions and vacancy.status != Vacancy.Status.FILLED:
        vacancy.mark_filled()


def can_withdraw(placement):
    """Only a placement not yet invoiced: after that, a credit note corrects it."""
    return placement.invoice_status in ("", InvoiceStatus.TO_INVOICE)


@transaction.atomic
def withdraw_placement(placement, *, by=None):
    """Undo a placement recorded by mistake (or an offer that fell through before the start).

    In one transaction: the candidate's entry goes back to "Offer" (logged), the vacancy is
    open again if this placement had filled it, the "placed elsewhere" follow-ups not yet done
    are removed, and the placement with its shares and flags is deleted.
    """
    if not can_withdraw(placement):
        raise ValidationError(
            f"{placement.reference} has been invoiced: correct it with a credit note instead."
        )
    reference, entry = placement.reference, placement.entry
    vacancy = Vacancy.objects.select_for_update().get(pk=placement.vacancy_id)
    # Filled by its placements (fill_if_complete), not by hand for another reason.
    filled_by_placements = (
        vacancy.status == Vacancy.Status.FILLED and vacancy.placements.count() >= vacancy.positions
    )
    FollowUp.objects.filter(
        pk__in=placement.flags.values("follow_up"), done_at__isnull=True
    ).delete()
    placement.delete()
    if entry is not None and entry.stage.role == Stage.Role.PLACED:
        offer = Stage.objects.with_role(Stage.Role.OFFER)
        entry.move_to(offer, by=by, note=f"Placement {reference} withdrawn")
    if filled_by_placements and vacancy.placements.count() < vacancy.positions:
        vacancy.reopen_unfilled()


def flag_other_pipelines(placement, *, by=None):
    """Tell each consultant with the candidate on another active pipeline that they are
    taken: a note on that entry, and a follow-up on the consultant's desk."""
    others = (
        PipelineEntry.objects.active()
        .filter(candidate=placement.candidate)
        .exclude(pk=placement.entry_id)
        .select_related("vacancy__consultant__user")
    )
    today = timezone.localdate()
    vacancy = placement.vacancy
    for other in others:
        note = (
            f"{placement.candidate} was placed elsewhere: {vacancy.title} ({vacancy.reference}), "
            f"starting {placement.start_date.day} {placement.start_date:%b %Y}."
        )
        owner = other.vacancy.consultant.user
        follow_up = None
        if owner is not None:
            follow_up = FollowUp.objects.create(
                owner=owner,
                entry=other,
                candidate=placement.candidate,
                due_on=today,
                description=f"{placement.candidate} was placed elsewhere"[:200],
                created_by=by,
            )
        PlacedElsewhere.objects.create(
            placement=placement, entry=other, follow_up=follow_up, note=note[:300]
        )


@transaction.atomic
def record_early_leave(placement, left_on):
    """A permanent candidate left early: the rebate their client's terms give back, as a
    credit, shared between the consultants as the fee was."""
    placement = Placement.objects.select_for_update().get(pk=placement.pk)
    if not placement.is_permanent:
        raise ValidationError("A contract placement has no rebate.")
    if placement.left_on is not None:
        raise ValidationError("This placement's early leaving is already recorded.")
    if left_on < placement.start_date:
        raise ValidationError("The last day is before the start date.")
    if left_on > timezone.localdate():
        raise ValidationError("Record an early leaver on or after their last day, not before.")
    percent = money.rebate_percent(placement.rebate_bands, placement.start_date, left_on)
    credit = money.percent_of(placement.fee, percent)
    placement.left_on, placement.credit = left_on, credit
    fields = ["left_on", "credit"]
    if credit > 0 and (
        placement.invoice_status != InvoiceStatus.TO_INVOICE or credit == placement.fee
    ):
        # Invoiced already: a credit note is due. Not invoiced and all of it refunded:
        # nothing is left to invoice. (Otherwise the invoice, when raised, is for the rest.)
        placement.invoice_status = InvoiceStatus.CREDITED
        placement.credited_on = timezone.localdate()
        fields += ["invoice_status", "credited_on"]
    placement.save(update_fields=fields)
    splits = list(placement.splits.order_by("pk"))
    shares = money.split(credit, [split.percent for split in splits])
    for split, share in zip(splits, shares, strict=True):
        split.credit = share
    FeeSplit.objects.bulk_update(splits, ["credit"])
    return placement
