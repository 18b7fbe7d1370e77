"""What the job list shows of a search: filter titles, options with their counts, the sort
menu, and the links that loosen a search. JobSearch (jobs/search.py) does the querying.

Options are written with format_html_join: a search shows some 60 of them, and rendering
each through a form widget's templates cost more than the rest of the page.
"""

from dataclasses import dataclass

from django.utils.html import format_html_join

from .models import VacancyContractType, VacancyHours, VacancyWorkplace
from .search import POSTED_WITHIN, SALARY_FLOORS, SORTS, WITHIN_MILES, search_words

SORT_LABELS = {
    "relevance": "Relevance",
    "newest": "Newest",
    "salary": "Salary",
    "nearest": "Nearest",
}
POSTED_LABELS = {"1": "the last 24 hours", "7": "the last 7 days", "30": "the last 30 days"}
# Each filter: its title on the page, and what a "Remove …" link calls it.
FILTERS = {
    "sector": ("Sector", "sector"),
    "location": ("Location", "location"),
    "workplace": ("Workplace", "workplace"),
    "contract_type": ("Contract", "contract"),
    "hours": ("Hours", "hours"),
    "salary": ("Minimum salary", "salary"),
    "posted": ("Posted within", "date posted"),
}


def options_html(options):
    """<option>s for (value, label, selected) tuples."""
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((value, " selected" if selected else "", label) for value, label, selected in options),
    )


@dataclass(frozen=True)
class FilterGroup:
    name: str
    title: str
    options: list  # (value, label with its count, selected)

    def options_html(self):
        return options_html(self.options)


def counted_options(facets):
    """(value, label, count) for each option of each filter, from a search's facets."""
    fixed = {
        "workplace": VacancyWorkplace.choices,
        "contract_type": VacancyContractType.choices,
        "hours": VacancyHours.choices,
        "salary": [(str(floor), f"£{floor:,}+ a year") for floor in SALARY_FLOORS],
        "posted": [(key, POSTED_LABELS[key]) for key in POSTED_WITHIN],
    }
    options = {
        "sector": facets["sector"],
        "location": [(place, place, count) for place, count in facets["location"]],
    }
    for name, choices in fixed.items():
        options[name] = [(value, label, facets[name][value]) for value, label in choices]
    return options


def filter_groups(search, facets):
    """A FilterGroup per filter: options that would give some jobs, and whatever is chosen."""
    groups = []
    for name, options in counted_options(facets).items():
        chosen = getattr(search, name)
        shown = [
            (value, f"{label} ({count})", value == chosen)
            for value, label, count in options
            if count or value == chosen
        ]
        if chosen and not any(selected for *_, selected in shown):
            shown.append((chosen, f"{chosen} (0)", True))
        groups.append(FilterGroup(name, FILTERS[name][0], shown))
    return groups


def within_options(search):
    """<option>s for the distance from a town."""
    return options_html(
        (miles, f"{miles} miles", miles == (search.within or "25")) for miles in WITHIN_MILES
    )


def sort_links(search):
    """(label, query string, in use) for each order: links, so a change needs no button.
    Relevance only means something when there are keywords, nearest near a known town."""
    offered = {"relevance": bool(search_words(search.q)), "nearest": search.place is not None}
    return [
        (SORT_LABELS[value], search.querystring(sort=value), value == search.effective_sort)
        for value in SORTS
        if offered.get(value, True)
    ]


@dataclass(frozen=True)
class AppliedFilter:
    name: str  # the query parameter: "sector"
    title: str  # the filter: "Sector"
    label: str  # what was chosen, as the filter's options say it: "Healthcare"
    query: str  # the search without it


def applied_filters(search, facets):
    """What narrows the search, each with the link that removes it (the keywords first)."""
    labels = {
        name: {value: label for value, label, _ in options}
        for name, options in counted_options(facets).items()
    }
    applied = []
    if search.q:
        applied.append(AppliedFilter("q", "Keywords", f"“{search.q}”", search.querystring(q="")))
    if search.near:
        known = search.place
        label = (
            f"Within {search.within} miles of {known}" if known else f"Unknown place: {search.near}"
        )
        applied.append(AppliedFilter("near", "Distance", label, search.without("near")))
    for name, (title, _) in FILTERS.items():
        if value := getattr(search, name):
            label = labels[name].get(value, value)
            if name == "posted":
                label = f"Posted in {label}"
            applied.append(AppliedFilter(name, title, label, search.querystring(**{name: ""})))
    return applied


def removable_filters(search):
    """(label, query string without it) for each filter in use: what to loosen when nothing
    matches."""
    names = {
        "q": "keywords",
        "near": "distance",
        **{name: called for name, (_, called) in FILTERS.items()},
    }
    return [
        (f"{names[name]}: {value}", search.without(name))
        for name, value in search.params().items()
        if name in names
    ]
