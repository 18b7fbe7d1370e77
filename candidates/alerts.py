"""Job alerts: double opt-in, then digests of new live jobs matching a saved search."""

import logging
from urllib.parse import parse_qsl

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from jobs.search import JobSearch
from recruitment.site import absolute_url

from . import tasks
from .models import JobAlert
from .notifications import DELIVERY_ERRORS

logger = logging.getLogger(__name__)
DIGEST_SIZE = 20


def saved_search(querystring):
    """The filters of a job-list query string, as stored on an alert (no sort or page)."""
    params = JobSearch.from_params(dict(parse_qsl(querystring))).params()
    params.pop("sort", None)
    return params


def subscribe(email, querystring, frequency):
    """An unconfirmed alert (or the same one again), whose confirmation email is queued."""
    search = saved_search(querystring)
    alert = (
        JobAlert.objects.filter(email__iexact=email, search=search, unsubscribed_at__isnull=True)
        .order_by("-created_at")
        .first()
    )
    if alert is None:
        alert = JobAlert.objects.create(email=email, search=search, frequency=frequency)
    elif alert.frequency != frequency:
        alert.change_frequency(frequency)
    if not alert.is_active:
        tasks.send_alert_confirmation.enqueue(alert.pk)
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


def send_confirmation(alert):
    context = {"alert": alert, "agency": settings.AGENCY, **links(alert)}
    EmailMessage(
        subject=f"Confirm your job alert from {settings.AGENCY['NAME']}",
        body=render_to_string("candidates/email/alert_confirm.txt", context),
        to=[alert.email],
    ).send()


def new_jobs(alert, until):
    search = JobSearch.from_params({**alert.search, "sort": "newest"})
    jobs = search.newest().filter(published_at__gt=alert.jobs_since, published_at__lte=until)
    return list(jobs.select_related("sector", "client")[:DIGEST_SIZE])


def send_digest(alert, now=None):
    """Email the alert's new jobs, if any. Claims the alert first, so two runs never both send."""
    now = now or timezone.now()
    jobs = new_jobs(alert, now)
    if not jobs:
        return False
    unchanged = Q(last_sent_at=alert.last_sent_at) if alert.last_sent_at else Q(last_sent_at=None)
    claimed = JobAlert.objects.filter(unchanged, pk=alert.pk, jobs_since=alert.jobs_since)
    if not claimed.update(last_sent_at=now, jobs_since=now):
        return False
    context = {"alert": alert, "jobs": jobs, "agency": settings.AGENCY, **links(alert)}
    message = EmailMessage(
        subject=f"{len(jobs)} new job{'s' if len(jobs) != 1 else ''}: {alert.describe()}",
        body=render_to_string("candidates/email/alert_digest.txt", context),
        to=[alert.email],
        headers=unsubscribe_headers(alert),
    )
    try:
        message.send()
    except DELIVERY_ERRORS as error:
        # Give the claim back so the next run sends these jobs.
        JobAlert.objects.filter(pk=alert.pk).update(
            last_sent_at=alert.last_sent_at, jobs_since=alert.jobs_since
        )
        logger.warning("Job alert %s: digest failed (%s)", alert.pk, type(error).__name__)
        return False
    return True


def send_due_digests(now=None):
    now = now or timezone.now()
    return sum(send_digest(alert, now) for alert in JobAlert.objects.due(now))
