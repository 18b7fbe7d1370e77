"""System checks of our own settings (`manage.py check --deploy` runs the deploy ones)."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Tags, register
from django.core.checks import Warning as CheckWarning
from django.http.request import validate_host


@register(Tags.security, deploy=True)
def site_url_is_this_site(app_configs, **kwargs):
    """Links in emails are made from SITE_URL by whichever process sends them."""
    host = urlsplit(settings.SITE_URL).hostname or ""
    if validate_host(host, settings.ALLOWED_HOSTS):
        return []
    return [
        CheckWarning(
            f"SITE_URL ({settings.SITE_URL}) is not an address this site answers to "
            "(ALLOWED_HOSTS): every link in emails would point there.",
            hint="Set SITE_URL to the public address (e.g. https://jobs.example) in the "
            "environment of every process: web, worker and scheduled commands.",
            id="recruitment.W001",
        )
    ]
