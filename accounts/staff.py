from django.conf import settings


def is_verified_staff(request):
    """Whether this session may see what only staff see, anywhere on the site.

    The admin asks the same (StaffAdminSite.has_permission): an active staff login, which
    with ADMIN_REQUIRE_2FA has given its second factor in this session. A login whose TOTP
    device was removed is no longer verified.
    """
    user = request.user
    if not (user.is_active and user.is_staff):
        return False
    return not settings.ADMIN_REQUIRE_2FA or user.is_verified()
