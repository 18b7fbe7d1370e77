"""Placements to invoice, as a file Xero's sales invoice import reads.

The columns are those of Xero's sales invoice import template that it requires (ContactName,
InvoiceNumber, InvoiceDate, DueDate, Description, Quantity, UnitAmount, AccountCode,
TaxType), with Reference and Currency beside them. Dates are day/month/year, as a UK Xero
organisation reads them; amounts are before VAT: choose "Tax exclusive" when importing.
The invoice number is the placement's reference (PL-000042), so importing the same file
twice is refused by Xero rather than billing the client twice.
"""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from recruitment.spreadsheets import csv_response

from .money import as_money

XERO_COLUMNS = [
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


def description(placement):
    fee = (
        f"{placement.fee_percent.normalize():f} % of a salary of {as_money(placement.salary)}"
        if placement.fee_percent is not None
        else "fixed fee"
    )
    text = (
        f"Permanent placement: {placement.candidate or 'candidate'} as {placement.vacancy.title}, "
        f"starting {placement.start_date:%d/%m/%Y} ({fee})"
    )
    if placement.credit:
        text += f", less a rebate of {as_money(placement.credit)}"
    return text


def xero_rows(placements, today=None):
    today = today or timezone.localdate()
    for placement in placements:
        due = today + timedelta(days=placement.payment_days)
        yield [
            placement.client.name,
            placement.reference,
            placement.vacancy.reference,
            f"{today:%d/%m/%Y}",
            f"{due:%d/%m/%Y}",
            description(placement),
            1,
            f"{placement.invoice_amount():.2f}",
            settings.INVOICE_ACCOUNT_CODE,
            settings.INVOICE_TAX_TYPE,
            "GBP",
        ]


def xero_csv(placements, today=None):
    today = today or timezone.localdate()
    return csv_response(
        f"invoices-{today:%Y-%m-%d}.csv", XERO_COLUMNS, xero_rows(placements, today)
    )
