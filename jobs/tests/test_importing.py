from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from jobs.demo import SEED_ADVERT
from jobs.importing import parse_salary
from jobs.models import Client, Vacancy

from .factories import ConsultantFactory

pytestmark = pytest.mark.django_db
SEED_HEADINGS = [
    "Account Direction",
    "Client Liaison",
    "Growing Existing Business",
    "New Business",
    "People Management",
    "Professional Relations",
    "Media Relations",
]
CSV_HEADER = (
    "Id,Title,FullDescription,LocationRaw,ContractType,ContractTime,Company,Category,"
    "SalaryRaw,SourceName\n"
)


@pytest.fixture
def consultant():
    return ConsultantFactory(email="kelly@samsmall.example")


def import_jobs(*args):
    out, err = StringIO(), StringIO()
    call_command("import_jobs", *map(str, args), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_seed_advert_imports_with_exact_field_values(consultant):
    import_jobs(SEED_ADVERT, "--sector", "PR, Advertising & Marketing", "--publish")
    vacancy = Vacancy.objects.get()
    assert vacancy.title == "PR Healthcare Account Director"
    assert vacancy.slug == "pr-healthcare-account-director"
    assert vacancy.external_reference == "68688961"
    assert vacancy.source == "totaljobs.com"
    assert vacancy.location == "London"
    assert vacancy.sector.name == "PR, Advertising & Marketing"
    assert vacancy.consultant == consultant
    assert vacancy.salary_min is None and vacancy.salary_max is None
    assert vacancy.salary_text == "Excellent salary and benefits"
    assert (vacancy.contract_type, vacancy.hours) == ("permanent", "full_time")
    assert vacancy.summary.startswith("Our client a global healthcare communications covering")
    assert vacancy.is_live
    assert vacancy.client.is_confidential
    assert vacancy.client.public_name == "a global healthcare communications agency"
    assert "originally posted" not in vacancy.description
    headings = [line[4:] for line in vacancy.description.splitlines() if line.startswith("### ")]
    assert headings == SEED_HEADINGS


def test_seed_advert_renders_its_seven_headings_without_its_masked_contact_details(
    client, consultant
):
    import_jobs(SEED_ADVERT, "--publish")
    vacancy = Vacancy.objects.get()
    html = client.get(vacancy.get_absolute_url()).content.decode()
    for heading in SEED_HEADINGS:
        assert f"<h3>{heading}</h3>" in html
    assert "Managing Director.</li>" in html  # the sentence run into a heading is ended
    assert "<strong>" not in vacancy.description_html and "<hr" not in vacancy.description_html
    assert "excellent salary and benefits package.</p>" in html
    assert "****" not in html and "Kellysamsmall" not in html
    assert "please contact" not in html and "originally posted" not in html
    assert "Sam Small Recruitment</p>" not in html.split("<main", 1)[1].split("</article>")[0]


def test_reimporting_updates_instead_of_duplicating(consultant, tmp_path):
    import_jobs(SEED_ADVERT, "--publish")
    edited = SEED_ADVERT.read_text().replace(
        "PR Healthcare  Account Director", "PR Account Director"
    )
    out, _ = import_jobs(write(tmp_path, "seed.txt", edited))
    vacancy = Vacancy.objects.get()
    assert vacancy.title == "PR Account Director"
    assert vacancy.is_live
    assert Client.objects.count() == 1
    assert "0 new, 1 updated" in out


def test_csv_of_a_public_dataset_imports(consultant, tmp_path):
    path = write(
        tmp_path,
        "jobs.csv",
        CSV_HEADER
        + (
            '12612628,Engineering Systems Analyst,"Engineering Systems Analyst Dorking Surrey '
            'Salary ****K. Our client is located in Dorking.",Dorking Surrey,,permanent,'
            "Gregory Martin International,Engineering Jobs,20000 - 30000/annum 20-30K,"
            "cv-library.co.uk\n"
            '12612830,Stress Engineer Glasgow,"Stress Engineer Glasgow.",Glasgow,'
            "part_time,contract,"
            "Gregory Martin International,Engineering Jobs,450 - 500 per day,cv-library.co.uk\n"
        ),
    )
    out, err = import_jobs(path)
    assert "2 new, 0 updated, 0 rejected" in out and err == ""
    analyst = Vacancy.objects.get(external_reference="12612628")
    assert (analyst.salary_min, analyst.salary_max, analyst.salary_period) == (
        Decimal(20000),
        Decimal(30000),
        "year",
    )
    assert analyst.client.name == "Gregory Martin International"
    assert not analyst.client.is_confidential
    assert analyst.sector.name == "Engineering"
    assert analyst.status == "draft"
    stress = Vacancy.objects.get(external_reference="12612830")
    assert (stress.contract_type, stress.hours, stress.salary_period) == (
        "contract",
        "part_time",
        "day",
    )
    assert stress.location == "Glasgow"


def test_bad_rows_are_reported_with_line_numbers_and_good_rows_kept(consultant, tmp_path):
    path = write(
        tmp_path,
        "jobs.csv",
        CSV_HEADER
        + (
            "1,Good Role,A fine job.,Leeds,,permanent,Acme,,,\n"
            ",No Id Role,Text.,Leeds,,,Acme,,,\n"
            "3,,Text.,Leeds,,,Acme,,,\n"
            "4,Bad Contract,Text.,Leeds,,forever,Acme,,,\n"
            "5,Bad Salary,Text.,Leeds,,,Acme,,50000 - 40000,\n"
            "6,No Location,Text.,,,,Acme,,,\n"
        ),
    )
    with pytest.raises(CommandError, match="5 row"):
        import_jobs(path)
    assert list(Vacancy.objects.values_list("title", flat=True)) == ["Good Role"]


def test_bad_rows_are_explained_on_stderr(consultant, tmp_path):
    path = write(
        tmp_path,
        "jobs.csv",
        CSV_HEADER + ",No Id,Text.,Leeds,,,Acme,,,\n4,Bad,Text.,Leeds,,forever,Acme,,,\n",
    )
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_jobs", str(path), stdout=StringIO(), stderr=err)
    assert f"{path}:2: no Id or Webindex" in err.getvalue()
    assert f"{path}:3: unknown ContractTime 'forever'" in err.getvalue()


def test_dry_run_saves_nothing(consultant):
    out, _ = import_jobs(SEED_ADVERT, "--dry-run")
    assert "would import 1 new" in out
    assert not Vacancy.objects.exists()
    assert not Client.objects.exists()


def test_unreadable_or_foreign_files_give_a_clear_error(consultant, tmp_path):
    with pytest.raises(CommandError, match="cannot read"):
        import_jobs(tmp_path / "missing.txt")
    with pytest.raises(CommandError, match="not a CSV of adverts"):
        import_jobs(write(tmp_path, "other.csv", "a,b\n1,2\n"))
    binary = tmp_path / "cv.txt"
    binary.write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(CommandError, match="cannot read"):
        import_jobs(binary)


def test_import_needs_a_consultant():
    with pytest.raises(CommandError, match="No active consultant"):
        import_jobs(SEED_ADVERT)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("£450 - £500 per day", (Decimal(450), Decimal(500), "day", "")),
        ("25,000 - 35,000 per annum", (Decimal(25000), Decimal(35000), "year", "")),
        ("Up to £40k", (None, Decimal(40000), "year", "")),
        ("8.50 per hour", (Decimal("8.50"), Decimal("8.50"), "hour", "")),
        ("Competitive", (None, None, "year", "Competitive")),
        ("", (None, None, "year", "")),
    ],
)
def test_salary_parsing(raw, expected):
    assert parse_salary(raw) == expected


def test_a_long_run_of_whitespace_in_an_advert_is_read_in_linear_time():
    import timeit

    from jobs.importing import POSTED_AS

    text = " " * 32000 + "x"
    assert min(timeit.repeat(lambda: POSTED_AS.search(text), number=1, repeat=3)) < 0.05
    advert = "Duties: pitch.  This job was originally posted as www.example.com/job/1"
    assert POSTED_AS.search(advert)["url"] == "www.example.com/job/1"
