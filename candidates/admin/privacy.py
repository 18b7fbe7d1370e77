from django.contrib import admin


class CVDownloadAdmin(admin.ModelAdmin):
    list_display = ("downloaded_at", "kind", "user", "candidate", "enquiry")
    list_filter = ("kind", "user", "downloaded_at")
    search_fields = ("user__username", "candidate__name")
    list_select_related = ("user", "candidate", "enquiry")
    date_hierarchy = "downloaded_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # the record of who saw a CV is not for editing


class ErasureAdmin(admin.ModelAdmin):
    list_display = ("erased_at", "candidate_number", "erased_by", "enquiries", "files")
    list_select_related = ("erased_by",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
