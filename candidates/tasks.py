from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from . import alerts, links, notifications
from .models import JobAlert


@task()
def deliver_enquiry(enquiry_id):
    """Send an enquiry's emails; after a failure, queue another try once the back-off ends."""
    delay = notifications.deliver(enquiry_id)
    if delay is not None:
        retry_at = timezone.now() + delay + timedelta(seconds=1)
        deliver_enquiry.using(run_after=retry_at).enqueue(enquiry_id)
    return delay is None


@task()
def send_alert_confirmation(alert_id):
    alert = JobAlert.objects.filter(pk=alert_id, confirmed_at__isnull=True).first()
    if alert:
        alerts.send_confirmation(alert)
    return alert is not None


@task()
def deliver_link_message(message_id):
    """Send a consultant's link email; after a failure, try again once the back-off ends."""
    delay = links.deliver(message_id)
    if delay is not None:
        retry_at = timezone.now() + delay + timedelta(seconds=1)
        deliver_link_message.using(run_after=retry_at).enqueue(message_id)
    return delay is None
