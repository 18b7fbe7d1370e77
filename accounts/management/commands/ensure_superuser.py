import os
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

DEV_DEFAULTS = {
    "DJANGO_SUPERUSER_USERNAME": "admin",
    "DJANGO_SUPERUSER_EMAIL": "kelly@samsmall.example",
}
DEV_PASSWORD = "admin-dev-only"  # noqa: S105 - development only: refused when DEBUG is off


class Command(BaseCommand):
    help = (
        "Make sure a staff superuser exists, from DJANGO_SUPERUSER_USERNAME, _PASSWORD and "
        "_EMAIL (development defaults when DEBUG is on). With DEBUG off and no password set, "
        "a strong one is generated and printed once. An existing user is left as it is."
    )

    def handle(self, *args, **options):
        values = {}
        for name, default in DEV_DEFAULTS.items():
            values[name] = os.environ.get(name) or (default if settings.DEBUG else "")
            if not values[name]:
                raise CommandError(f"Set {name}: there are no defaults when DEBUG is off.")
        username, email = values["DJANGO_SUPERUSER_USERNAME"], values["DJANGO_SUPERUSER_EMAIL"]
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            self.stdout.write(f"Staff login: {username} (already exists, password unchanged)")
            return
        password = os.environ.get("DJANGO_SUPERUSER_PASSWORD", "")
        generated = not password and not settings.DEBUG
        if generated:
            password = secrets.token_urlsafe(18)
        elif not password:
            password = DEV_PASSWORD
        elif not settings.DEBUG:
            self.refuse_weak(password, User(username=username, email=email))
        User.objects.create_superuser(username=username, email=email, password=password)
        # A password someone chose stays out of the output (and so out of deploy logs).
        if generated:
            self.stdout.write(
                f"Staff login: {username} / {password} (created; this password is shown once)"
            )
        elif password == DEV_PASSWORD:
            self.stdout.write(f"Staff login: {username} (created, the development password)")
        else:
            self.stdout.write(f"Staff login: {username} (created, DJANGO_SUPERUSER_PASSWORD)")

    @staticmethod
    def refuse_weak(password, user):
        if password == DEV_PASSWORD:
            raise CommandError("DJANGO_SUPERUSER_PASSWORD is the development default.")
        try:
            validate_password(password, user)
        except ValidationError as error:
            reasons = " ".join(error.messages)
            raise CommandError(f"DJANGO_SUPERUSER_PASSWORD is too weak: {reasons}") from error
