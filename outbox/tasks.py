from datetime import timedelta

from django_tasks import task

from . import delivery
from .models import Message


@task()
def deliver(message_id):
    """Send one queued email; after a failed attempt, queue this task again for its retry.

    The task queue has no retries of its own, so the retry is a new task that runs when the
    message's back-off ends. A backend that cannot run a task later (the immediate one)
    leaves the retry to the sweep, `manage.py send_queued_email`, which also catches
    anything a stopped worker left.
    """
    state = delivery.send(message_id)
    if state == Message.State.QUEUED and deliver.get_backend().supports_defer:
        retry_at = Message.objects.values_list("next_attempt_at", flat=True).get(pk=message_id)
        delivery.enqueue(message_id, run_after=retry_at + timedelta(seconds=1))
    return state
