"""What a candidate searches for on /jobs/: keywords, filters and a sort, as a plain GET URL.

The same JobSearch serves the job list, the feeds and saved job alerts. It is about querying:
what the filters and options are called on the page is jobs/forms.py's business.
"""

import hashlib
import re
from collections import Counter
from dataclasses import asdict, dataclass, fields, replace
from datetime import timedelta
from functools import cached_property
from urllib.parse import urlencode

from django.contrib.postgres.search import SearchQuery
from django.db import connection
from django.db.models import BooleanField, Case, Count, DecimalField, F, Q, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.utils import timezone

from recruitment.shared_cache import remember

from . import places, spelling
from .models import (
    Place,
    Vacancy,
    VacancyContractType,
    VacancyHours,
    VacancySalaryPeriod,
    VacancyWorkplace,
)

MAX_QUERY_LENGTH = 200
MAX_WORDS = 10
WORD = re.compile(r"\w+")
# "Posted within" choices: the days each one reaches back.
POSTED_WITHIN = {"1": 1, "7": 7, "30": 30}
SALARY_FLOORS = [20000, 30000, 40000, 50000, 75000, 100000]
# To compare like with like, day and hour rates count as a year of work:
# 230 working days, or 230 days of 7.5 hours.
ANNUAL_FACTOR = {
    VacancySalaryPeriod.YEAR: 1,
    VacancySalaryPeriod.DAY: 230,
    VacancySalaryPeriod.HOUR: 1725,
}
SORTS = ("relevance", "newest", "salary", "nearest")
# "Within" choices for a search near a town, in miles, and the one a town alone gets.
WITHIN_MILES = ("5", "10", "25", "50")
DEFAULT_WITHIN = "25"
# The filters whose options are the same on every search.
FIXED_CHOICES = {
    "workplace": VacancyWorkplace.values,
    "contract_type": VacancyContractType.values,
    "hours": VacancyHours.values,
}
# "Posted within" counts move with the clock: recount at least this often.
FACET_SECONDS = 60
# SQLite's FTS5 tables (jobs/search_index.py): the words stemmed, and as written. Their
# columns are title, keywords (reference, location, sector, client), summary and description.
# The searched words are always a bound parameter.
STEMMED_TABLE, EXACT_TABLE = "jobs_vacancy_fts", "jobs_vacancy_fts_exact"
FTS_MATCHES = "SELECT rowid FROM {table} WHERE {table} MATCH %s"
# The same test, for each row a query visits anyway: "+" stops SQLite looking each match up
# by id, so it can walk an index in date order instead.
FTS_VISITED = '+"jobs_vacancy"."id" IN (' + FTS_MATCHES + ")"
ANYWHERE, HEADLINE, BODY_ONLY = "anywhere", "headline", "body only"
# The parts of the relevance order, best first: every word as written in the headline; in
# the headline once stemmed ("accountant" finds "Account Director"); as written elsewhere in
# the advert; the rest.
EXACT_HEADLINE, STEMMED_HEADLINE = "exact headline", "stemmed headline"
EXACT_BODY, STEMMED_BODY = "exact body", "stemmed body"
# Each part: (stemmed or exact words, where they are), less the matches of (another) or None.
PARTS = {
    ANYWHERE: ((STEMMED_TABLE, ANYWHERE), None),
    HEADLINE: ((STEMMED_TABLE, HEADLINE), None),
    BODY_ONLY: ((STEMMED_TABLE, BODY_ONLY), None),
    EXACT_HEADLINE: ((EXACT_TABLE, HEADLINE), None),
    STEMMED_HEADLINE: ((STEMMED_TABLE, HEADLINE), (EXACT_TABLE, HEADLINE)),
    EXACT_BODY: ((EXACT_TABLE, ANYWHERE), (STEMMED_TABLE, HEADLINE)),
    STEMMED_BODY: ((STEMMED_TABLE, BODY_ONLY), (EXACT_TABLE, ANYWHERE)),
}


def clean_query(text):
    """Keywords as typed, without control characters (PostgreSQL refuses NUL) or excess length."""
    printable = "".join(char if char.isprintable() else " " for char in text)
    return " ".join(printable.split())[:MAX_QUERY_LENGTH]


def annual_salary():
    """The top of the salary range (or its only figure) as a yearly amount."""
    top = Coalesce("salary_max", "salary_min")
    return Case(
        *[
            When(salary_period=period, then=top * Value(factor))
            for period, factor in ANNUAL_FACTOR.items()
        ],
        output_field=DecimalField(max_digits=14, decimal_places=2),
    )


def search_words(text):
    return WORD.findall(text)[:MAX_WORDS]


def fts_match(words, where=ANYWHERE):
    """FTS5 query text: each word quoted, so none is read as an operator; all required."""
    every_word = " ".join(f'"{word}"' for word in words)
    headline = f"{{title keywords}}: ({every_word})"
    return {ANYWHERE: every_word, HEADLINE: headline, BODY_ONLY: f"({every_word}) NOT {headline}"}[
        where
    ]


def postgresql_match(words, table, where):
    """The same test on PostgreSQL: search_vector holds the stemmed words, search_exact the
    words as written; weights A and B hold the headline (jobs/search_index.py)."""
    column, config = {
        STEMMED_TABLE: ("search_vector", "english"),
        EXACT_TABLE: ("search_exact", "simple"),
    }[table]
    anywhere = Q(**{column: SearchQuery(" ".join(words), config=config)})
    headline_words = " & ".join(f"{word}:AB" for word in words)
    headline = Q(**{column: SearchQuery(headline_words, config=config, search_type="raw")})
    return {ANYWHERE: anywhere, HEADLINE: headline, BODY_ONLY: anywhere & ~headline}[where]


def keyword_condition(words, where=ANYWHERE, look_up=True):
    """Vacancies with every word: anywhere, in the headline (the title, reference, location,
    sector or client), only in the summary and advert, or in one part of the relevance order.

    look_up (SQLite): find each match's row by its id, best when there are few; otherwise
    the query tests the rows it visits, in whatever order its index gives them.
    """
    (table, within), less = PARTS[where]
    if connection.vendor == "postgresql":
        condition = postgresql_match(words, table, within)
        return condition & ~postgresql_match(words, *less) if less else condition
    match = (fts_match(words, within),)
    sql = (FTS_MATCHES if look_up else FTS_VISITED).format(table=table)
    if look_up:
        condition = Q(pk__in=RawSQL(sql, match))  # noqa: S611  # nosec B611
    else:
        condition = Q(RawSQL(sql, match, output_field=BooleanField()))  # noqa: S611  # nosec B611
    if less:
        less_table, less_within = less
        less_sql = FTS_MATCHES.format(table=less_table)
        less_match = (fts_match(words, less_within),)
        condition &= ~Q(pk__in=RawSQL(less_sql, less_match))  # noqa: S611  # nosec B611
    return condition


def counted_condition(words, where):
    """keyword_condition() for a count beside others. On PostgreSQL the exact matches' ids
    are found once through their index: tested in the count, the rows carried both search
    vectors into a sort that spilled to disk (a common word's counts took 100 ms, not 40)."""
    condition = keyword_condition(words, where)
    if connection.vendor == "postgresql" and where in (EXACT_HEADLINE, EXACT_BODY):
        return Q(pk__in=Vacancy.objects.filter(condition).values("pk"))
    return condition


def keyword_filter(queryset, text):
    """Full-text search with stemming: every word must match."""
    words = search_words(text)
    return queryset.filter(keyword_condition(words)) if words else queryset


class NewestMatches:
    """The vacancies with the words in one place, newest first, read a page at a time.

    How many there are is known (it was counted with the facets), and decides how to read
    them. Many: the database walks its date index and stops at the end of the page. Few:
    it finds every match through the search index and sorts them; walking the date index
    would read every live vacancy looking for matches that are not there (the planner
    cannot tell: "healthcare" and "pr" are each common, together rare).
    """

    FEW = 2_000

    def __init__(self, vacancies, words, where, count):
        self.count = count
        self.few = count <= self.FEW
        self.vacancies = vacancies.filter(keyword_condition(words, where, look_up=self.few))
        newest = F("published_at")
        if self.few and connection.vendor == "postgresql":
            newest += timedelta(0)  # the same order, but not one the date index can give
        self.vacancies = self.vacancies.order_by(newest.desc(), "-pk")

    @staticmethod
    def sorts_ids_first():
        """PostgreSQL sorted every match with the columns of its card, reading each one's
        advert (kept apart, in TOAST) for its start: 5.4 ms for 489 matches. It sorts their
        ids instead, then reads the page's rows: one query more. (On SQLite the second query
        cost more than it saved.)"""
        return connection.vendor == "postgresql"

    def __getitem__(self, index):
        if not (self.few and self.sorts_ids_first()):
            return self.vacancies[index]
        ids = list(self.vacancies.values_list("pk", flat=True)[index])
        rows = {vacancy.pk: vacancy for vacancy in self.vacancies.filter(pk__in=ids)}
        return [rows[pk] for pk in ids if pk in rows]


class ResultPages:
    """Keyword results, a page at a time, from consecutive parts each in its own order."""

    def __init__(self, *parts):
        self.parts = [part for part in parts if part.count > 0]

    def count(self):
        return sum(part.count for part in self.parts)

    __len__ = count

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        start, stop = index.start or 0, self.count() if index.stop is None else index.stop
        page = []
        for part in self.parts:
            if start < part.count and stop > 0:
                page += part[max(start, 0) : min(stop, part.count)]
            start, stop = start - part.count, stop - part.count
        return page


@dataclass(frozen=True)
class JobSearch:
    q: str = ""
    sector: str = ""
    location: str = ""
    workplace: str = ""
    contract_type: str = ""
    hours: str = ""
    salary: str = ""
    posted: str = ""
    # A town, and how many miles from it (jobs/places.py).
    near: str = ""
    within: str = ""
    sort: str = ""
    # "1": search for the words as typed, never a correction of them.
    as_typed: str = ""

    @classmethod
    def from_params(cls, params):
        """Read a query string; values that are not offered are dropped, never an error."""
        raw = {field.name: clean_query(params.get(field.name, ""))[:100] for field in fields(cls)}
        raw["q"] = clean_query(params.get("q", ""))
        choices = {
            **FIXED_CHOICES,
            "salary": [str(floor) for floor in SALARY_FLOORS],
            "posted": list(POSTED_WITHIN),
            "sort": SORTS,
            "as_typed": ["1"],
            "within": WITHIN_MILES,
        }
        for name, allowed in choices.items():
            if raw[name] not in allowed:
                raw[name] = ""
        if raw["near"] and not raw["within"]:
            raw["within"] = DEFAULT_WITHIN
        elif not raw["near"]:
            raw["within"] = ""
        return cls(**raw)

    def params(self):
        return {name: value for name, value in asdict(self).items() if value}

    def querystring(self, **changes):
        return urlencode(replace(self, **changes).params())

    def without(self, name):
        """The query string without one filter (a town takes its distance with it)."""
        return self.querystring(**{name: "", **({"within": ""} if name == "near" else {})})

    @cached_property
    def place(self):
        """The town searched near, or None (none given, or none of that name known)."""
        return places.find_place(Place, *places.candidate_names(self.near)) if self.near else None

    @property
    def unknown_place(self):
        """A town that was given but is not known: the search is not narrowed by it."""
        return bool(self.near) and self.place is None

    @property
    def is_empty(self):
        options = ("sort", "as_typed")
        return not any(value for name, value in asdict(self).items() if name not in options)

    @property
    def effective_sort(self):
        """The order asked for, if it means something here; else relevance for keywords,
        nearest first for a town alone, newest first for the rest."""
        has_words = bool(search_words(self.q))
        default = "relevance" if has_words else "nearest" if self.place else "newest"
        if (self.sort == "relevance" and not has_words) or (
            self.sort == "nearest" and not self.place
        ):
            return default
        return self.sort or default

    def filters(self, exclude=""):
        """Every filter except `exclude`, as one Q: a facet counts with the others applied."""
        q = Q()
        if self.sector and exclude != "sector":
            q &= Q(sector__slug=self.sector)
        if self.location and exclude != "location":
            q &= Q(location__iexact=self.location)
        for name in ("workplace", "contract_type", "hours"):
            if getattr(self, name) and exclude != name:
                q &= Q(**{name: getattr(self, name)})
        if self.posted and exclude != "posted":
            since = timezone.now() - timedelta(days=POSTED_WITHIN[self.posted])
            q &= Q(published_at__gte=since)
        if self.salary and exclude != "salary":
            q &= Q(annual_salary__gte=int(self.salary))
        return q

    def live(self):
        """Live vacancies, with the yearly salary the salary filter compares; near a town,
        only those within the distance (no option counts without it), with their "miles"."""
        vacancies = Vacancy.objects.live().alias(annual_salary=annual_salary())
        if self.place:
            vacancies = places.within_miles(vacancies, self.place, int(self.within))
        return vacancies

    def matching(self):
        """Live vacancies that match the keywords; the facets apply the filters themselves."""
        return keyword_filter(self.live(), self.q)

    def filtered(self):
        """Live vacancies that pass every filter, before any keyword."""
        return self.live().filter(self.filters())

    def results(self):
        """The matching jobs in the chosen order.

        Keywords in relevance order: jobs with every word in the headline (title, reference,
        location, sector or client) first, then those that mention them only in the summary
        or advert; within each, every word as typed before words that only share a stem
        ("accountant" is "account" stemmed); newest first within each part. Each part is read
        in date order, so a page costs the same with 30 matches or 30,000.
        """
        vacancies = self.filtered().for_listing()
        words = search_words(self.q)
        sort = self.effective_sort
        if sort == "nearest":
            return places.nearest_first(keyword_filter(vacancies, self.q))
        if words and sort != "salary":
            counts = self.facets
            if sort == "newest":
                return ResultPages(NewestMatches(vacancies, words, ANYWHERE, counts["total"]))
            return ResultPages(
                *(
                    NewestMatches(vacancies, words, part, count)
                    for part, count in self.relevance_parts(counts)
                )
            )
        if sort == "salary":
            salary = F("annual_salary").desc(nulls_last=True)
            return keyword_filter(vacancies, self.q).order_by(salary, "-pk")
        return self.newest()

    @staticmethod
    def relevance_parts(counts):
        """(part, how many) for each part of the relevance order, best first."""
        stemmed_headline = counts["headline"] - counts["exact_headline"]
        stemmed_body = counts["total"] - counts["headline"] - counts["exact_body"]
        return [
            (EXACT_HEADLINE, counts["exact_headline"]),
            (STEMMED_HEADLINE, stemmed_headline),
            (EXACT_BODY, counts["exact_body"]),
            (STEMMED_BODY, stemmed_body),
        ]

    def newest(self):
        """Every match, newest first, as a QuerySet to narrow further (job alerts)."""
        vacancies = keyword_filter(self.filtered().for_listing(), self.q)
        return vacancies.order_by("-published_at", "-pk")

    def corrected(self):
        """This search with its typos corrected, when it finds nothing and a correction finds
        something; otherwise None. "acount manager" is searched as "account manager"."""
        words = search_words(self.q)
        if not words or self.as_typed or self.facets["total"]:
            return None
        corrected_words = spelling.corrected_words(words)
        if corrected_words == words:
            return None
        corrected = replace(self, q=" ".join(corrected_words))
        return corrected if corrected.facets["total"] else None

    @cached_property
    def facets(self):
        """The counts below, kept per search until any job changes (they cost most of a page).

        The sort changes no count, so every order of one search shares them. Read once per
        JobSearch: the page and its results then use the same counts.
        """
        search = hashlib.sha256(self.querystring(sort="", as_typed="").encode()).hexdigest()
        return remember(f"search-counts:{search}", self.count_facets, FACET_SECONDS)

    def count_facets(self):
        """Counts of live jobs each filter option would give, the total, and how many of those
        fall in the parts of the relevance order.

        One query reads the matches once, counting per sector and location; the sums are
        done here. Each count applies every filter but its own.
        """
        options = self.fixed_options()
        counts = {
            "total": Count("pk", filter=self.filters()),
            "for_sector": Count("pk", filter=self.filters(exclude="sector")),
            "for_location": Count("pk", filter=self.filters(exclude="location")),
        }
        for index, (name, _, condition) in enumerate(options):
            counts[f"option_{index}"] = Count("pk", filter=self.filters(exclude=name) & condition)
        words = search_words(self.q)
        if words:  # where relevance order turns from one part to the next
            for name, part in (
                ("headline", HEADLINE),
                ("exact_headline", EXACT_HEADLINE),
                ("exact_body", EXACT_BODY),
            ):
                counts[name] = Count("pk", filter=self.filters() & counted_condition(words, part))
        groups = (
            self.matching()
            .values("sector__slug", "sector__name", "location")
            .annotate(**counts)
            .order_by()
        )
        sectors, locations, sums = Counter(), Counter(), Counter()
        for group in groups:
            if group["sector__slug"]:
                sectors[group["sector__name"], group["sector__slug"]] += group["for_sector"]
            locations[group["location"]] += group["for_location"]
            sums.update({name: group[name] for name in counts})
        by_count = sorted(locations.items(), key=lambda item: (-item[1], item[0]))
        facets = {
            "sector": [
                (slug, name, count) for (name, slug), count in sorted(sectors.items()) if count
            ],
            "location": [(place, count) for place, count in by_count[:15] if count],
            "total": sums["total"],
            "headline": sums["headline"],
            "exact_headline": sums["exact_headline"],
            "exact_body": sums["exact_body"],
        }
        for index, (name, value, _) in enumerate(options):
            facets.setdefault(name, {})[value] = sums[f"option_{index}"]
        return facets

    @staticmethod
    def fixed_options():
        """(filter, value, condition) for the filters whose options never change."""
        now = timezone.now()
        options = [
            (name, value, Q(**{name: value}))
            for name, values in FIXED_CHOICES.items()
            for value in values
        ]
        options += [
            ("posted", key, Q(published_at__gte=now - timedelta(days=days)))
            for key, days in POSTED_WITHIN.items()
        ]
        options += [("salary", str(floor), Q(annual_salary__gte=floor)) for floor in SALARY_FLOORS]
        return options


# The query parameters a search reads.
SEARCH_PARAMS = tuple(field.name for field in fields(JobSearch))
