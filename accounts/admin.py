from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from recruitment.locking.admin import VersionCheckedAdmin

from .models import User

# What only a superuser may grant: everything else a Manager may change on a staff login.
PRIVILEGES = ("is_superuser", "is_staff", "groups", "user_permissions")


@admin.register(User)
class StaffUserAdmin(VersionCheckedAdmin, UserAdmin):
    """Staff logins. A Manager adds logins, edits names and addresses, sets passwords and
    deactivates; only a superuser grants staff status, groups or permissions, or touches
    a superuser's login."""

    list_display = (
        "username",
        "email",
        "first_name",
        "last_name",
        "is_staff",
        "is_active",
    )
    list_filter = ("is_staff", "is_superuser", "is_active", "groups")

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        if request.user.is_superuser:
            return readonly
        return (*readonly, *PRIVILEGES, "last_login", "date_joined")

    def has_change_permission(self, request, obj=None):
        # Also guards the password form, which asks this of the user it changes.
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)
