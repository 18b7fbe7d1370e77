"""The consultants' side of placements: record one, invoice it, and read the numbers."""

from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminFileWidget
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, re_path, reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.html import format_html, format_html_join
from django.views.decorators.http import require_http_methods

from pipeline.models import PipelineEntry, Stage
from recruitment.admin_tools import StoresUploadsSafely
from recruitment.locking.admin import VersionCheckedAdmin

from . import forms as placement_forms
from . import invoices, report_page, services
from .models import PlacedElsewhere, Placement, TermsOfBusiness
from .money import as_money, describe_rebate_schedule


class TermsDocumentWidget(AdminFileWidget):
    """The stored document is private: its link is the staff download, never a file URL."""

    download_url = None
    document_name = ""

    def is_initial(self, value):
        return False  # the stock widget would ask the private storage for a URL

    def render(self, name, value, attrs=None, renderer=None):
        upload = super().render(name, value, attrs, renderer)
        if value and self.download_url:
            return format_html(
                '<p class="file-upload">Currently: <a href="{}">{}</a>. Choose a file to '
                "replace it:</p>{}",
                self.download_url,
                self.document_name or "the terms document",
                upload,
            )
        return upload


@admin.register(TermsOfBusiness)
class TermsOfBusinessAdmin(StoresUploadsSafely, VersionCheckedAdmin, admin.ModelAdmin):
    form = placement_forms.TermsForm
    list_display = ("client", "fee_percent", "rebates", "payment_days", "agreed_on", "has_document")
    list_filter = ("agreed_on",)
    search_fields = ("client__name",)
    list_select_related = ("client",)
    autocomplete_fields = ("client",)
    fieldsets = [
        (None, {"fields": ["client", "agreed_on", "document"]}),
        (
            "What a placement starts from",
            {"fields": ["fee_percent", "rebate_schedule", "payment_days"]},
        ),
    ]

    @admin.display(description="Rebate schedule")
    def rebates(self, terms):
        try:
            return describe_rebate_schedule(terms.rebate_bands)
        except ValidationError:
            return terms.rebate_schedule

    @admin.display(description="Terms document", boolean=True)
    def has_document(self, terms):
        return bool(terms.document)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        widget = TermsDocumentWidget()
        if obj is not None and obj.document:
            widget.download_url = reverse(
                "admin:placements_termsofbusiness_document", args=[obj.pk]
            )
            widget.document_name = obj.document_name
        form.base_fields["document"].widget = widget
        return form

    def save_model(self, request, obj, form, change):
        if "document" in form.changed_data:
            upload = form.cleaned_data["document"]  # the file as sent, not its stored name
            obj.document_name = upload.name if upload else ""
        super().save_model(request, obj, form, change)

    def get_urls(self):
        return [
            path(
                "<int:pk>/document/",
                self.admin_site.admin_view(self.document_view),
                name="placements_termsofbusiness_document",
            ),
            *super().get_urls(),
        ]

    def document_view(self, request, pk):
        if not self.has_view_permission(request):
            raise PermissionDenied
        terms = get_object_or_404(TermsOfBusiness, pk=pk)
        if not terms.document:
            raise Http404("These terms have no document")
        return FileResponse(
            terms.document.open("rb"),
            as_attachment=True,
            filename=terms.document_name or "terms",
        )


class FlagInline(admin.TabularInline):
    model = PlacedElsewhere
    verbose_name_plural = "The candidate's other pipelines, flagged to their consultants"
    fields = ("entry", "note", "follow_up", "created_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Placement)
class PlacementAdmin(VersionCheckedAdmin, admin.ModelAdmin):
    form = placement_forms.PlacementChangeForm
    list_display = (
        "reference",
        "candidate",
        "vacancy",
        "client",
        "kind",
        "placed_on",
        "start_date",
        "value_shown",
        "invoice_status",
    )
    list_filter = ("kind", "invoice_status", "channel", "placed_on")
    search_fields = (
        "candidate__name",
        "vacancy__title",
        "vacancy__reference",
        "client__name",
        "invoice_number",
    )
    list_select_related = ("candidate", "vacancy", "client")
    date_hierarchy = "placed_on"
    inlines = [FlagInline]
    readonly_fields = (
        "reference",
        "candidate",
        "vacancy",
        "client",
        "kind",
        "channel",
        "placed_at",
        "placed_by",
        "offer_accepted_on",
        "left_on",
        "figures",
        "shares",
        "invoicing",
    )
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "reference",
                    "candidate",
                    "vacancy",
                    "client",
                    "kind",
                    "channel",
                    "placed_at",
                    "placed_by",
                ]
            },
        ),
        ("Dates", {"fields": ["offer_accepted_on", "start_date", "left_on"]}),
        ("Figures", {"fields": ["figures", "shares"]}),
        ("Invoicing", {"fields": ["invoicing"]}),
        ("Notes", {"fields": ["notes"]}),
    ]
    change_list_template = "admin/placements/placement/change_list.html"
    change_form_template = "admin/placements/placement/change_form.html"

    class Media:
        css = {"all": ["placements/admin.css"]}

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    @admin.display(description="Reference")
    def reference(self, placement):
        return placement.reference

    @admin.display(description="Fee or margin")
    def value_shown(self, placement):
        if placement.is_permanent:
            return as_money(placement.net_fee)
        return negative_flagged(placement.expected_margin, "margin")

    @admin.display(description="Figures")
    def figures(self, placement):
        if placement.is_permanent:
            fee = (
                f"{placement.fee_percent.normalize():f} % of {as_money(placement.salary)}"
                if placement.fee_percent is not None
                else "a fixed fee"
            )
            lines = [
                ("Salary", as_money(placement.salary)),
                ("Fee", f"{as_money(placement.fee)} ({fee})"),
                ("Rebate schedule", describe_rebate_schedule(placement.rebate_bands)),
            ]
            if placement.left_on:
                lines.append(
                    (
                        "Rebate",
                        f"{as_money(placement.credit)}, leaving on {placement.left_on:%d %b %Y}",
                    )
                )
                lines.append(("Fee after rebate", as_money(placement.net_fee)))
            return definition_list(lines)
        unit = placement.get_rate_unit_display()
        lines = [
            ("Pay rate", f"{as_money(placement.pay_rate)} {unit}"),
            ("Charge rate", f"{as_money(placement.charge_rate)} {unit}"),
            ("Margin", negative_flagged(placement.margin_per_unit, f"margin {unit}")),
            (
                "Margin a week",
                negative_flagged(placement.margin_per_week, "margin a week"),
            ),
            (
                f"Margin over {placement.expected_weeks} weeks",
                negative_flagged(placement.expected_margin, "margin over the contract"),
            ),
            (
                "IR35",
                f"{placement.get_ir35_status_display()}, status determination statement "
                f"dated {placement.ir35_determined_on:%d %b %Y}",
            ),
        ]
        return definition_list(lines)

    @admin.display(description="Shares")
    def shares(self, placement):
        splits = placement.splits.select_related("consultant")
        rows = [
            (
                split.consultant.name,
                f"{split.percent.normalize():f} %",
                as_money(split.amount),
                f" (rebate {as_money(split.credit)})" if split.credit else "",
            )
            for split in splits
        ]
        return format_html(
            "<ul class='placement-shares'>{}</ul>",
            format_html_join("", "<li>{}: {}, {}{}</li>", rows),
        )

    @admin.display(description="State")
    def invoicing(self, placement):
        if not placement.is_permanent:
            return "Billed from timesheets (contracts are not invoiced here)."
        parts = [placement.get_invoice_status_display()]
        if placement.invoice_number:
            parts.append(f"invoice {placement.invoice_number} of {placement.invoiced_on:%d %b %Y}")
            parts.append(f"due {placement.due_on:%d %b %Y}")
        if placement.paid_on:
            parts.append(f"paid {placement.paid_on:%d %b %Y}")
        if placement.credited_on:
            parts.append(
                f"credit of {as_money(placement.credit)} due since {placement.credited_on:%d %b %Y}"
            )
        parts.append(f"payment terms {placement.payment_days} days")
        return "; ".join(parts)

    def add_view(self, request, form_url="", extra_context=None):
        return redirect("admin:placements_placement_record")

    # Deleting is withdrawing (services.withdraw_placement): one at a time, never once invoiced.
    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or services.can_withdraw(obj))

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def delete_model(self, request, obj):
        services.withdraw_placement(obj, by=request.user)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("record/", view(self.offers_view), name="placements_placement_record"),
            path(
                "record/<int:entry_id>/",
                view(self.record_view),
                name="placements_placement_record_entry",
            ),
            path("numbers/", view(self.numbers_view), name="placements_placement_numbers"),
            path("invoices/", view(self.invoices_view), name="placements_placement_invoices"),
            re_path(
                r"^(?P<pk>\d+)/(?P<action>invoiced|paid|left-early)/$",
                view(self.state_view),
                name="placements_placement_state",
            ),
            *super().get_urls(),
        ]

    def page(self, request, template, title, status=200, **context):
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "opts": self.model._meta,
            "media": self.media,
            **context,
        }
        return TemplateResponse(
            request, f"admin/placements/placement/{template}", context, status=status
        )

    def offers_view(self, request):
        """Candidates at the offer stage: each can become a placement."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        offers = (
            PipelineEntry.objects.active()
            .filter(stage__role=Stage.Role.OFFER)
            .select_related("candidate", "vacancy__client", "vacancy__consultant")
            .order_by("vacancy__title", "candidate__name")
        )
        return self.page(request, "offers.html", "Record a placement", offers=offers)

    @method_decorator(require_http_methods(["GET", "HEAD", "POST"]))
    def record_view(self, request, entry_id):
        if not self.has_add_permission(request):
            raise PermissionDenied
        entry = get_object_or_404(
            PipelineEntry.objects.select_related(
                "candidate", "stage", "vacancy__client", "vacancy__consultant"
            ),
            pk=entry_id,
        )
        data = request.POST if request.method == "POST" else None
        form = placement_forms.PlacementForm(data, initial=placement_forms.placement_initial(entry))
        splits = placement_forms.split_formset(data, consultant=entry.vacancy.consultant)
        if data is not None and form.is_valid() and splits.is_valid():
            try:
                placement = services.record_placement(
                    entry=entry, by=request.user, splits=splits.shares(), **form.cleaned_data
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                self.log_addition(request, placement, [{"added": {}}])
                self.message_user(
                    request,
                    f"Placement {placement.reference} recorded: {entry.candidate} is placed in "
                    f"{entry.vacancy}.",
                    messages.SUCCESS,
                )
                return redirect("admin:placements_placement_change", placement.pk)
        return self.page(
            request,
            "record.html",
            f"Record a placement: {entry.candidate}",
            status=400 if data is not None else 200,
            entry=entry,
            form=form,
            splits=splits,
            terms=TermsOfBusiness.objects.filter(client=entry.vacancy.client).first(),
            media=self.media + form.media,
        )

    STATE_FORMS = {
        "invoiced": (placement_forms.InvoicedForm, "Record its invoice"),
        "paid": (placement_forms.PaidForm, "Record its payment"),
        "left-early": (placement_forms.LeftEarlyForm, "The candidate left early"),
    }

    @method_decorator(require_http_methods(["GET", "HEAD", "POST"]))
    def state_view(self, request, pk, action):
        """Record an invoice, a payment or an early leaver: a verb on the placement."""
        placement = get_object_or_404(self.get_queryset(request), pk=pk)
        if not self.has_change_permission(request, placement):
            raise PermissionDenied
        form_class, title = self.STATE_FORMS[action]
        initial = {"number": placement.reference} if action == "invoiced" else {}
        form = form_class(request.POST if request.method == "POST" else None, initial=initial)
        if request.method == "POST" and form.is_valid():
            try:
                self.change_state(placement, action, form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                self.log_change(request, placement, [{"changed": {"fields": [title]}}])
                self.message_user(
                    request, f"{placement.reference}: {title.lower()}: done.", messages.SUCCESS
                )
                return redirect("admin:placements_placement_change", placement.pk)
        return self.page(
            request,
            "state.html",
            f"{placement.reference}: {title.lower()}",
            status=400 if request.method == "POST" else 200,
            placement=placement,
            form=form,
            action_title=title,
        )

    @staticmethod
    def change_state(placement, action, data):
        if action == "invoiced":
            placement.mark_invoiced(data["number"], data["on"])
        elif action == "paid":
            placement.mark_paid(data["on"])
        else:
            services.record_early_leave(placement, data["on"])

    def invoices_view(self, request):
        """Started permanent placements not yet invoiced: as a Xero import file, and marked
        invoiced once imported."""
        if not self.has_change_permission(request):
            raise PermissionDenied
        due = (
            self.get_queryset(request)
            .due_for_invoice()
            .select_related("client", "vacancy", "candidate")
            .order_by("start_date", "pk")
        )
        if request.method == "POST":
            return self.mark_invoiced(request, due)
        if request.GET.get("format") == "csv":
            return invoices.xero_csv(due)
        return self.page(request, "invoices.html", "Placements to invoice", placements=due)

    def mark_invoiced(self, request, due):
        today = timezone.localdate()
        wanted = {value for value in request.POST.getlist("placement") if value.isdigit()}
        marked = 0
        for placement in due.filter(pk__in=wanted):
            placement.mark_invoiced(placement.reference, today)
            self.log_change(request, placement, [{"changed": {"fields": ["Invoice"]}}])
            marked += 1
        self.message_user(
            request,
            f"{marked} placement(s) marked invoiced today, numbered as in the file.",
            messages.SUCCESS if marked else messages.WARNING,
        )
        return redirect("admin:placements_placement_invoices")

    def numbers_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        return report_page.respond(self, request)


def negative_flagged(amount, what):
    if amount is not None and amount < 0:
        return format_html(
            '<strong class="placement-negative">{} (negative {}: the contractor costs more '
            "than the client pays)</strong>",
            as_money(amount),
            what,
        )
    return as_money(amount)


def definition_list(lines):
    return format_html(
        "<dl class='placement-figures'>{}</dl>",
        format_html_join("", "<dt>{}</dt><dd>{}</dd>", lines),
    )
