from django.contrib import admin, messages
from django.db.models import Case, IntegerField, Value, When
from django.http import HttpResponseRedirect
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import ngettext

from recruitment.admin_tools import StoresUploadsSafely
from recruitment.locking.admin import VersionCheckedAdmin, VersionCheckedInline

from .importing import source_for
from .markup import POSTED_AS, tidy_advert
from .models import Client, ClientContact, Consultant, Sector, Vacancy


@admin.register(Sector)
class SectorAdmin(VersionCheckedAdmin, admin.ModelAdmin):
    list_display = ("name", "slug", "lead_consultant", "live_vacancies")
    search_fields = ("name",)
    list_select_related = ("lead_consultant",)
    autocomplete_fields = ("lead_consultant",)

    def get_queryset(self, request):
        return super().get_queryset(request).with_live_counts()

    @admin.display(description="Live vacancies", ordering="live_count")
    def live_vacancies(self, sector):
        return sector.live_count


@admin.register(Consultant)
class ConsultantAdmin(StoresUploadsSafely, VersionCheckedAdmin, admin.ModelAdmin):
    list_display = ("name", "job_title", "email", "phone", "is_active", "user")
    list_filter = ("is_active",)
    search_fields = ("name", "email", "phone", "user__username")
    list_select_related = ("user",)
    autocomplete_fields = ("user",)


class ClientContactInline(VersionCheckedInline, admin.TabularInline):
    model = ClientContact
    extra = 1
    verbose_name_plural = "Contacts (staff only, never shown on the site)"


@admin.register(Client)
class ClientAdmin(VersionCheckedAdmin, admin.ModelAdmin):
    list_display = ("name", "is_confidential", "shown_to_candidates_as", "created_at")
    list_filter = ("is_confidential",)
    search_fields = ("name", "public_description", "contacts__name", "contacts__email")
    inlines = [ClientContactInline]
    fieldsets = [
        (
            "Staff only: never shown on the site",
            {"fields": ["name", "notes"]},
        ),
        (
            "What candidates see",
            {
                "fields": ["is_confidential", "public_description", "website"],
                "description": (
                    "A confidential client is shown only by its public description, e.g. "
                    "“a global healthcare communications agency”: its name and website never "
                    "appear on the site, in feeds or in emails to candidates."
                ),
            },
        ),
    ]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "website":
            kwargs["assume_scheme"] = "https"
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    @admin.display(description="Shown to candidates as")
    def shown_to_candidates_as(self, client):
        return client.public_name


@admin.register(ClientContact)
class ClientContactAdmin(VersionCheckedAdmin, admin.ModelAdmin):
    list_display = ("name", "job_title", "client", "email", "phone")
    search_fields = ("name", "email", "phone", "client__name")
    list_select_related = ("client",)
    autocomplete_fields = ("client",)


class StatusFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return [*Vacancy.Status.choices, ("live", "Live on the site now")]

    def queryset(self, request, queryset):
        if self.value() == "live":
            return queryset.live()
        if self.value() in Vacancy.Status.values:
            return queryset.filter(status=self.value())
        return queryset


class MineFilter(admin.SimpleListFilter):
    title = "owner"
    parameter_name = "mine"

    def lookups(self, request, model_admin):
        return [("yes", "My vacancies")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(consultant__user=request.user)
        return queryset


@admin.register(Vacancy)
class VacancyAdmin(VersionCheckedAdmin, admin.ModelAdmin):
    list_display = (
        "title",
        "reference",
        "client",
        "consultant",
        "status",
        "live",
        "published_at",
        "closes_on",
        "is_featured",
        "board_link",
    )
    list_filter = (
        StatusFilter,
        MineFilter,
        "sector",
        "consultant",
        "contract_type",
        "workplace",
        "is_featured",
    )
    list_select_related = ("client", "consultant")
    search_fields = (
        "title",
        "reference",
        "external_reference",
        "client__name",
        "client__public_description",
        "location",
    )
    autocomplete_fields = ("client", "consultant", "sector")
    date_hierarchy = "published_at"
    readonly_fields = (
        "reference",
        "status",
        "preview_link",
        "enquiries_link",
        "advert_tools",
        "map_position",
        "created_at",
        "updated_at",
    )
    # Its own "Preview the public page" says what the link opens (change_form.html).
    view_on_site = False
    actions = ["publish", "close", "mark_filled", "duplicate"]
    list_per_page = 50
    fieldsets = [
        (
            None,
            {"fields": ["title", "slug", "reference", "status", "preview_link", "enquiries_link"]},
        ),
        ("Who", {"fields": ["client", "consultant", "sector"]}),
        (
            "Where and how",
            {
                "fields": [
                    "location",
                    "region",
                    "postcode",
                    "map_position",
                    "workplace",
                    "contract_type",
                    "hours",
                    "positions",
                ]
            },
        ),
        (
            "Salary",
            {
                "fields": [
                    ("salary_min", "salary_max", "salary_period", "salary_currency"),
                    "salary_text",
                ],
                "description": "Give figures where you can; candidates filter on them.",
            },
        ),
        ("Advert", {"fields": ["summary", "description", "advert_tools"]}),
        ("Publishing", {"fields": ["published_at", "closes_on", "is_featured"]}),
        (
            "Source",
            {
                "fields": ["external_reference", "source", "created_at", "updated_at"],
                "classes": ["collapse"],
            },
        ),
    ]

    def get_ordering(self, request):
        # Open vacancies first, then drafts, then the ones that have ended.
        status_rank = Case(
            When(status=Vacancy.Status.OPEN, then=Value(0)),
            When(status=Vacancy.Status.DRAFT, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
        return [status_rank.asc(), "-published_at", "-pk"]

    # Buttons on the vacancy form that save it, then change its state through the model's verbs.
    state_buttons = {
        "_publish": ("publish", "published"),
        "_close": ("close", "closed"),
        "_mark_filled": ("mark_filled", "marked as filled"),
    }

    def save_model(self, request, obj, form, change):
        if "_tidy" in request.POST:
            self.tidy(request, obj)
        super().save_model(request, obj, form, change)

    def tidy(self, request, vacancy):
        """A pasted plain-text advert made into headings and bullet points, as imports are."""
        posted_as = POSTED_AS.search(vacancy.description)
        tidied = tidy_advert(vacancy.description)
        if tidied is None:
            self.message_user(
                request,
                "This advert already has headings or bullet points, so it was left as it is.",
                messages.WARNING,
            )
            return
        vacancy.description = tidied
        if posted_as and not vacancy.source:
            vacancy.source = source_for({}, posted_as)[:100]
        lines = tidied.splitlines()
        headings = sum(line.startswith("### ") for line in lines)
        bullets = sum(line.startswith("- ") for line in lines)
        self.message_user(
            request,
            f"Advert tidied: {headings} heading{pluralize(headings)} and {bullets} bullet "
            f"point{pluralize(bullets)}. Check it below, then preview the public page.",
            messages.SUCCESS,
        )

    def response_add(self, request, obj, post_url_continue=None):
        if "_tidy" in request.POST:
            return HttpResponseRedirect(reverse("admin:jobs_vacancy_change", args=[obj.pk]))
        return self.respond_to_state_button(request, obj) or super().response_add(
            request, obj, post_url_continue
        )

    def response_change(self, request, obj):
        if "_tidy" in request.POST:
            return HttpResponseRedirect(reverse("admin:jobs_vacancy_change", args=[obj.pk]))
        if "_duplicate" in request.POST:
            copy = obj.duplicate()
            self.message_user(
                request, f"Saved, and a draft copy created: {copy}.", messages.SUCCESS
            )
            return HttpResponseRedirect(reverse("admin:jobs_vacancy_change", args=[copy.pk]))
        return self.respond_to_state_button(request, obj) or super().response_change(request, obj)

    def respond_to_state_button(self, request, vacancy):
        for button, (verb, done) in self.state_buttons.items():
            if button in request.POST:
                try:
                    getattr(vacancy, verb)()
                except ValueError as error:
                    self.message_user(request, str(error), messages.ERROR)
                else:
                    self.message_user(request, f"{vacancy} saved and {done}.", messages.SUCCESS)
                return HttpResponseRedirect(reverse("admin:jobs_vacancy_change", args=[vacancy.pk]))
        return None

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        consultant = getattr(request.user, "consultant", None)
        if consultant is not None:
            initial.setdefault("consultant", consultant.pk)
        return initial

    @admin.display(boolean=True, description="Live")
    def live(self, vacancy):
        return vacancy.is_live

    @admin.display(description="For searches near a town")
    def map_position(self, vacancy):
        """Where the location was placed on saving (jobs/places.py), or why it was not."""
        if not vacancy.pk:
            return "Placed from the location (or region) on saving."
        if vacancy.latitude is None:
            return (
                "Not placed: neither the location nor the region names a UK town we know, "
                "so searches near a town leave this job out."
            )
        where = f"{vacancy.latitude:.3f}, {vacancy.longitude:.3f}"
        return f"Placed at {where} (from the location or region)."

    @admin.display(description="On the site")
    def preview_link(self, vacancy):
        if not vacancy.pk:
            return "Save the vacancy to preview it."
        label = "View on the site" if vacancy.is_live else "Preview (staff only)"
        return format_html('<a href="{}" target="_blank">{}</a>', vacancy.get_absolute_url(), label)

    @admin.display(description="")
    def advert_tools(self, vacancy):
        preview = (
            format_html(
                '<a href="{}" target="_blank">{}</a>',
                vacancy.get_absolute_url(),
                "View the public page" if vacancy.is_live else "Preview the public page",
            )
            if vacancy.pk
            else "Save the vacancy to preview its page."
        )
        return format_html(
            '<div class="advert-tools"><button type="submit" name="_tidy" class="button">'
            "Save and tidy this advert</button><span>{}</span></div>"
            '<p class="help">Pasted a plain-text advert? Tidying makes headings of the '
            "words run into the text (“Client Liaison: …”), bullet points of the duties under "
            "them, and takes off a trailing “This job was originally posted as …”.</p>",
            preview,
        )

    @admin.display(description="Enquiries")
    def enquiries_link(self, vacancy):
        """The enquiry list's job filter offers only a consultant's own open jobs: any job's
        enquiries are one click from its page."""
        if not vacancy.pk:
            return "-"
        url = reverse("admin:candidates_enquiry_changelist")
        return format_html(
            '<a href="{}?vacancy={}&amp;whose=all">See its enquiries</a>', url, vacancy.pk
        )

    @admin.display(description="Pipeline")
    def board_link(self, vacancy):
        url = reverse("admin:pipeline_board", args=[vacancy.pk])
        return format_html('<a href="{}">Board</a>', url)

    def report(self, request, count, verb):
        self.message_user(
            request,
            ngettext("%(count)d vacancy %(verb)s.", "%(count)d vacancies %(verb)s.", count)
            % {"count": count, "verb": verb},
            messages.SUCCESS,
        )

    @admin.action(description="Publish selected vacancies", permissions=["change"])
    def publish(self, request, queryset):
        published = 0
        for vacancy in queryset:
            try:
                vacancy.publish()
                published += 1
            except ValueError as error:
                self.message_user(request, f"{vacancy}: {error}", messages.WARNING)
        self.report(request, published, "published")

    @admin.action(description="Close selected vacancies", permissions=["change"])
    def close(self, request, queryset):
        for vacancy in queryset:
            vacancy.close()
        self.report(request, len(queryset), "closed")

    @admin.action(description="Mark selected vacancies as filled", permissions=["change"])
    def mark_filled(self, request, queryset):
        for vacancy in queryset:
            vacancy.mark_filled()
        self.report(request, len(queryset), "marked as filled")

    @admin.action(description="Duplicate selected vacancies as drafts", permissions=["add"])
    def duplicate(self, request, queryset):
        copies = [vacancy.duplicate() for vacancy in queryset]
        if len(copies) == 1:
            url = reverse("admin:jobs_vacancy_change", args=[copies[0].pk])
            self.message_user(
                request,
                format_html('Draft copy created: <a href="{}">edit {}</a>.', url, copies[0]),
                messages.SUCCESS,
            )
        else:
            self.report(request, len(copies), "duplicated as drafts")
