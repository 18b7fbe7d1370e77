from django.contrib.auth.models import AbstractUser


class User(AbstractUser):
    """A staff login. Its public face on the site is a jobs.Consultant."""

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
