import pytest

from jobs.search import JobSearch
from jobs.search_page import filter_groups, options_html, removable_filters, sort_options
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


def test_the_sort_menu_shows_the_order_in_use():
    html = sort_options(JobSearch.from_params({"q": "nurse"}))
    assert '<option value="relevance" selected>Relevance</option>' in html


def test_an_empty_search_can_be_loosened_one_filter_at_a_time():
    search = JobSearch.from_params({"q": "nurse", "contract_type": "contract"})
    assert removable_filters(search) == [
        ("keywords: nurse", "contract_type=contract"),
        ("contract: contract", "q=nurse"),
    ]
