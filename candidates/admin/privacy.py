from recruitment.admin_tools import RecordAdmin


class CVDownloadAdmin(RecordAdmin):
    list_display = ("downloaded_at", "kind", "user", "candidate", "enquiry")
    list_filter = ("kind", "user", "downloaded_at")
    search_fields = ("user__username", "candidate__name")
    list_select_related = ("user", "candidate", "enquiry")
    date_hierarchy = "downloaded_at"


class ErasureAdmin(RecordAdmin):
    list_display = ("erased_at", "candidate_number", "erased_by", "enquiries", "files")
    list_select_related = ("erased_by",)
