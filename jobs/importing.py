"""Import job adverts from `Key: value` records or CSV files of public advert datasets.

Each advert is matched on its external reference (Id or Webindex), so importing
a file again updates what it imported before instead of duplicating it. A bad
row is reported with its line number and skipped; the good rows are kept.
"""

import csv
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from .markup import POSTED_AS, advert_text_to_markdown, split_sentences
from .models import Client, Sector, Vacancy, VacancyStatus

COLUMNS = {
    "title": ("Title",),
    "company": ("Company",),
    "description": ("FullDescription", "Description"),
    "location": ("LocationRaw", "Location", "LocationNormalized"),
    "contract_type": ("ContractType",),
    "contract_time": ("ContractTime",),
    "category": ("Category",),
    "salary": ("SalaryRaw", "Salary"),
    "source": ("SourceName", "Source"),
    "external_reference": ("Id", "Webindex"),
}
RECORD_KEYS = {name for names in COLUMNS.values() for name in names}
RECORD_LINE = re.compile(r"^(?P<key>[A-Za-z]+):\s?(?P<value>.*)$")

CONTRACT_VALUES = {
    "permanent": ("contract_type", Vacancy.ContractType.PERMANENT),
    "contract": ("contract_type", Vacancy.ContractType.CONTRACT),
    "temporary": ("contract_type", Vacancy.ContractType.TEMPORARY),
    "temp": ("contract_type", Vacancy.ContractType.TEMPORARY),
    "full_time": ("hours", Vacancy.Hours.FULL_TIME),
    "part_time": ("hours", Vacancy.Hours.PART_TIME),
}

CLIENT_DESCRIPTION = re.compile(
    r"^Our client,?\s+(?P<what>an?\s+[^,.]+?)\s+(?:covering|who|which|that|is|are|based|with)\b"
)
AGENCY_WORDS = {
    "communications",
    "advertising",
    "marketing",
    "pr",
    "media",
    "creative",
    "digital",
}
OFFICE_LOCATION = re.compile(r"\b(?:offices?|based) in ([A-Z][a-z]+(?: [A-Z][a-z]+)?)")
SALARY_WORDS = re.compile(
    r"\b(excellent|competitive|attractive|generous)\s+salary(\s+and\s+benefits)?", re.I
)
AMOUNT = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s*(k\b)?", re.I)


class RowError(ValueError):
    pass


@dataclass
class ImportDefaults:
    consultant: object
    sector: str = ""
    location: str = ""
    publish: bool = False


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    errors: list = field(default_factory=list)


def read_records(lines):
    """Yield (line_number, fields) from blank-line separated `Key: value` records.

    A line that does not start with a known key continues the field before it,
    so a description may run over several lines.
    """
    fields, start, last_key = {}, None, None
    for number, line in enumerate(lines, start=1):
        match = RECORD_LINE.match(line)
        if not line.strip():
            if fields:
                yield start, fields
            fields, start, last_key = {}, None, None
        elif match and match["key"] in RECORD_KEYS:
            start = start or number
            last_key = match["key"]
            fields[last_key] = match["value"].strip()
        elif last_key:
            fields[last_key] += "\n" + line.strip()
        else:
            yield (
                number,
                {"__error__": f"expected 'Key: value', found {line.strip()[:40]!r}"},
            )
    if fields:
        yield start, fields


def read_csv(lines):
    reader = csv.DictReader(lines)
    if not reader.fieldnames or not {"Title"} <= set(reader.fieldnames):
        raise RowError(
            "not a CSV of adverts: the first line must name the columns, Title among them"
        )
    for row in reader:
        yield (
            reader.line_num,
            {key: (value or "").strip() for key, value in row.items() if key},
        )


def column(row, name):
    return next((row[key] for key in COLUMNS[name] if row.get(key)), "")


def parse_salary(raw):
    """(min, max, period, text) from a salary as adverts write it: '£450 - £500 per day'."""
    text = " ".join(raw.split())
    lowered = text.lower()
    amounts = []
    for number, thousands in AMOUNT.findall(text)[:2]:
        try:
            amount = Decimal(number.replace(",", ""))
        except InvalidOperation:
            return None, None, Vacancy.SalaryPeriod.YEAR, text[:200]
        amounts.append(amount * 1000 if thousands else amount)
    if re.search(r"hour|\bph\b|p/h|/hr", lowered):
        period = Vacancy.SalaryPeriod.HOUR
    elif re.search(r"day|\bpd\b|p/d", lowered):
        period = Vacancy.SalaryPeriod.DAY
    else:
        period = Vacancy.SalaryPeriod.YEAR
    if not amounts:
        return None, None, period, text[:200]
    if len(amounts) == 2:
        low, high = amounts
    elif "up to" in lowered:
        low, high = None, amounts[0]
    elif "from" in lowered:
        low, high = amounts[0], None
    else:
        low = high = amounts[0]
    if low is not None and high is not None and low > high:
        raise RowError(f"salary {text!r}: the minimum is above the maximum")
    return low, high, period, ""


def contract_fields(row):
    values = {}
    for name in ("contract_type", "contract_time"):
        raw = column(row, name)
        if not raw:
            continue
        key = re.sub(r"[\s-]+", "_", raw.strip().lower())
        if key not in CONTRACT_VALUES:
            raise RowError(f"unknown {COLUMNS[name][0]} {raw!r}")
        model_field, value = CONTRACT_VALUES[key]
        values[model_field] = value
    return values


def confidential_client(description):
    match = CLIENT_DESCRIPTION.search(description)
    if not match:
        return "Confidential client", "a confidential client"
    what = match["what"]
    if what.split()[-1].lower() in AGENCY_WORDS:
        what += " agency"
    return f"Confidential: {what}", what


def client_for(company, description):
    if not company or company.casefold() == settings.AGENCY["NAME"].casefold():
        # The agency advertised under its own name: the client is confidential.
        name, public_description = confidential_client(description)
        client, _ = Client.objects.get_or_create(
            name=name,
            defaults={
                "is_confidential": True,
                "public_description": public_description,
            },
        )
        return client
    client, _ = Client.objects.get_or_create(name=company[:200])
    return client


def sector_for(name):
    name = re.sub(r"\s+Jobs$", "", name.strip())
    if not name:
        return None
    sector, _ = Sector.objects.get_or_create(name=name[:100])  # its slug is made on saving
    return sector


def source_for(row, posted_as):
    if column(row, "source"):
        return column(row, "source")
    if posted_as:
        host = posted_as["url"].split("/")[0]
        return host.removeprefix("www.")
    return ""


def vacancy_fields(row, defaults):
    title = " ".join(column(row, "title").split())
    raw_description = column(row, "description")
    if not title:
        raise RowError("no Title")
    if not raw_description:
        raise RowError("no Description or FullDescription")
    posted_as = POSTED_AS.search(raw_description)
    text = POSTED_AS.sub("", raw_description).strip()
    office = OFFICE_LOCATION.search(text)
    location = column(row, "location") or (office[1] if office else "") or defaults.location
    if not location:
        raise RowError("no Location: add the column or pass --location")
    salary_min, salary_max, period, salary_text = parse_salary(column(row, "salary"))
    if not salary_text and salary_min is None and salary_max is None:
        words = SALARY_WORDS.search(text)
        salary_text = words[0].capitalize() if words else ""
    intro = split_sentences(text)[0] if text else ""
    return {
        "title": title[:200],
        "client": client_for(column(row, "company"), text),
        "consultant": defaults.consultant,
        "sector": sector_for(column(row, "category") or defaults.sector),
        "location": location[:150],
        "salary_min": salary_min,
        "salary_max": salary_max,
        "salary_period": period,
        "salary_text": salary_text[:200],
        "summary": intro if len(intro) <= 300 else intro[:297].rsplit(" ", 1)[0] + "…",
        "description": advert_text_to_markdown(text),
        "source": source_for(row, posted_as)[:100],
        **contract_fields(row),
    }


def import_row(row, defaults):
    """Create or update one vacancy; returns True if it was new."""
    reference = column(row, "external_reference")
    if not reference:
        raise RowError("no Id or Webindex: imports match adverts on it")
    fields = vacancy_fields(row, defaults)
    vacancy = Vacancy.objects.filter(external_reference=reference).first()
    created = vacancy is None
    if created:
        vacancy = Vacancy(
            external_reference=reference[:100],
            slug=Vacancy.unique_slug(fields["title"]),
        )
    for name, value in fields.items():
        setattr(vacancy, name, value)
    vacancy.full_clean(validate_unique=False, validate_constraints=True)
    vacancy.save()
    if defaults.publish and vacancy.status == VacancyStatus.DRAFT:
        vacancy.publish()
    return created


def import_adverts(rows, defaults, dry_run=False):
    result = ImportResult()
    with transaction.atomic():
        for line, row in rows:
            try:
                if "__error__" in row:
                    raise RowError(row["__error__"])
                with transaction.atomic():
                    created = import_row(row, defaults)
            except (RowError, IntegrityError) as error:
                result.errors.append((line, str(error)))
            except ValidationError as error:
                result.errors.append((line, "; ".join(error.messages)))
            else:
                result.created += created
                result.updated += not created
        if dry_run:
            transaction.set_rollback(True)
    return result
