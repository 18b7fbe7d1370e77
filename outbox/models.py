"""One record per outgoing email: what it says, whom it is for, what it is about, how it went."""

from datetime import timedelta

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import storages
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import SafeMIMEText
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone

from .mime import attachment_part, content_disposition, html_version, message_id


class MessageState(models.TextChoices):
    QUEUED = "queued", "Queued"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed: needs staff"


class MessageQuerySet(models.QuerySet):
    def queued(self):
        return self.filter(state=MessageState.QUEUED)

    def failed(self):
        return self.filter(state=MessageState.FAILED)

    def unsent(self):
        return self.exclude(state=MessageState.SENT)

    def due(self, now=None):
        """Queued, and neither backing off after a failure nor claimed by a sender."""
        return self.queued().filter(next_attempt_at__lte=now or timezone.now())

    def about(self, obj):
        return self.filter(about_type=ContentType.objects.get_for_model(obj), about_id=obj.pk)

    def about_any(self, queryset):
        """Messages about any of these rows (one model)."""
        return self.filter(
            about_type=ContentType.objects.get_for_model(queryset.model),
            about_id__in=queryset.values("pk"),
        )

    def to_address(self, email):
        return self.filter(recipient=email.strip().lower())

    def oldest_first(self):
        return self.order_by("created_at", "pk")


def messages_about_outer_row(model, purpose=None):
    """Messages about the row of the outer query (a `model` queryset), for Exists/Subquery."""
    messages = Message.objects.filter(
        about_type=ContentType.objects.get_for_model(model), about_id=OuterRef("pk")
    )
    return messages.filter(purpose=purpose) if purpose else messages


def latest_state(model, purpose=None):
    """For annotate(): the state of the newest message about each row."""
    latest = messages_about_outer_row(model, purpose).order_by("-pk").values("state")[:1]
    return Subquery(latest)


def backoff(attempts):
    """1, 2, 4… minutes after each failed attempt, at most an hour."""
    return timedelta(minutes=min(2 ** (attempts - 1), 60))


class Message(models.Model):
    """An email as it was queued. Sent by outbox.delivery; never edited once queued.

    Attachments are references to stored files (a storage alias and a name), read when the
    message is sent: a CV is never copied into the outbox. The one exception is a small text
    the site itself generated for this message (an interview's calendar invitation), kept in
    the row as `text`: it goes wherever the message goes, erasure included.
    """

    State = MessageState

    purpose = models.CharField(
        max_length=50, help_text="What kind of email it is, e.g. enquiry.notification."
    )
    about_type = models.ForeignKey(
        ContentType, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    about_id = models.PositiveBigIntegerField(null=True, blank=True)
    about = GenericForeignKey("about_type", "about_id")
    from_email = models.CharField(max_length=320)
    to = models.JSONField(help_text="Addresses, as they go in the To header.")
    cc = models.JSONField(default=list, blank=True)
    reply_to = models.JSONField(default=list, blank=True)
    recipient = models.EmailField(
        db_index=True, help_text="The first To address in lower case: who it was for."
    )
    headers = models.JSONField(default=dict, blank=True)
    subject = models.CharField(max_length=500)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    attachments = models.JSONField(
        default=list,
        blank=True,
        help_text="Stored files: [{storage, name, filename, content_type}], or text the site "
        "generated: [{text, filename, content_type}].",
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="Not before this time: a failed attempt backs off, a sender holds a claim.",
    )
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)

    objects = MessageQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        permissions = [("resend_message", "Can send an unsent email again")]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="outbox_due"),
            models.Index(fields=["about_type", "about_id"], name="outbox_about"),
            models.Index(fields=["created_at"], name="outbox_newest"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=MessageState.values), name="outbox_message_state_valid"
            ),
            models.CheckConstraint(
                condition=~Q(state=MessageState.SENT) | Q(sent_at__isnull=False),
                name="outbox_sent_message_has_sent_at",
            ),
        ]

    def __str__(self):
        return f"{self.subject} → {', '.join(self.to)}"

    @property
    def gave_up(self):
        return self.state == self.State.FAILED

    def as_email(self, connection=None):
        """The Django email to send. Raises whatever building it raises (a missing file…)."""
        email = EmailMultiAlternatives(
            subject=self.subject,
            body=self.body_text,
            from_email=self.from_email,
            to=self.to,
            cc=self.cc,
            reply_to=self.reply_to,
            # A message queued before Message-IDs were stored gets one on the site's domain.
            headers={"Message-ID": message_id(), **self.headers},
            connection=connection,
        )
        # Every email has an HTML version beside its text: written for it, or made from it.
        email.attach_alternative(
            self.body_html or html_version(self.subject, self.body_text), "text/html"
        )
        for attachment in self.attachments:
            if "text" in attachment:
                email.attach(generated_part(attachment))
                continue
            with storages[attachment["storage"]].open(attachment["name"], "rb") as file:
                content = file.read()
            email.attach(
                attachment_part(attachment["filename"], content, attachment["content_type"])
            )
        return email


def generated_part(attachment):
    """A generated text attachment, its content type's parameters kept (an invitation's
    `method=REQUEST` must be on the part's Content-Type for calendars to offer Accept)."""
    kind, *parameters = (part.strip() for part in attachment["content_type"].split(";"))
    part = SafeMIMEText(attachment["text"], kind.split("/", 1)[1], "utf-8")
    for parameter in parameters:
        name, _, value = parameter.partition("=")
        part.set_param(name, value.strip('"'))
    part["Content-Disposition"] = content_disposition(attachment["filename"])
    return part
