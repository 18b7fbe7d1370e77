from django.contrib.auth.models import AbstractUser

from recruitment.locking.models import VersionedModel


class User(VersionedModel, AbstractUser):
    """A staff login. Its public face on the site is a jobs.Consultant."""

    # Never shown as a change (a password hash has no place in a page), and saving them alone,
    # as logging in does, leaves the version be.
    unversioned_fields = ("last_login", "password")

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
