from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from recruitment.locking.admin import VersionCheckedAdmin

from .models import User


@admin.register(User)
class StaffUserAdmin(VersionCheckedAdmin, UserAdmin):
    list_display = (
        "username",
        "email",
        "first_name",
        "last_name",
        "is_staff",
        "is_active",
    )
    list_filter = ("is_staff", "is_superuser", "is_active", "groups")
