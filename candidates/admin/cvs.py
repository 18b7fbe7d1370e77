from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html


class CandidateCVAdmin(admin.ModelAdmin):
    """Every CV version: read here, added and chosen on the candidate's page."""

    list_display = ("uploaded_at", "candidate", "download", "text_status", "is_current", "size")
    list_filter = ("text_status", "is_current", "uploaded_at")
    list_select_related = ("candidate",)
    search_fields = ("candidate__name",)
    search_help_text = "A candidate's name. To search the CVs' words, search candidates."
    fields = (
        "candidate",
        "download",
        "size",
        "sha256",
        "uploaded_at",
        "uploaded_by",
        "enquiry",
        "text_status",
        "is_current",
    )
    readonly_fields = fields
    show_full_result_count = False

    def get_queryset(self, request):
        return super().get_queryset(request).defer("text")

    @admin.display(description="File")
    def download(self, version):
        url = reverse("candidates:cv_version_download", args=[version.pk])
        return format_html('<a href="{}">Download {}</a>', url, version.download_name)

    def has_add_permission(self, request):
        return False  # on the candidate's page, where it becomes a version of theirs

    def has_change_permission(self, request, obj=None):
        return False


class NoteAdmin(admin.ModelAdmin):
    """Notes and logged calls: written on the candidate's page, read on their timeline."""

    list_display = ("created_at", "candidate", "kind", "outcome", "author")
    list_filter = ("kind", "outcome", "created_at")
    list_select_related = ("candidate", "author")
    search_fields = ("candidate__name",)
    fields = ("candidate", "entry", "author", "created_at", "kind", "outcome", "text")
    readonly_fields = fields
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
