import os

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

DEV_DEFAULTS = {
    "DJANGO_SUPERUSER_USERNAME": "admin",
    "DJANGO_SUPERUSER_PASSWORD": "admin-dev-only",
    "DJANGO_SUPERUSER_EMAIL": "kelly@samsmall.example",
}


class Command(BaseCommand):
    help = (
        "Make sure a staff superuser exists, from DJANGO_SUPERUSER_USERNAME, _PASSWORD and "
        "_EMAIL (development defaults when DEBUG is on). An existing user is left as it is."
    )

    def handle(self, *args, **options):
        values = {}
        for name, default in DEV_DEFAULTS.items():
            values[name] = os.environ.get(name) or (default if settings.DEBUG else "")
            if not values[name]:
                raise CommandError(f"Set {name}: there are no defaults when DEBUG is off.")
        username = values["DJANGO_SUPERUSER_USERNAME"]
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            self.stdout.write(f"Staff login: {username} (already exists, password unchanged)")
            return
        User.objects.create_superuser(
            username=username,
            email=values["DJANGO_SUPERUSER_EMAIL"],
            password=values["DJANGO_SUPERUSER_PASSWORD"],
        )
        self.stdout.write(
            f"Staff login: {username} / {values['DJANGO_SUPERUSER_PASSWORD']} (created)"
        )
