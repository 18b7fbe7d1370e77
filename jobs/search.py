"""What a candidate searches for on /jobs/: keywords, filters and a sort, as a plain GET URL.

The same JobSearch serves the job list, the feeds and saved job alerts.
"""

import hashlib
import re
from dataclasses import asdict, dataclass, fields, replace
from datetime import timedelta
from urllib.parse import urlencode

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import Case, Count, DecimalField, F, Q, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.utils import timezone

from recruitment.page_cache import remember

from .models import Vacancy

MAX_QUERY_LENGTH = 200
MAX_WORDS = 10
WORD = re.compile(r"\w+")
POSTED_WITHIN = {"1": ("the last 24 hours", 1), "7": ("the last 7 days", 7),
                 "30": ("the last 30 days", 30)}  # fmt: skip
SALARY_FLOORS = [20000, 30000, 40000, 50000, 75000, 100000]
# To compare like with like, day and hour rates count as a year of work:
# 230 working days, or 230 days of 7.5 hours.
ANNUAL_FACTOR = {"year": 1, "day": 230, "hour": 1725}
SORTS = {"relevance": "Relevance", "newest": "Newest", "salary": "Salary"}
# "Posted within" counts move with the clock: recount at least this often.
FACET_SECONDS = 60
# SQLite's FTS5 table (jobs/search_index.py). Its columns are title, keywords (reference,
# location, sector, client), summary and description, weighted for bm25 in that order.
# The searched words are always a bound parameter.
FTS_MATCHES = "SELECT rowid FROM jobs_vacancy_fts WHERE jobs_vacancy_fts MATCH %s"
FTS_RANK = "bm25(jobs_vacancy_fts, 10.0, 5.0, 2.0, 1.0)"
FTS_COUNT = "SELECT count(*) FROM jobs_vacancy_fts WHERE jobs_vacancy_fts MATCH %s"
FTS_JOINED = (
    "SELECT jobs_vacancy_fts.rowid FROM jobs_vacancy_fts "
    "CROSS JOIN ({allowed}) allowed ON allowed.pk = jobs_vacancy_fts.rowid "
    "WHERE jobs_vacancy_fts MATCH %s"
)


def clean_query(text):
    """Keywords as typed, without control characters (PostgreSQL refuses NUL) or excess length."""
    printable = "".join(char if char.isprintable() else " " for char in text)
    return " ".join(printable.split())[:MAX_QUERY_LENGTH]


def annual_salary():
    """The top of the salary range (or its only figure) as a yearly amount."""
    top = Coalesce("salary_max", "salary_min")
    return Case(
        *[When(salary_period=period, then=top * Value(factor))
          for period, factor in ANNUAL_FACTOR.items()],
        output_field=DecimalField(max_digits=14, decimal_places=2),
    )  # fmt: skip


def search_words(text):
    return WORD.findall(text)[:MAX_WORDS]


def fts_match(words):
    """FTS5 query text: each word quoted, so none is read as an operator; all required."""
    return " ".join(f'"{word}"' for word in words)


def keyword_filter(queryset, text):
    """Full-text search with stemming. On PostgreSQL it also annotates `relevance`."""
    words = search_words(text)
    if not words:
        return queryset
    if connection.vendor == "postgresql":
        query = SearchQuery(" ".join(words), config="english", search_type="plain")
        return queryset.filter(search_vector=query).annotate(
            relevance=SearchRank(F("search_vector"), query)
        )
    matches = RawSQL(FTS_MATCHES, (fts_match(words),))  # noqa: S611  # nosec B611
    return queryset.filter(pk__in=matches)


class RankedResults:
    """SQLite keyword results in relevance order, fetched a page at a time.

    FTS5 ranks matches in one pass only when it drives the query; asked for the rank row by
    row (inside an ORM query) it searches again for each row. So FTS5 drives, and ranks
    only the matches `queryset` allows (the live rule and the filters). Then only the
    page's vacancies are loaded. Which matches are allowed is found one of two ways:

    - few matches (a job title, a skill): each match's vacancy is read and tested;
    - many (a word in most adverts): the allowed ids are read from the
      vacancy_search_filters index first, and the "+" keeps FTS5 from looking each of
      them up in its own index.

    At 100,000 vacancies the first way takes 10 ms for 2,000 matches (the second 98 ms);
    the second 105 ms for 36,000 (the first 128 ms).
    """

    FEW_MATCHES = 10_000

    def __init__(self, queryset, words):
        self.queryset = queryset
        allowed, allowed_params = queryset.order_by().values("pk").query.sql_with_params()
        match = fts_match(words)
        with connection.cursor() as cursor:
            cursor.execute(FTS_COUNT, [match])
            matches = cursor.fetchone()[0]
        # Only constants and Django's compiled SQL go into these; values are parameters.
        if matches <= self.FEW_MATCHES:
            self.sql = FTS_JOINED.format(allowed=allowed)
            self.params = [*allowed_params, match]
        else:
            self.sql = FTS_MATCHES + f" AND +rowid IN ({allowed})"
            self.params = [match, *allowed_params]

    def count(self):
        with connection.cursor() as cursor:
            counting = f"SELECT count(*) FROM ({self.sql})"  # noqa: S608  # nosec B608
            cursor.execute(counting, self.params)
            return cursor.fetchone()[0]

    __len__ = count

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        start, stop = index.start or 0, index.stop
        limit = -1 if stop is None else max(stop - start, 0)
        ranked = f"{self.sql} ORDER BY {FTS_RANK} LIMIT %s OFFSET %s"
        with connection.cursor() as cursor:
            cursor.execute(ranked, [*self.params, limit, start])
            ids = [row[0] for row in cursor.fetchall()]
        vacancies = self.queryset.in_bulk(ids)
        return [vacancies[pk] for pk in ids if pk in vacancies]


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
    sort: str = ""

    @classmethod
    def from_params(cls, params):
        """Read a query string; values that are not offered are dropped, never an error."""
        raw = {field.name: clean_query(params.get(field.name, ""))[:100] for field in fields(cls)}
        raw["q"] = clean_query(params.get("q", ""))
        choices = {
            "workplace": Vacancy.Workplace.values,
            "contract_type": Vacancy.ContractType.values,
            "hours": Vacancy.Hours.values,
            "salary": [str(floor) for floor in SALARY_FLOORS],
            "posted": list(POSTED_WITHIN),
            "sort": list(SORTS),
        }
        for name, allowed in choices.items():
            if raw[name] not in allowed:
                raw[name] = ""
        return cls(**raw)

    def params(self):
        return {name: value for name, value in asdict(self).items() if value}

    def querystring(self, **changes):
        return urlencode(replace(self, **changes).params())

    @property
    def is_empty(self):
        return not any(value for name, value in asdict(self).items() if name != "sort")

    @property
    def effective_sort(self):
        has_words = bool(search_words(self.q))
        if self.sort == "relevance" and not has_words:
            return "newest"
        return self.sort or ("relevance" if has_words else "newest")

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
            since = timezone.now() - timedelta(days=POSTED_WITHIN[self.posted][1])
            q &= Q(published_at__gte=since)
        if self.salary and exclude != "salary":
            q &= Q(annual_salary__gte=int(self.salary))
        return q

    @staticmethod
    def live():
        """Live vacancies, with the yearly salary the salary filter compares."""
        return Vacancy.objects.live().alias(annual_salary=annual_salary())

    def matching(self):
        """Live vacancies that match the keywords; the facets apply the filters themselves."""
        return keyword_filter(self.live(), self.q)

    def filtered(self):
        """Live vacancies that pass every filter, before any keyword."""
        return self.live().filter(self.filters())

    def results(self):
        # Keywords come after the filters, so the database tests the cheap columns first.
        vacancies = self.filtered().for_listing()
        sort = self.effective_sort
        if sort == "relevance" and connection.vendor != "postgresql":
            return RankedResults(vacancies, search_words(self.q))
        vacancies = keyword_filter(vacancies, self.q)
        if sort == "relevance":
            return vacancies.order_by("-relevance", "-published_at", "-pk")
        if sort == "salary":
            return vacancies.order_by(F("annual_salary").desc(nulls_last=True), "-pk")
        return vacancies.order_by("-published_at", "-pk")

    def facets(self):
        """The counts below, kept per search until any job changes (they cost most of a page).

        The sort changes no count, so every order of one search shares them.
        """
        search = hashlib.sha256(self.querystring(sort="").encode()).hexdigest()
        return remember(f"facets:{search}", self.count_facets, FACET_SECONDS)

    def count_facets(self):
        """Counts of live jobs each option would give, and the total, in three queries."""
        matching = self.matching()
        sectors = (
            matching.filter(self.filters(exclude="sector"))
            .values("sector__slug", "sector__name")
            .annotate(count=Count("pk"))
            .order_by("sector__name")
        )
        locations = (
            matching.filter(self.filters(exclude="location"))
            .values("location")
            .annotate(count=Count("pk"))
            .order_by("-count", "location")[:15]
        )
        options = self.fixed_options()
        counts = matching.aggregate(
            total=Count("pk", filter=self.filters()),
            **{
                f"option_{index}": Count("pk", filter=self.filters(exclude=name) & condition)
                for index, (name, _, _, condition) in enumerate(options)
            },
        )
        facets = {
            "sector": [(row["sector__slug"], row["sector__name"], row["count"])
                       for row in sectors if row["sector__slug"]],
            "location": [(row["location"], row["location"], row["count"]) for row in locations],
            "total": counts["total"],
        }  # fmt: skip
        for index, (name, value, label, _) in enumerate(options):
            facets.setdefault(name, []).append((value, label, counts[f"option_{index}"]))
        return facets

    def filter_groups(self, facets):
        """The filter form: (field, title, [(value, label, count, selected)]) per filter."""
        titles = [("sector", "Sector"), ("location", "Location"), ("workplace", "Workplace"),
                  ("contract_type", "Contract"), ("hours", "Hours"),
                  ("salary", "Minimum salary"), ("posted", "Posted within")]  # fmt: skip
        groups = []
        for name, title in titles:
            chosen = getattr(self, name)
            options = [
                (value, label, count, value == chosen)
                for value, label, count in facets[name]
                if count or value == chosen
            ]
            if chosen and not any(selected for *_, selected in options):
                options.append((chosen, chosen, 0, True))
            groups.append((name, title, options))
        return groups

    @staticmethod
    def fixed_options():
        """(filter, value, label, condition) for the filters whose options never change."""
        now = timezone.now()
        options = []
        for name, choices in (("workplace", Vacancy.Workplace.choices),
                              ("contract_type", Vacancy.ContractType.choices),
                              ("hours", Vacancy.Hours.choices)):  # fmt: skip
            options += [(name, value, label, Q(**{name: value})) for value, label in choices]
        options += [
            ("posted", key, label, Q(published_at__gte=now - timedelta(days=days)))
            for key, (label, days) in POSTED_WITHIN.items()
        ]
        options += [
            ("salary", str(floor), f"£{floor:,}+ a year", Q(annual_salary__gte=floor))
            for floor in SALARY_FLOORS
        ]
        return options

    def active_filters(self):
        """(label, URL without it) for each filter in use: what to loosen when nothing matches."""
        labels = {"q": "keywords", "sector": "sector", "location": "location",
                  "workplace": "workplace", "contract_type": "contract", "hours": "hours",
                  "salary": "salary", "posted": "date posted"}  # fmt: skip
        return [
            (f"{labels[name]}: {value}", self.querystring(**{name: ""}))
            for name, value in self.params().items()
            if name in labels
        ]
