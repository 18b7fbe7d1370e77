"""Clients, consultants, sectors and vacancies: everything the public job pages show.

SQLite rebuilds a table to alter it, which drops the search triggers on jobs_vacancy: a
migration that alters Vacancy, Client or Sector must drop the search index first and install
it after (the rule is in jobs/search_index.py). On PostgreSQL the triggers survive.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Substr
from django.urls import reverse
from django.utils import timezone

from recruitment import shared_cache
from recruitment.locking.models import VersionedModel

from .formatting import format_salary
from .markup import MAX_LENGTH as DESCRIPTION_MAX_LENGTH
from .markup import first_sentence, public_text, render_markdown
from .places import coordinates
from .slugs import unique_slug


def live_condition(prefix=""):
    """The rule for "live", as a Q object, for querying vacancies directly or through a relation."""
    now = timezone.now()
    return Q(
        Q(**{f"{prefix}closes_on__isnull": True})
        | Q(**{f"{prefix}closes_on__gte": timezone.localdate(now)}),
        **{f"{prefix}status": VacancyStatus.OPEN, f"{prefix}published_at__lte": now},
    )


class PublicQuerySet(models.QuerySet):
    """Rows the public pages show: bulk writes end the cached pages, as saves and deletes do.

    Saves and deletes send signals (connected in JobsConfig.ready); update() and
    bulk_create() send none, so they invalidate here (bulk_update goes through update()).
    Raw SQL bypasses both: call shared_cache.invalidate() after it.
    """

    def update(self, **kwargs):
        rows = super().update(**kwargs)
        shared_cache.invalidate()
        return rows

    update.alters_data = True

    def bulk_create(self, *args, **kwargs):
        created = super().bulk_create(*args, **kwargs)
        shared_cache.invalidate()
        return created

    bulk_create.alters_data = True


class SectorQuerySet(PublicQuerySet):
    def with_live_counts(self):
        live_count = models.Count("vacancies", filter=live_condition("vacancies__"))
        return self.annotate(live_count=live_count)

    def with_live_jobs(self):
        return self.with_live_counts().filter(live_count__gt=0)


class Sector(VersionedModel):
    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(
        max_length=100,
        unique=True,
        blank=True,
        help_text="The sector's address in job searches. Left blank, it is made from the name.",
    )
    lead_consultant = models.ForeignKey(
        "Consultant",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_sectors",
        help_text="Receives speculative CVs for this sector. Empty: the agency's general inbox.",
    )

    objects = SectorQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Sector.objects.all(), self.name, "sector", max_length=90)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("jobs:sector_detail", kwargs={"slug": self.slug})


class ConsultantQuerySet(PublicQuerySet):
    def active(self):
        return self.filter(is_active=True)

    def recruiting_in(self, sector):
        """Active consultants who lead the sector or have a live job in it."""
        live_in_sector = Vacancy.objects.live().in_sector(sector).values("consultant")
        return (
            self.active()
            .filter(Q(led_sectors=sector) | Q(pk__in=live_in_sector))
            .distinct()
            .order_by("name")
        )

    def team(self, jobs_each=5):
        """Active consultants for the team page, each with `live_count`, their newest
        `live_jobs` (at most jobs_each) and the `sectors` they recruit in: those they lead
        and those of their live jobs. Four queries, however many consultants and jobs."""
        newest_live = (
            Vacancy.objects.live()
            .only("title", "slug", "location", "consultant_id", "published_at")
            .newest_first()
        )
        consultants = list(
            self.active()
            .annotate(live_count=models.Count("vacancies", filter=live_condition("vacancies__")))
            .order_by("name")  # Meta.ordering does not apply to a query that counts
            .prefetch_related(
                models.Prefetch("vacancies", newest_live[:jobs_each], to_attr="live_jobs"),
                "led_sectors",
            )
        )
        sectors_with_jobs = (
            Sector.objects.filter(
                live_condition("vacancies__"), vacancies__consultant__in=consultants
            )
            .annotate(recruiter=F("vacancies__consultant"))
            .distinct()
        )
        recruiting = {}
        for sector in sectors_with_jobs:
            recruiting.setdefault(sector.recruiter, {})[sector.pk] = sector
        for consultant in consultants:
            sectors = recruiting.get(consultant.pk, {})
            sectors.update((sector.pk, sector) for sector in consultant.led_sectors.all())
            consultant.sectors = sorted(sectors.values(), key=lambda sector: sector.name)
        return consultants


class Consultant(VersionedModel):
    """The public face of a staff user: shown on the jobs they own."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="consultant",
        help_text="The staff login this profile belongs to. Staff only.",
    )
    name = models.CharField(max_length=150, help_text="Public.")
    job_title = models.CharField(max_length=150, blank=True, help_text="Public.")
    email = models.EmailField(help_text="Public: candidates write to this address.")
    phone = models.CharField(max_length=40, blank=True, help_text="Public.")
    photo = models.ImageField(upload_to="consultants/", blank=True, help_text="Public.")
    is_active = models.BooleanField(
        default=True, help_text="Inactive consultants cannot be given new vacancies."
    )

    objects = ConsultantQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def initials(self):
        """For the round badge shown when there is no photo: "Hannah O'Neill" is "HO"."""
        return "".join(word[0] for word in self.name.split()[:2] if word[:1].isalpha()).upper()


class Client(VersionedModel):
    """An employer we recruit for. What the public may see of one is decided here alone:
    `public_name`, `advertised_employer` and PUBLIC_FIELDS (the search index repeats the
    rule of public_name in SQL: jobs/search_index.py)."""

    # The columns the public properties below read: listings load only these.
    PUBLIC_FIELDS = ("name", "is_confidential", "public_description")

    name = models.CharField(
        max_length=200,
        unique=True,
        help_text="Staff only. Never shown on the site when the client is confidential.",
    )
    is_confidential = models.BooleanField(
        "confidential",
        default=False,
        help_text="Hide the client's name, website and logo everywhere on the site.",
    )
    public_description = models.CharField(
        max_length=200,
        blank=True,
        help_text=(
            "Public. Shown instead of the name when the client is confidential, "
            "e.g. “a global healthcare communications agency”."
        ),
    )
    website = models.URLField(blank=True, help_text="Public unless the client is confidential.")
    notes = models.TextField(blank=True, help_text="Staff only. Never shown on the site.")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = PublicQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(is_confidential=False) | ~Q(public_description=""),
                name="confidential_client_has_public_description",
                violation_error_message="A confidential client needs a public description.",
            )
        ]

    def __str__(self):
        return self.name

    @property
    def public_name(self):
        """What candidates may read about this client: its description when confidential."""
        return self.public_description if self.is_confidential else self.name

    @property
    def advertised_employer(self):
        """The hiring company named to job boards and search engines; None when confidential."""
        return None if self.is_confidential else self.name


class ClientContact(VersionedModel):
    """A person at a client. Staff only: never shown on the site."""

    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=150)
    job_title = models.CharField(max_length=150, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.client})"


# Enough of an advert to find its first sentence after a heading or two.
ADVERT_START_LENGTH = 600


class VacancyQuerySet(PublicQuerySet):
    def live(self):
        """Open, published, and not past its closing date: what candidates may see."""
        return self.filter(live_condition())

    def scheduled(self, now=None):
        """Open, but published in the future: they go live on their own."""
        return self.filter(status=VacancyStatus.OPEN, published_at__gt=now or timezone.now())

    def in_sector(self, sector):
        return self.filter(sector=sector)

    def featured(self):
        return self.filter(is_featured=True)

    def newest_first(self):
        return self.order_by("-published_at", "-pk")

    def for_listing(self):
        """Everything a job card shows, in one query: of the advert, only its start (for a
        card's summary line when the summary is empty)."""
        listed = self.select_related("sector", "client").annotate(
            advert_start=Substr("description", 1, ADVERT_START_LENGTH)
        )
        return listed.only(
            "title",
            "slug",
            "reference",
            "location",
            "latitude",
            "longitude",
            "workplace",
            "contract_type",
            "hours",
            "salary_min",
            "salary_max",
            "salary_period",
            "salary_currency",
            "salary_text",
            "summary",
            "published_at",
            "updated_at",
            "closes_on",
            "is_featured",
            "sector__name",
            "sector__slug",
            *(f"client__{name}" for name in Client.PUBLIC_FIELDS),
        )


class VacancyStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"
    FILLED = "filled", "Filled"


class VacancyWorkplace(models.TextChoices):
    ON_SITE = "on_site", "On-site"
    HYBRID = "hybrid", "Hybrid"
    REMOTE = "remote", "Remote"


class VacancyContractType(models.TextChoices):
    PERMANENT = "permanent", "Permanent"
    CONTRACT = "contract", "Contract"
    TEMPORARY = "temporary", "Temporary"


class VacancyHours(models.TextChoices):
    FULL_TIME = "full_time", "Full time"
    PART_TIME = "part_time", "Part time"


class VacancySalaryPeriod(models.TextChoices):
    YEAR = "year", "a year"
    DAY = "day", "a day"
    HOUR = "hour", "an hour"


class Place(models.Model):
    """A UK town or city from GeoNames (CC BY 4.0), loaded by migration 0017: where a "near"
    search starts from, and where a vacancy's location is (jobs/places.py)."""

    geonameid = models.PositiveIntegerField(unique=True)
    name = models.CharField(max_length=200)
    # The name as it is looked up: lower case, no accents or punctuation (places.place_key).
    key = models.CharField(max_length=100, db_index=True)
    latitude = models.FloatField()
    longitude = models.FloatField()
    population = models.PositiveIntegerField(default=0)
    # ENG, SCT, WLS or NIR.
    region_code = models.CharField(max_length=3, blank=True)

    def __str__(self):
        return self.name


# Migrations that alter this model's table must follow the SQLite rebuild rule in
# jobs/search_index.py (drop the search index first, install it after).
class Vacancy(VersionedModel):
    Status = VacancyStatus
    Workplace = VacancyWorkplace
    ContractType = VacancyContractType
    Hours = VacancyHours
    SalaryPeriod = VacancySalaryPeriod
    # How far the job is from the town searched near ("4 miles"), set on each result of such
    # a search (jobs.views). Blank here so templates never look it up and miss: a missed
    # look-up costs a template dir() of the whole vacancy.
    distance_label = ""

    title = models.CharField(max_length=200)
    slug = models.SlugField(
        max_length=220,
        unique=True,
        blank=True,
        help_text="The job page's address. Left blank, it is made from the title. "
        "Keep it once published.",
    )
    reference = models.CharField(
        max_length=30,
        unique=True,
        blank=True,
        help_text="The agency's reference, shown to candidates. Filled in on saving if left blank.",
    )
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="vacancies")
    consultant = models.ForeignKey(
        Consultant,
        on_delete=models.PROTECT,
        related_name="vacancies",
        help_text="Owns the vacancy: shown on the job page, and enquiries go to them.",
    )
    sector = models.ForeignKey(
        Sector,
        on_delete=models.PROTECT,
        related_name="vacancies",
        null=True,
        blank=True,
    )
    location = models.CharField(max_length=150)
    # Where the location is (jobs/places.py), for "near" searches: set on saving, and left
    # empty when the location names no known place ("Remote").
    latitude = models.FloatField(null=True, blank=True, editable=False)
    longitude = models.FloatField(null=True, blank=True, editable=False)
    region = models.CharField(
        max_length=100,
        blank=True,
        help_text="Public. The county or region (“West Yorkshire”), for job boards and search "
        "engines.",
    )
    postcode = models.CharField(
        max_length=10,
        blank=True,
        help_text="Public. The workplace's postcode, for job boards and search engines "
        "(never published for a confidential client).",
    )
    workplace = models.CharField(
        max_length=10,
        choices=VacancyWorkplace.choices,
        default=VacancyWorkplace.ON_SITE,
    )
    contract_type = models.CharField(
        max_length=10, choices=ContractType.choices, default=ContractType.PERMANENT
    )
    hours = models.CharField(max_length=10, choices=Hours.choices, default=Hours.FULL_TIME)
    positions = models.PositiveSmallIntegerField(
        default=1,
        help_text="How many people the client is hiring: the vacancy is marked filled when "
        "that many are placed. Staff only.",
    )
    salary_min = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    salary_max = models.DecimalField(max_digits=10, decimal_places=2, null=True, blank=True)
    salary_period = models.CharField(
        max_length=5, choices=SalaryPeriod.choices, default=SalaryPeriod.YEAR
    )
    salary_currency = models.CharField(max_length=3, default="GBP")
    salary_text = models.CharField(
        max_length=200,
        blank=True,
        help_text=(
            "Public. Shown after the figures (“plus bonus and car”), or alone when there are "
            "none (“Excellent salary and benefits”)."
        ),
    )
    summary = models.CharField(
        max_length=300,
        blank=True,
        help_text="One or two sentences for job cards and feeds.",
    )
    description = models.TextField(
        help_text="The full advert. Markdown: ### for a heading, - for a bullet point.",
        validators=[MaxLengthValidator(DESCRIPTION_MAX_LENGTH)],
    )
    # Rendered and sanitised on saving, not on every page view.
    description_html = models.TextField(blank=True, editable=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Set on publishing. A future date schedules the vacancy.",
    )
    closes_on = models.DateField(
        null=True,
        blank=True,
        help_text="Last day applications are taken. The job leaves the site after it.",
    )
    is_featured = models.BooleanField("featured", default=False)
    external_reference = models.CharField(
        max_length=100,
        blank=True,
        help_text="The advert's id where it came from (e.g. its Webindex). Imports match on it.",
    )
    source = models.CharField(
        max_length=100,
        blank=True,
        help_text="Where the advert came from, e.g. a job board.",
    )
    ended_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="When it was closed or filled."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Kept up to date by database triggers (PostgreSQL); SQLite keeps FTS5 tables instead.
    # The words stemmed ("english"), and as written ("simple") so exact words rank first.
    search_vector = SearchVectorField(null=True, editable=False)
    search_exact = SearchVectorField(null=True, editable=False)

    objects = VacancyQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "vacancies"
        ordering = ["-published_at", "-pk"]
        indexes = [
            # Newest live jobs first, with the id as tie-break, straight from the index.
            models.Index(fields=["status", "published_at", "id"], name="vacancy_newest_open"),
            # Every column the live rule and the search filters read: they are answered
            # from the index alone, never from rows that carry whole adverts.
            models.Index(
                fields=[
                    "status",
                    "published_at",
                    "closes_on",
                    "sector",
                    "workplace",
                    "contract_type",
                    "hours",
                    "location",
                    "salary_period",
                    "salary_min",
                    "salary_max",
                ],
                name="vacancy_search_filters",
            ),
            # "Near" searches: the vacancies in a latitude and longitude box.
            models.Index(fields=["latitude", "longitude"], name="vacancy_near"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=VacancyStatus.values),
                name="vacancy_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(workplace__in=VacancyWorkplace.values),
                name="vacancy_workplace_valid",
            ),
            models.CheckConstraint(
                condition=Q(contract_type__in=VacancyContractType.values),
                name="vacancy_contract_type_valid",
            ),
            models.CheckConstraint(
                condition=Q(hours__in=VacancyHours.values), name="vacancy_hours_valid"
            ),
            models.CheckConstraint(
                condition=Q(salary_period__in=VacancySalaryPeriod.values),
                name="vacancy_salary_period_valid",
            ),
            models.CheckConstraint(
                condition=Q(salary_min__isnull=True)
                | Q(salary_max__isnull=True)
                | Q(salary_min__lte=F("salary_max")),
                name="vacancy_salary_min_not_above_max",
                violation_error_message="The minimum salary is above the maximum.",
            ),
            models.CheckConstraint(
                condition=Q(salary_min__isnull=True) | Q(salary_min__gte=0),
                name="vacancy_salary_not_negative",
            ),
            models.CheckConstraint(
                condition=~Q(status=VacancyStatus.OPEN) | Q(published_at__isnull=False),
                name="vacancy_open_has_published_at",
            ),
            models.CheckConstraint(
                condition=Q(positions__gte=1),
                name="vacancy_at_least_one_position",
                violation_error_message="A vacancy has at least one position.",
            ),
            models.UniqueConstraint(
                fields=["external_reference"],
                condition=~Q(external_reference=""),
                name="vacancy_unique_external_reference",
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.reference})" if self.reference else self.title

    @classmethod
    def from_db(cls, db, field_names, values):
        vacancy = super().from_db(db, field_names, values)
        vacancy._located_from = vacancy.place_text()
        return vacancy

    def place_text(self):
        """What the vacancy's coordinates are read from (None while either is not loaded)."""
        if "location" not in self.__dict__ or "region" not in self.__dict__:
            return None
        return (self.location, self.region)

    def locate(self):
        """Set the coordinates from the location, when it is new or has changed."""
        if self.place_text() == getattr(self, "_located_from", None):
            return False
        self.latitude, self.longitude = coordinates(Place, self.location, self.region)
        self._located_from = self.place_text()
        return True

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = self.unique_slug(self.title)
        update_fields = kwargs.get("update_fields")
        may_move = update_fields is None or {"location", "region"} & set(update_fields)
        if may_move and self.locate() and update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "latitude", "longitude"}
        # Only what candidates may see reaches the page, feeds and structured data.
        self.description_html = render_markdown(public_text(self.description))
        if kwargs.get("update_fields") is not None and "description" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "description_html"}
        super().save(*args, **kwargs)
        if not self.reference:
            # The reference is made from the primary key, known only after insert.
            self.reference = self.reference_for(self.pk)
            Vacancy.objects.filter(pk=self.pk).update(reference=self.reference)

    def get_absolute_url(self):
        return reverse("jobs:vacancy_detail", kwargs={"slug": self.slug})

    @staticmethod
    def reference_for(number):
        return f"{settings.AGENCY['REFERENCE_PREFIX']}-{number:05d}"

    @classmethod
    def unique_slug(cls, title):
        return unique_slug(cls.objects.all(), title, "vacancy")

    @property
    def is_live(self):
        now = timezone.now()
        return (
            self.status == self.Status.OPEN
            and self.published_at is not None
            and self.published_at <= now
            and (self.closes_on is None or self.closes_on >= timezone.localdate(now))
        )

    @property
    def is_scheduled(self):
        return (
            self.status == self.Status.OPEN
            and self.published_at is not None
            and self.published_at > timezone.now()
        )

    @property
    def has_been_live(self):
        """Candidates could have opened its page: published, and not a draft."""
        return (
            self.status != self.Status.DRAFT
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    def can_be_published(self):
        """Draft or closed: open ones already are, and filled ones are duplicated instead."""
        return self.status not in (VacancyStatus.OPEN, VacancyStatus.FILLED)

    @property
    def has_ended(self):
        """Closed, filled or past its closing date: its page says the role is no longer open."""
        if self.status in (self.Status.CLOSED, self.Status.FILLED):
            return True
        return self.status == self.Status.OPEN and not self.is_live and not self.is_scheduled

    @property
    def ended_on(self):
        """The day it stopped taking applications, if it has."""
        if self.ended_at:
            return timezone.localdate(self.ended_at)
        if self.closes_on and self.has_ended:
            return self.closes_on
        return None

    @property
    def is_gone(self):
        """Ended long enough ago that its page answers 410 Gone.

        Measured from the moment it was closed when known: counting in local dates would
        gain or lose a day when the clocks changed in between.
        """
        limit = timedelta(days=settings.JOBS_GONE_AFTER_DAYS)
        if self.ended_at:
            return timezone.now() - self.ended_at > limit
        ended = self.ended_on
        return ended is not None and timezone.localdate() - ended > limit

    @property
    def public_postcode(self):
        """The postcode job boards and search engines get: none for a confidential client,
        whose street a postcode could give away."""
        return "" if self.client.is_confidential else self.postcode

    @property
    def salary_display(self):
        return format_salary(
            self.salary_min,
            self.salary_max,
            self.get_salary_period_display(),
            self.salary_currency,
            self.salary_text,
        )

    @property
    def summary_line(self):
        """The line a job card, feed or email shows: the summary, or the advert's first
        sentence; never a dataset's masked contact details."""
        summary = public_text(self.summary)
        if summary:
            return summary
        start = getattr(self, "advert_start", None)
        return first_sentence(self.description[:ADVERT_START_LENGTH] if start is None else start)

    def similar_live_jobs(self, count=5):
        """Live jobs to offer instead, from the same sector when it has one."""
        similar = Vacancy.objects.live().for_listing().newest_first().exclude(pk=self.pk)
        if self.sector_id:
            similar = similar.in_sector(self.sector_id)
        return similar[:count]

    def publish(self, when=None):
        """Open the vacancy; it goes live at `when` (now, or the date already set)."""
        if self.status == self.Status.FILLED:
            raise ValueError("A filled vacancy cannot be published again: duplicate it instead.")
        self.published_at = when or self.published_at or timezone.now()
        self.status = self.Status.OPEN
        self.ended_at = None
        self.save(update_fields=["status", "published_at", "ended_at", "updated_at"])

    def close(self):
        self.end(self.Status.CLOSED)

    def mark_filled(self):
        self.end(self.Status.FILLED)

    def reopen_unfilled(self):
        """Open a filled vacancy again when the placement that filled it is withdrawn."""
        if self.status == self.Status.FILLED:
            self.status = self.Status.OPEN
            self.ended_at = None
            self.save(update_fields=["status", "ended_at", "updated_at"])

    def end(self, status):
        self.status = status
        self.ended_at = self.ended_at or timezone.now()
        self.save(update_fields=["status", "ended_at", "updated_at"])

    def duplicate(self):
        """A draft copy to post a similar role: new slug and reference, not published."""
        copy = Vacancy.objects.get(pk=self.pk)
        copy.pk = None
        copy.slug = ""
        copy.reference = ""
        copy.external_reference = ""
        copy.status = self.Status.DRAFT
        copy.published_at = None
        copy.ended_at = None
        copy.is_featured = False
        copy.save()
        return copy
