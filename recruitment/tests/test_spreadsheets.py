import pytest
from django.urls import reverse

from candidates.models import EnquiryLink
from jobs.tests.factories import ConsultantFactory, OpenVacancyFactory
from recruitment.spreadsheets import csv_safe


@pytest.mark.parametrize(
    "cell",
    ["=1+1", "+1", "-1", "@SUM(A1)", " =cmd", "\t=cmd", "\r=cmd", "\tplain", "\rplain", "  @x"],
)
def test_a_cell_a_spreadsheet_would_run_is_kept_as_text(cell):
    assert csv_safe(cell) == f"'{cell}"


@pytest.mark.parametrize("cell", ["Zoë", "a=b", "nurse - band 5", 3, -3, "50%"])
def test_other_cells_are_left_alone(cell):
    assert csv_safe(cell) == cell


@pytest.mark.django_db
def test_the_links_report_csv_neutralises_hidden_formulas(admin_client):
    sender = ConsultantFactory(name="\t=HYPERLINK(1)")
    EnquiryLink.objects.create(vacancy=OpenVacancyFactory(), sender=sender, email=" =cmd@x.example")
    url = reverse("admin:candidates_enquirylink_report")
    by_candidate = admin_client.get(url, {"by": "candidate", "format": "csv"})
    by_consultant = admin_client.get(url, {"by": "consultant", "format": "csv"})
    assert by_candidate.content.decode().splitlines()[1].startswith("' =cmd@x.example,1,")
    assert by_consultant.content.decode().splitlines()[1].startswith("'\t=HYPERLINK(1),1,")
    assert "no-store" in by_candidate["Cache-Control"]
