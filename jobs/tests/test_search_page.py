import pytest

from jobs.search import JobSearch
from jobs.search_page import (
    applied_filters,
    filter_groups,
    options_html,
    removable_filters,
    sort_links,
)
from jobs.tests.factories import OpenVacancyFactory, SectorFactory

pytestmark = pytest.mark.django_db


def test_filter_options_escape_what_they_show():
    html = options_html([("a&b", "<b>Tom & Jerry</b> (3)", True), ("x", "X (0)", False)])
    assert html == (
        '<option value="a&amp;b" selected>&lt;b&gt;Tom &amp; Jerry&lt;/b&gt; (3)</option>'
        '<option value="x">X (0)</option>'
    )


def test_each_filter_offers_the_options_that_give_jobs_and_keeps_the_chosen_one():
    OpenVacancyFactory(sector=SectorFactory(name="Healthcare"), workplace="remote")
    search = JobSearch.from_params({"workplace": "remote"})
    groups = {group.name: group for group in filter_groups(search, search.facets)}
    assert list(groups) == [
        "sector",
        "location",
        "workplace",
        "contract_type",
        "hours",
        "salary",
        "posted",
    ]
    assert groups["workplace"].title == "Workplace"
    assert groups["workplace"].options == [("remote", "Remote (1)", True)]
    assert groups["sector"].options == [("healthcare", "Healthcare (1)", False)]
    gone = JobSearch.from_params({"sector": "gone", "hours": "part_time"})
    groups = {group.name: group for group in filter_groups(gone, gone.facets)}
    assert groups["sector"].options == [("gone", "gone (0)", True)]
    assert groups["hours"].options == [("part_time", "Part time (0)", True)]


def test_the_sort_links_mark_the_order_in_use_and_keep_the_search():
    links = sort_links(JobSearch.from_params({"q": "nurse", "hours": "part_time"}))
    assert links == [
        ("Relevance", "q=nurse&hours=part_time&sort=relevance", True),
        ("Newest", "q=nurse&hours=part_time&sort=newest", False),
        ("Salary", "q=nurse&hours=part_time&sort=salary", False),
    ]


def test_without_keywords_there_is_no_relevance_to_sort_by():
    labels = [label for label, *_ in sort_links(JobSearch.from_params({}))]
    assert labels == ["Newest", "Salary"]


def test_each_applied_filter_reads_as_its_option_and_links_to_the_search_without_it():
    OpenVacancyFactory(
        title="Staff Nurse", sector=SectorFactory(name="Healthcare"), workplace="hybrid"
    )
    search = JobSearch.from_params(
        {
            "q": "nurse",
            "sector": "healthcare",
            "workplace": "hybrid",
            "salary": "40000",
            "posted": "7",
        }
    )
    applied = [(f.title, f.label, f.query) for f in applied_filters(search, search.facets)]
    assert applied == [
        ("Keywords", "“nurse”", "sector=healthcare&workplace=hybrid&salary=40000&posted=7"),
        ("Sector", "Healthcare", "q=nurse&workplace=hybrid&salary=40000&posted=7"),
        ("Workplace", "Hybrid", "q=nurse&sector=healthcare&salary=40000&posted=7"),
        (
            "Minimum salary",
            "£40,000+ a year",
            "q=nurse&sector=healthcare&workplace=hybrid&posted=7",
        ),
        (
            "Posted within",
            "Posted in the last 7 days",
            "q=nurse&sector=healthcare&workplace=hybrid&salary=40000",
        ),
    ]


def test_an_empty_search_can_be_loosened_one_filter_at_a_time():
    search = JobSearch.from_params({"q": "nurse", "contract_type": "contract"})
    assert removable_filters(search) == [
        ("keywords: nurse", "contract_type=contract"),
        ("contract: contract", "q=nurse"),
    ]
