"""The job list's Python-side formatting gives what the template filters it replaced gave."""

from datetime import UTC, datetime

import pytest
from django.template import Context, Template

from jobs.models import Vacancy, job_url
from jobs.templatetags.job_lists import filter_options, iso_datetime, long_date

MOMENTS = [
    datetime(2026, 1, 5, 9, 30, tzinfo=UTC),  # GMT
    datetime(2026, 7, 1, 23, 30, tzinfo=UTC),  # BST: already 2 July in London
    datetime(2026, 3, 29, 0, 59, 59, tzinfo=UTC),  # the second before clocks go forward
]


@pytest.mark.parametrize("moment", MOMENTS)
def test_dates_read_as_the_date_filter_wrote_them(moment):
    template = Template("""{{ moment|date:'Y-m-d\\TH:i:sO' }}|{{ moment|date:"j F Y" }}""")
    by_date_filter = template.render(Context({"moment": moment}))
    assert f"{iso_datetime(moment)}|{long_date(moment)}" == by_date_filter


def test_the_hour_that_happens_twice_keeps_its_offset():
    """|date's O gives nothing for an ambiguous local time; the offset is known here."""
    assert iso_datetime(datetime(2026, 10, 25, 1, 0, tzinfo=UTC)) == "2026-10-25T01:00:00+0000"


def test_a_missing_date_is_left_blank():
    assert (iso_datetime(None), long_date(None)) == ("", "")


def test_filter_options_escape_what_they_show():
    html = filter_options([("a&b", "<b>Tom & Jerry</b>", 3, True), ("x", "X", 0, False)])
    assert html == (
        '<option value="a&amp;b" selected>&lt;b&gt;Tom &amp; Jerry&lt;/b&gt; (3)</option>'
        '<option value="x">X (0)</option>'
    )


@pytest.mark.django_db
def test_job_urls_are_the_urlconfs_own():
    vacancy = Vacancy(slug="staff-nurse-2")
    assert vacancy.get_absolute_url() == "/jobs/staff-nurse-2/" == job_url("staff-nurse-2")
