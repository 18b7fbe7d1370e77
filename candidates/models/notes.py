"""What consultants write down about a candidate: notes, calls, emails and meetings."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .candidates import Candidate


class NoteKind(models.TextChoices):
    NOTE = "note", "Note"
    CALL = "call", "Call"
    EMAIL = "email", "Email"
    MEETING = "meeting", "Meeting"


class CallOutcome(models.TextChoices):
    VOICEMAIL = "voicemail", "Left voicemail"
    INTERESTED = "interested", "Spoke: interested"
    NOT_INTERESTED = "not_interested", "Spoke: not interested"
    NO_ANSWER = "no_answer", "No answer"


class Note(models.Model):
    """A line of activity on a candidate, optionally about one of their pipeline entries.

    Staff only, and personal data: never logged, exported with the candidate, gone with them.
    """

    Kind = NoteKind
    Outcome = CallOutcome

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="notes")
    entry = models.ForeignKey(
        "pipeline.PipelineEntry",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="notes",
        verbose_name="about the job",
        help_text="The pipeline it is about, if one.",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    kind = models.CharField(max_length=10, choices=NoteKind.choices, default=NoteKind.NOTE)
    outcome = models.CharField(
        max_length=16, choices=CallOutcome.choices, blank=True, help_text="Calls only."
    )
    text = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["candidate", "created_at"], name="note_candidate_newest")]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=NoteKind.values), name="note_kind_valid"),
            models.CheckConstraint(
                condition=Q(outcome="") | Q(kind=NoteKind.CALL, outcome__in=CallOutcome.values),
                name="note_outcome_of_a_call",
            ),
            models.CheckConstraint(
                condition=~Q(text="") | ~Q(outcome=""), name="note_says_something"
            ),
        ]

    def __str__(self):
        # Never the text: __str__ reaches the admin's log and error pages.
        return f"{self.get_kind_display()} {self.pk} on candidate {self.candidate_id}"
