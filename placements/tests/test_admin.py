import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from candidates.tests.factories import exe_renamed_pdf, pdf_cv
from jobs.models import Vacancy
from jobs.tests.factories import ConsultantFactory, OpenVacancyFactory, StaffUserFactory
from pipeline.models import StageMove
from placements.models import FeeSplit, Placement, TermsOfBusiness
from recruitment.tests.admin_pages import admin_form

from .factories import OfferEntryFactory, TermsFactory, place_contract, place_permanent
from .history import known_history

pytestmark = pytest.mark.django_db
RECORD = "admin:placements_placement_record_entry"


def staff(group, consultant=None, **kwargs):
    user = StaffUserFactory(**kwargs)
    user.groups.add(Group.objects.get(name=group))
    if consultant is not None:
        consultant.user = user
        consultant.save()
    return user


def record_data(**overrides):
    """What a consultant posts for a permanent placement shared 60/40."""
    today = timezone.localdate()
    data = {
        "kind": "permanent",
        "offer_accepted_on": today.isoformat(),
        "start_date": (today + timedelta(days=14)).isoformat(),
        "payment_days": "30",
        "salary": "45000",
        "fee_percent": "20",
        "fee": "",
        "rebate_schedule": "4:100, 8:50",
        "rate_unit": "",
        "pay_rate": "",
        "charge_rate": "",
        "units_per_week": "",
        "expected_weeks": "",
        "ir35_status": "",
        "ir35_determined_on": "",
        "notes": "",
        "split-TOTAL_FORMS": "3",
        "split-INITIAL_FORMS": "1",
        "split-MIN_NUM_FORMS": "0",
        "split-MAX_NUM_FORMS": "6",
        "split-0-consultant": "",
        "split-0-percent": "60",
        "split-1-consultant": "",
        "split-1-percent": "40",
        "split-2-consultant": "",
        "split-2-percent": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def offer():
    return OfferEntryFactory(vacancy=OpenVacancyFactory(client=TermsFactory().client))


@pytest.fixture
def consultant_client(client, offer):
    client.force_login(staff("Consultant", offer.vacancy.consultant))
    return client


def post_record(client, entry, **overrides):
    second = ConsultantFactory()
    data = record_data(
        **{"split-0-consultant": str(entry.vacancy.consultant.pk)},
        **{"split-1-consultant": str(second.pk)},
    )
    data.update(overrides)
    return client.post(reverse(RECORD, args=[entry.pk]), data), second


def test_offers_waiting_are_listed_with_a_link_to_record_each(consultant_client, offer):
    response = consultant_client.get(reverse("admin:placements_placement_record"))
    assert response.status_code == 200
    assert reverse(RECORD, args=[offer.pk]) in response.content.decode()


def test_the_form_starts_from_the_clients_terms_and_the_vacancys_consultant(
    consultant_client, offer
):
    terms = TermsOfBusiness.objects.get()
    response = consultant_client.get(reverse(RECORD, args=[offer.pk]))
    form, splits = response.context["form"], response.context["splits"]
    assert form["fee_percent"].value() == terms.fee_percent
    assert form["rebate_schedule"].value() == "4:100, 8:50, 12:0"
    assert form["kind"].value() == "permanent"
    assert splits.forms[0]["consultant"].value() == offer.vacancy.consultant.pk
    assert splits.forms[0]["percent"].value() == 100


def test_a_consultant_records_a_placement_with_a_split(consultant_client, offer):
    response, second = post_record(consultant_client, offer)
    placement = Placement.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:placements_placement_change", args=[placement.pk])
    assert placement.fee == Decimal("9000.00")
    assert dict(placement.splits.values_list("consultant", "amount")) == {
        offer.vacancy.consultant.pk: Decimal("5400.00"),
        second.pk: Decimal("3600.00"),
    }
    offer.refresh_from_db()
    assert offer.stage.role == "placed"
    assert Vacancy.objects.get(pk=offer.vacancy.pk).status == "filled"
    page = consultant_client.get(response["Location"]).content.decode()
    assert "recorded" in page and "£9,000.00 (20 % of £45,000.00)" in page


def nothing_saved(entry):
    entry.refresh_from_db()
    return (
        not Placement.objects.exists()
        and not FeeSplit.objects.exists()
        and entry.stage.role == "offer"
        and not StageMove.objects.filter(entry=entry).exists()
        and Vacancy.objects.get(pk=entry.vacancy.pk).status == "open"
    )


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"split-1-percent": "30"}, None, "The shares add up to 90 %: they must make 100 %."),
        ({"fee": "9500"}, "fee", "The fee £9,500.00 is not 20 % of £45,000.00"),
        (
            {"start_date": (timezone.localdate() - timedelta(days=1)).isoformat()},
            "start_date",
            "The start date is before the offer was accepted.",
        ),
        (
            {
                "kind": "contract",
                "salary": "",
                "fee_percent": "",
                "rate_unit": "day",
                "pay_rate": "400",
                "charge_rate": "500",
                "units_per_week": "5",
                "expected_weeks": "12",
                "ir35_status": "inside",
                "ir35_determined_on": timezone.localdate().isoformat(),
            },
            "rebate_schedule",
            "A contract placement has no rebate",
        ),
        ({"salary": "-1"}, "salary", "Ensure this value is greater than or equal to"),
        ({"split-2-consultant": "", "split-2-percent": "10"}, None, "needs both a consultant"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message_and_nothing_saved(
    consultant_client, offer, overrides, field, message
):
    response, _ = post_record(consultant_client, offer, **overrides)
    assert response.status_code == 400
    assert message in response.content.decode().replace("&#x27;", "'")
    if field:  # beside the field it is about
        assert message in " ".join(response.context["form"].errors[field])
    assert response.context["form"]["salary"].value() == overrides.get("salary", "45000")
    assert nothing_saved(offer)


def test_a_candidate_already_placed_in_the_vacancy_is_refused(consultant_client, offer):
    post_record(consultant_client, offer)
    response, _ = post_record(consultant_client, offer)
    assert response.status_code == 400
    assert "is already placed in" in response.content.decode()
    assert Placement.objects.count() == 1


def test_a_negative_contract_margin_is_allowed_and_shown_in_red(consultant_client, offer):
    response, _ = post_record(
        consultant_client,
        offer,
        kind="contract",
        salary="",
        fee_percent="",
        rebate_schedule="",
        rate_unit="hour",
        pay_rate="52.50",
        charge_rate="50.00",
        units_per_week="37.5",
        expected_weeks="10",
        ir35_status="inside",
        ir35_determined_on=timezone.localdate().isoformat(),
    )
    assert response.status_code == 302
    page = consultant_client.get(response["Location"]).content.decode()
    assert '<strong class="placement-negative">−£937.50 (negative margin over the contract' in page
    assert "placements/admin.css" in page


def test_a_consultant_sees_only_placements_they_share_in(client):
    mine = place_permanent()
    theirs = place_permanent()
    client.force_login(staff("Consultant", mine.vacancy.consultant))
    page = client.get(reverse("admin:placements_placement_changelist")).content.decode()
    assert mine.reference in page and theirs.reference not in page
    response = client.get(reverse("admin:placements_placement_change", args=[theirs.pk]))
    assert response.status_code == 302  # the admin's "does not exist" redirect


def test_invoice_payment_and_early_leaving_are_recorded_from_the_placement(client):
    today = timezone.localdate()
    placement = place_permanent(
        offer_accepted_on=today - timedelta(days=60), start_date=today - timedelta(days=50)
    )
    client.force_login(staff("Manager"))
    state = "admin:placements_placement_state"
    response = client.post(
        reverse(state, args=[placement.pk, "invoiced"]),
        {"number": "INV-0042", "on": (today - timedelta(days=40)).isoformat()},
    )
    assert response.status_code == 302
    response = client.post(
        reverse(state, args=[placement.pk, "paid"]),
        {"on": (today - timedelta(days=45)).isoformat()},
    )
    assert response.status_code == 400
    assert "cannot be paid before it was invoiced" in response.content.decode()
    client.post(reverse(state, args=[placement.pk, "paid"]), {"on": today.isoformat()})
    response = client.post(
        reverse(state, args=[placement.pk, "left-early"]),
        {"on": (today - timedelta(days=10)).isoformat()},
    )
    assert response.status_code == 302
    placement.refresh_from_db()
    assert (placement.invoice_number, placement.paid_on) == ("INV-0042", today)
    assert (placement.credit, placement.invoice_status) == (Decimal("5000.00"), "credited")
    response = client.post(reverse(state, args=[placement.pk, "paid"]), {"on": today.isoformat()})
    assert response.status_code == 400 and "cannot be done now" in response.content.decode()


def test_an_unknown_state_is_not_found_and_a_get_changes_nothing(client):
    placement = place_permanent()
    client.force_login(staff("Manager"))
    state = "admin:placements_placement_state"
    url = reverse(state, args=[placement.pk, "paid"]).replace("paid", "burn")
    assert client.get(url).status_code == 302  # the admin's way with addresses it does not know
    assert client.get(reverse(state, args=[placement.pk, "invoiced"])).status_code == 200
    placement.refresh_from_db()
    assert placement.invoice_status == "to_invoice"


def test_the_placements_to_invoice_export_for_xero_and_are_marked_invoiced(client):
    today = timezone.localdate()
    started = place_permanent(
        offer_accepted_on=today - timedelta(days=3),
        start_date=today,
        salary=Decimal("50000"),
        entry=OfferEntryFactory(vacancy__client__name="=HYPERLINK(evil)"),
    )
    place_permanent()  # starts in two weeks: not yet
    place_contract()  # billed from timesheets
    client.force_login(staff("Manager"))
    url = reverse("admin:placements_placement_invoices")
    response = client.get(url + "?format=csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == [
        "ContactName",
        "InvoiceNumber",
        "Reference",
        "InvoiceDate",
        "DueDate",
        "Description",
        "Quantity",
        "UnitAmount",
        "AccountCode",
        "TaxType",
        "Currency",
    ]
    [row] = rows[1:]
    assert row[0] == "'=HYPERLINK(evil)"  # kept as text, never a formula
    assert row[1] == started.reference
    assert row[3:5] == [f"{today:%d/%m/%Y}", f"{today + timedelta(days=30):%d/%m/%Y}"]
    assert row[6:] == ["1", "10000.00", "200", "20% (VAT on Income)", "GBP"]
    assert "private, no-store" in response["Cache-Control"]

    response = client.post(url, {"placement": [str(started.pk)]})
    assert response.status_code == 302
    started.refresh_from_db()
    assert (started.invoice_status, started.invoice_number, started.invoiced_on) == (
        "invoiced",
        started.reference,
        today,
    )
    assert Placement.objects.filter(invoice_status="to_invoice").count() == 1


def test_terms_of_business_keep_their_document_private(client):
    manager = staff("Manager")
    client.force_login(manager)
    terms = TermsFactory(rebate_schedule="")
    url = reverse("admin:placements_termsofbusiness_change", args=[terms.pk])
    page = client.get(url)
    data = {
        key: value[0]
        for key, value in __import__("recruitment.tests.admin_pages", fromlist=["admin_form"])
        .admin_form(page)
        .items()
    }
    data["document"] = pdf_cv("Acme terms 2026.pdf")
    response = client.post(url, data)
    assert response.status_code == 302
    terms.refresh_from_db()
    assert terms.document.name.startswith("terms/") and "Acme" not in terms.document.name
    assert terms.document_name == "Acme terms 2026.pdf"
    page = client.get(url).content.decode()
    download = reverse("admin:placements_termsofbusiness_document", args=[terms.pk])
    assert download in page
    response = client.get(download)
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_a_terms_document_that_is_not_a_document_is_refused(client):
    client.force_login(staff("Manager"))
    terms = TermsFactory()
    url = reverse("admin:placements_termsofbusiness_change", args=[terms.pk])
    data = {key: value[0] for key, value in admin_form(client.get(url)).items()}
    data["document"] = exe_renamed_pdf()
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Upload the terms as a PDF" in response.content.decode()
    terms.refresh_from_db()
    assert not terms.document


def test_a_bad_rebate_schedule_in_the_terms_is_refused(client):
    client.force_login(staff("Manager"))
    client_record = TermsFactory.build().client
    client_record.save()
    response = client.post(
        reverse("admin:placements_termsofbusiness_add"),
        {
            "client": client_record.pk,
            "fee_percent": "120",
            "rebate_schedule": "8:50, 4:100",
            "payment_days": "30",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "from the shortest time to the longest" in page
    assert "A fee percentage is between 0 and 100." in page
    assert not TermsOfBusiness.objects.exists()


# The numbers


NUMBERS = "admin:placements_placement_numbers"


def period(history):
    return {"start": history.start.isoformat(), "end": history.end.isoformat()}


def test_a_manager_sees_the_teams_numbers_with_charts_and_tables(client):
    history = known_history()
    client.force_login(staff("Manager"))
    response = client.get(reverse(NUMBERS), period(history))
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('<svg class="numbers-chart" role="img"') == 3
    assert '<title id="chart-consultants-title">Net fees by consultant</title>' in page
    assert "Alice Adams: £9,000.00; Bob Brown: £4,000.00" in page  # the chart in words
    assert '<th scope="row">Team</th><td>38</td><td>40</td><td>12</td><td>5</td><td>3</td>' in page
    assert "£13,000.00" in page and "£1,000.00" in page  # net fees; £ per link sent


def test_a_consultant_sees_only_their_own_numbers(client):
    history = known_history()
    client.force_login(history.bob.user)
    history.bob.user.groups.add(Group.objects.get(name="Consultant"))
    response = client.get(reverse(NUMBERS), period(history))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Bob Brown" in page and "Alice Adams" not in page
    assert "Team" not in page and "£4,000.00" in page and "£13,000.00" not in page


def test_staff_without_a_consultant_profile_or_the_teams_numbers_are_refused(client):
    client.force_login(staff("Consultant"))
    assert client.get(reverse(NUMBERS)).status_code == 403


def test_a_period_that_ends_before_it_starts_is_refused(client):
    client.force_login(staff("Manager"))
    response = client.get(reverse(NUMBERS), {"start": "2026-05-02", "end": "2026-05-01"})
    assert response.status_code == 400
    assert "The period ends before it starts." in response.content.decode()
    response = client.get(reverse(NUMBERS), {"start": "yesterday", "end": "2026-05-01"})
    assert response.status_code == 400


def test_every_table_downloads_as_csv(client):
    history = known_history()
    client.force_login(staff("Manager"))
    for table in ("activity", "fees", "sources", "links", "stages"):
        response = client.get(reverse(NUMBERS), {**period(history), "csv": table})
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        rows = list(csv.reader(io.StringIO(response.content.decode())))
        assert len(rows) > 1
    fees = client.get(reverse(NUMBERS), {**period(history), "csv": "fees"}).content.decode()
    assert fees.splitlines()[-1].startswith("Team,2,0,") and "£13,000.00" in fees
    assert client.get(reverse(NUMBERS), {"csv": "secrets"}).status_code == 400


def test_the_report_takes_the_same_number_of_queries_whatever_the_history(client):
    manager = staff("Manager")
    client.force_login(manager)
    today = timezone.localdate()
    wanted = {"start": (today - timedelta(days=80)).isoformat(), "end": today.isoformat()}
    client.get(reverse(NUMBERS), wanted)  # the session and content types, once
    with CaptureQueriesContext(connection) as empty:
        assert client.get(reverse(NUMBERS), wanted).status_code == 200
    known_history()
    place_contract()
    with CaptureQueriesContext(connection) as busy:
        assert client.get(reverse(NUMBERS), wanted).status_code == 200
    # 13 for the report (the login's consultant; how far it is rolled up; rolled-up stages
    # and sources; the live moves' arrivals, stays and sources; stages; shares, placements
    # and placements through links; links; names) and 7 for the session, the login and its
    # permissions.
    assert len(busy.captured_queries) == len(empty.captured_queries) == 20


def test_a_start_date_moved_before_the_offer_is_refused_on_the_placement_page(client):
    placement = place_permanent()
    client.force_login(staff("Manager"))
    url = reverse("admin:placements_placement_change", args=[placement.pk])
    data = {key: value[0] for key, value in admin_form(client.get(url)).items()}
    data["start_date"] = (placement.offer_accepted_on - timedelta(days=1)).isoformat()
    response = client.post(url, data)
    assert response.status_code == 200
    assert "The start date is before the offer was accepted." in response.content.decode()
    data["start_date"] = (placement.start_date + timedelta(days=7)).isoformat()
    assert client.post(url, data).status_code == 302
    placement.refresh_from_db()
    assert placement.start_date == timezone.localdate() + timedelta(days=21)


def test_deleting_a_placement_in_the_admin_withdraws_it_but_never_once_invoiced(client):
    client.force_login(staff("Manager"))
    placement = place_permanent()
    url = reverse("admin:placements_placement_delete", args=[placement.pk])
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not Placement.objects.exists()
    assert placement.entry.moves.latest("moved_at").to_stage.role == "offer"

    invoiced = place_permanent()
    invoiced.invoice_status = "invoiced"
    invoiced.invoice_number, invoiced.invoiced_on = "INV-7", timezone.localdate()
    invoiced.save()
    url = reverse("admin:placements_placement_delete", args=[invoiced.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert Placement.objects.get() == invoiced
    changelist = client.get(reverse("admin:placements_placement_changelist"))
    assert "delete_selected" not in changelist.content.decode()
