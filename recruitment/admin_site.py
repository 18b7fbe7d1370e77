from django.conf import settings
from django.contrib.auth import get_permission_codename
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path
from django_otp.admin import OTPAdminAuthenticationForm, OTPAdminSite

from accounts.staff import is_verified_staff


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
        return is_verified_staff(request)

    def get_urls(self):
        ours = path(
            "r/<path:content_type_id>/<path:object_id>/",
            self.admin_view(self.view_on_site),
            name="view_on_site",
        )
        urls = super().get_urls()
        return [ours if getattr(url, "name", None) == "view_on_site" else url for url in urls]

    def view_on_site(self, request, content_type_id, object_id):
        """The admin's "view on site" shortcut, for staff who may view the object itself.

        Django's own checks only is_staff: any staff member could walk the sequential ids
        of any model with a get_absolute_url.
        """
        try:
            content_type = ContentType.objects.get_for_id(int(content_type_id))
            model = content_type.model_class()
            if model is None:
                raise Http404("No such object")
            if not may_view(request.user, model):
                raise PermissionDenied
            obj = model._default_manager.get(pk=object_id)
        except (ObjectDoesNotExist, ValueError) as error:
            raise Http404("No such object") from error
        if not hasattr(obj, "get_absolute_url"):
            raise Http404("This kind of object has no page on the site")
        return redirect(obj.get_absolute_url())


def may_view(user, model):
    opts = model._meta
    return any(
        user.has_perm(f"{opts.app_label}.{get_permission_codename(action, opts)}")
        for action in ("view", "change")
    )
