"""Absolute addresses of the site's pages, made from SITE_URL.

Never from the request's Host header: a page, feed or email that names the site must not
name whatever host a client sent (a cached page would pass it on to everyone).
"""

from urllib.parse import urlsplit

from django.conf import settings


def absolute_url(path):
    """SITE_URL and a path from reverse() or get_absolute_url()."""
    return settings.SITE_URL + path


def site_scheme_and_domain():
    scheme, _, domain = settings.SITE_URL.partition("://")
    return scheme, domain


def site_host():
    """SITE_URL's host name, without scheme or port (jobs.example): the domain of the
    site's email Message-IDs and List-Id."""
    return urlsplit(settings.SITE_URL).hostname or "localhost"
