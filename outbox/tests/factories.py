import factory
from django.utils import timezone

from outbox.models import Message


class QueuedMessageFactory(factory.django.DjangoModelFactory):
    """An email waiting in the outbox, due now."""

    class Meta:
        model = Message

    purpose = "test.message"
    from_email = "jobs@samsmall.example"
    to = factory.Sequence(lambda n: [f"person{n}@example.com"])
    recipient = factory.LazyAttribute(lambda message: message.to[0].lower())
    subject = factory.Sequence(lambda n: f"Message {n}")
    body_text = "Hello."
    next_attempt_at = factory.LazyFunction(timezone.now)


class SentMessageFactory(QueuedMessageFactory):
    state = Message.State.SENT
    sent_at = factory.LazyFunction(timezone.now)
    next_attempt_at = None


class FailedMessageFactory(QueuedMessageFactory):
    state = Message.State.FAILED
    attempts = 15
    next_attempt_at = None
    last_error = "SMTPServerDisconnected: Connection unexpectedly closed"
