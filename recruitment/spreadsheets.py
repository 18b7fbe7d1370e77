"""CSV downloads that a spreadsheet opens as data, never as formulas."""

import csv

from django.http import HttpResponse

# A spreadsheet reads a cell starting with one of these as a formula, also after leading
# whitespace; a leading tab or carriage return is a way to hide one (OWASP's CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@")
HIDDEN_STARTS = ("\t", "\r")


def csv_safe(value):
    """A cell's text, with a quote in front of anything a spreadsheet would run."""
    if not isinstance(value, str):
        return value  # numbers are numbers: -3 is no formula
    if value.startswith(HIDDEN_STARTS) or value.lstrip().startswith(FORMULA_STARTS):
        return f"'{value}"
    return value


def csv_response(filename, header, rows):
    """Every CSV export: a download whose every cell went through csv_safe."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    writer = csv.writer(response)
    for row in [header, *rows]:
        writer.writerow([csv_safe(cell) for cell in row])
    return response
