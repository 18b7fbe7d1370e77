from django.conf import settings
from django.contrib.admin import AdminSite
from django_otp.admin import OTPAdminAuthenticationForm, OTPAdminSite


class StaffAdminSite(OTPAdminSite):
    """The back office. With ADMIN_REQUIRE_2FA, staff also give a code from their TOTP app."""

    site_header = "Recruitment back office"
    site_title = "Back office"
    index_title = "Clients, vacancies and candidates"

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
