from django import forms

from .models import VacancyContractType, VacancyHours, VacancyWorkplace
from .search import MAX_QUERY_LENGTH, POSTED_WITHIN, SALARY_FLOORS

SORT_LABELS = {"relevance": "Relevance", "newest": "Newest", "salary": "Salary"}
POSTED_LABELS = {"1": "the last 24 hours", "7": "the last 7 days", "30": "the last 30 days"}
# Each filter: its label on the form, and what a "Remove …" link calls it.
FILTERS = {
    "sector": ("Sector", "sector"),
    "location": ("Location", "location"),
    "workplace": ("Workplace", "workplace"),
    "contract_type": ("Contract", "contract"),
    "hours": ("Hours", "hours"),
    "salary": ("Minimum salary", "salary"),
    "posted": ("Posted within", "date posted"),
}


def option_labels(facets):
    """(value, label, count) for each option of each filter, from a search's facet counts."""
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


class JobSearchForm(forms.Form):
    """The job list's search box, sort and filters, as a JobSearch and its counts stand.

    Only shown, never validated: JobSearch.from_params reads the query string.
    """

    q = forms.CharField(
        label="Keywords",
        required=False,
        max_length=MAX_QUERY_LENGTH,
        widget=forms.SearchInput(
            attrs={
                "class": "form-control",
                "id": "search-q",
                "placeholder": "e.g. healthcare PR London",
            }
        ),
    )
    sort = forms.ChoiceField(
        label="Sort by",
        required=False,
        choices=SORT_LABELS.items(),
        widget=forms.Select(attrs={"class": "form-select", "id": "search-sort"}),
    )

    def __init__(self, search, facets):
        super().__init__(initial={**search.params(), "sort": search.effective_sort})
        self.search = search
        options = option_labels(facets)
        for name, (label, _) in FILTERS.items():
            self.fields[name] = forms.ChoiceField(
                label=label,
                required=False,
                choices=self.choices(name, options[name]),
                widget=forms.Select(
                    attrs={"class": "form-select form-select-sm", "id": f"filter-{name}"}
                ),
            )

    def choices(self, name, options):
        """Options that would give some jobs, with their counts, and whatever is chosen."""
        chosen = getattr(self.search, name)
        choices = [("", "Any")]
        choices += [
            (value, f"{label} ({count})")
            for value, label, count in options
            if count or value == chosen
        ]
        if chosen and chosen not in {value for value, _ in choices}:
            choices.append((chosen, f"{chosen} (0)"))
        return choices

    def filter_fields(self):
        return [self[name] for name in FILTERS]

    def removable_filters(self):
        """(label, query string without it) for each filter in use: what to loosen when
        nothing matches."""
        names = {"q": "keywords", **{name: called for name, (_, called) in FILTERS.items()}}
        return [
            (f"{names[name]}: {value}", self.search.querystring(**{name: ""}))
            for name, value in self.search.params().items()
            if name in names
        ]
