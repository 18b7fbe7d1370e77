from django.conf import settings
from django.contrib.auth import get_permission_codename
from django.contrib.auth.signals import user_login_failed
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path
from django_otp import devices_for_user
from django_otp.admin import OTPAdminAuthenticationForm, OTPAdminSite

from accounts.staff import is_verified_staff


class StaffLoginForm(OTPAdminAuthenticationForm):
    """The admin login with a second factor, giving one answer for every failure.

    django-otp's form says something else when the password was right and the code missing
    or wrong, and then lists the user's devices: a password oracle. Here a right password
    with a wrong code fails like a wrong password, counts towards the lock-out like one, and
    the code is tried against each of the user's devices (nobody picks one).
    """

    error_messages = {
        **OTPAdminAuthenticationForm.error_messages,
        "invalid_login": (
            "Please enter the correct %(username)s, password and code for a staff account. "
            "Note that each may be case-sensitive."
        ),
    }

    def clean(self):
        try:
            return super().clean()
        except ValidationError:
            if self.user_cache is not None:
                user_login_failed.send(
                    sender=__name__,
                    credentials={"username": self.cleaned_data.get("username")},
                    request=self.request,
                )
                self.user_cache = None
            raise self.get_invalid_login_error() from None

    def _verify_token(self, user, token, device=None):
        if device is not None:
            return super()._verify_token(user, token, device)
        for candidate in devices_for_user(user, for_verify=True):
            if candidate.verify_is_allowed()[0] and candidate.verify_token(token):
                return candidate
        raise ValidationError(self.otp_error_messages["invalid_token"], code="invalid_token")

    def _update_form(self, user):
        pass  # django-otp would list the user's devices: nothing is said about the user


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
        return StaffLoginForm if settings.ADMIN_REQUIRE_2FA else None

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
        tables = path("tables/", self.admin_view(self.all_tables), name="all_tables")
        urls = super().get_urls()
        return [tables] + [
            ours if getattr(url, "name", None) == "view_on_site" else url for url in urls
        ]

    def index(self, request, extra_context=None):
        from pipeline.desk import desk  # the admin site is built before the apps' models

        return desk(request)

    def all_tables(self, request):
        return super().index(request)

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
