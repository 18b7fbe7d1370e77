from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from . import alerts, links, notifications
from .models import JobAlert


def deliver_or_retry(this_task, deliver, object_id):
    """Run a delivery; after a failure, queue this task again once its back-off ends.

    django-tasks marks a task that raises as failed and never retries it, so delivery
    functions return the back-off delay when sending failed.
    """
    delay = deliver(object_id)
    if delay is not None:
        retry_at = timezone.now() + delay + timedelta(seconds=1)
        this_task.using(run_after=retry_at).enqueue(object_id)
    return delay is None


@task()
def deliver_enquiry(enquiry_id):
    """Send an enquiry's notification and confirmation emails."""
    return deliver_or_retry(deliver_enquiry, notifications.deliver, enquiry_id)


@task()
def deliver_link_message(message_id):
    """Send a consultant's email of personal links."""
    return deliver_or_retry(deliver_link_message, links.deliver, message_id)


@task()
def send_alert_confirmation(alert_id):
    alert = JobAlert.objects.filter(pk=alert_id, confirmed_at__isnull=True).first()
    if alert:
        alerts.send_confirmation(alert)
    return alert is not None
