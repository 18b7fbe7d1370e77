"""Job alerts: double opt-in, then digests of new live jobs matching a saved search."""

from dataclasses import replace
from urllib.parse import parse_qsl

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from jobs.search import JobSearch
from outbox import delivery
from recruitment.site import absolute_url, site_host

from .models import JobAlert
from .notifications import (
    ALERT_CONFIRMATION,
    AUTO_GENERATED,
    AUTO_REPLY,
    may_email_visitor,
    visitor_text,
)

DIGEST = "alert.digest"
DIGEST_SIZE = 20


def saved_search(querystring):
    """The filters of a job-list query string, as stored on an alert (no sort or page, and
    no town the search did not know)."""
    search = JobSearch.from_params(dict(parse_qsl(querystring)))
    if search.unknown_place:  # the page showed jobs anywhere: so does the alert
        search = replace(search, near="", within="")
    params = search.params()
    params.pop("sort", None)
    return params


def subscribe(email, querystring, frequency):
    """An unconfirmed alert (or the same one again), whose confirmation email is queued.

    An alert that exists already is never changed here: anyone may type any address, and
    only the holder of the alert's link may change it.
    """
    search = saved_search(querystring)
    with transaction.atomic():
        alert = (
            JobAlert.objects.filter(
                email__iexact=email, search=search, unsubscribed_at__isnull=True
            )
            .order_by("-created_at")
            .first()
        )
        if alert is None:
            alert = JobAlert.objects.create(email=email, search=search, frequency=frequency)
        if not alert.is_active:
            queue_confirmation(alert)
    return alert


def links(alert):
    return {
        "manage_url": absolute_url(alert.manage_url()),
        "confirm_url": absolute_url(reverse("candidates:alert_confirm", args=[alert.token])),
        "unsubscribe_url": absolute_url(
            reverse("candidates:alert_unsubscribe", args=[alert.token])
        ),
    }


def unsubscribe_headers(alert):
    """RFC 8058 one-click unsubscribe: mail clients POST to the URL."""
    return {
        "List-Unsubscribe": f"<{links(alert)['unsubscribe_url']}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def digest_headers(alert):
    """A digest is list mail (RFC 2919 List-Id, so mail programs can file and filter it),
    sent by machine, with its one-click unsubscribe and the alert's page to change it."""
    name = settings.AGENCY["NAME"].replace('"', "").replace("\\", "")
    return {
        "List-Id": f'"{name} job alerts" <job-alerts.{site_host()}>',
        **unsubscribe_headers(alert),
        "List-Help": f"<{links(alert)['manage_url']}>",
        "Precedence": "bulk",
        **AUTO_GENERATED,
    }


def describe_to_a_stranger(alert):
    """The alert's search in words short and plain enough to send to an unconfirmed address."""
    words = visitor_text(alert.search.get("q", ""), limit=60)
    filters = {key: value for key, value in alert.search.items() if key != "q"}
    return JobAlert(search={"q": words, **filters} if words else filters).describe()


def queue_confirmation(alert):
    if not may_email_visitor(alert.email):
        return None
    context = {
        "alert": alert,
        "search": describe_to_a_stranger(alert),
        "agency": settings.AGENCY,
        **links(alert),
    }
    return delivery.queue(
        purpose=ALERT_CONFIRMATION,
        about=alert,
        to=[alert.email],
        subject=f"Confirm your job alert from {settings.AGENCY['NAME']}",
        body=render_to_string("candidates/email/alert_confirm.txt", context),
        headers=AUTO_REPLY,
    )


def new_jobs(alert, until):
    search = JobSearch.from_params({**alert.search, "sort": "newest"})
    jobs = search.newest().filter(published_at__gt=alert.jobs_since, published_at__lte=until)
    return list(jobs.select_related("sector", "client")[:DIGEST_SIZE])


@transaction.atomic
def queue_digest(alert, now=None):
    """Queue the alert's new jobs as one email, if any; True if one was queued.

    The alert is claimed (its last-sent time moved on) in the same transaction as the email
    is queued, so two runs never queue the same digest, and a digest once queued is the
    outbox's to deliver.
    """
    now = now or timezone.now()
    jobs = new_jobs(alert, now)
    if not jobs:
        return False
    unchanged = Q(last_sent_at=alert.last_sent_at) if alert.last_sent_at else Q(last_sent_at=None)
    claimed = JobAlert.objects.filter(unchanged, pk=alert.pk, jobs_since=alert.jobs_since)
    if not claimed.update(last_sent_at=now, jobs_since=now):
        return False
    context = {"alert": alert, "jobs": jobs, "agency": settings.AGENCY, **links(alert)}
    delivery.queue(
        purpose=DIGEST,
        about=alert,
        to=[alert.email],
        subject=f"{len(jobs)} new job{'s' if len(jobs) != 1 else ''}: {alert.describe()}",
        body=render_to_string("candidates/email/alert_digest.txt", context),
        headers=digest_headers(alert),
    )
    return True


def queue_due_digests(now=None):
    now = now or timezone.now()
    return sum(queue_digest(alert, now) for alert in JobAlert.objects.due(now))
