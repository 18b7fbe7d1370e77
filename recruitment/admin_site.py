from django.conf import settings
from django.contrib.admin import AdminSite
from django.urls import path
from django_otp.admin import OTPAdminAuthenticationForm, OTPAdminSite


class StaffAdminSite(OTPAdminSite):
    """The back office. With ADMIN_REQUIRE_2FA, staff also give a code from their TOTP app.

    Its index is the signed-in consultant's desk; Django's list of every table is one click
    away, at "All tables".
    """

    site_header = "Recruitment back office"
    site_title = "Back office"
    index_title = "All tables"

    @property
    def login_form(self):
        return OTPAdminAuthenticationForm if settings.ADMIN_REQUIRE_2FA else None

    @login_form.setter
    def login_form(self, value):
        # OTPAdminSite sets it in __init__; the property above decides at each request.
        pass

    def has_permission(self, request):
        if settings.ADMIN_REQUIRE_2FA:
            return super().has_permission(request)
        return AdminSite.has_permission(self, request)

    def get_urls(self):
        tables = path("tables/", self.admin_view(self.all_tables), name="all_tables")
        return [tables, *super().get_urls()]

    def index(self, request, extra_context=None):
        from pipeline.desk import desk  # the admin site is built before the apps' models

        return desk(request)

    def all_tables(self, request):
        return super().index(request)
