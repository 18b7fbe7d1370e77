"""Everything about a candidate as one list, newest first, in a fixed number of queries.

One query for each kind of event, however long the candidate's history: enquiries, pipeline
moves, notes, emails, personal links, CV versions and what they did in their own space.
"""

from dataclasses import dataclass
from datetime import datetime

from pipeline.models import StageMove

from . import privacy
from .models import EnquiryLink

LIMIT = 50


@dataclass(frozen=True)
class Event:
    at: datetime
    kind: str
    record: object


def sources(candidate):
    """(kind, when field, newest-first queryset) for each kind of event."""
    newest = lambda field: (f"-{field}", "-pk")  # noqa: E731
    return [
        (
            "enquiry",
            "created_at",
            candidate.enquiries.select_related("vacancy")
            .only(
                "candidate",
                "created_at",
                "kind",
                "source",
                "about_closed_job",
                "cv",
                "cv_original_name",
                "vacancy__title",
                "vacancy__reference",
            )
            .order_by(*newest("created_at")),
        ),
        (
            "move",
            "moved_at",
            StageMove.objects.filter(entry__candidate=candidate)
            .select_related("entry__vacancy", "from_stage", "to_stage", "moved_by", "reason")
            .only(
                "moved_at",
                "actor",
                "note",
                "entry__vacancy__title",
                "entry__vacancy__reference",
                "from_stage__name",
                "to_stage__name",
                "moved_by__username",
                "moved_by__first_name",
                "moved_by__last_name",
                "reason__name",
            )
            .order_by(*newest("moved_at")),
        ),
        (
            "note",
            "created_at",
            candidate.notes.select_related("author", "entry__vacancy")
            .only(
                "candidate",
                "created_at",
                "kind",
                "outcome",
                "text",
                "author__username",
                "author__first_name",
                "author__last_name",
                "entry__vacancy__title",
                "entry__vacancy__reference",
            )
            .order_by(*newest("created_at")),
        ),
        (
            "email",
            "created_at",
            privacy.emails_about(candidate)
            .only("subject", "recipient", "state", "created_at", "sent_at", "attempts")
            .order_by(*newest("created_at")),
        ),
        (
            "link",
            "created_at",
            EnquiryLink.objects.filter(candidate=candidate)
            .select_related("vacancy", "sender")
            .only(
                "created_at",
                "channel",
                "expires_at",
                "revoked_at",
                "first_opened_at",
                "last_opened_at",
                "open_count",
                "vacancy__title",
                "vacancy__reference",
                "sender__name",
            )
            .order_by(*newest("created_at")),
        ),
        (
            "space",
            "at",
            candidate.space_activity.order_by(*newest("at")),
        ),
        (
            "cv",
            "uploaded_at",
            candidate.cvs.select_related("uploaded_by")
            .defer("text")
            .order_by(*newest("uploaded_at")),
        ),
    ]


def timeline(candidate, limit=LIMIT):
    """(events newest first, whether there are more than `limit`); every event if no limit.

    The newest `limit` events overall are among the newest `limit` of each kind, so each
    kind is read that far (one more, to know whether there are more).
    """
    events = []
    for kind, field, queryset in sources(candidate):
        rows = queryset[: limit + 1] if limit else queryset
        events += [Event(getattr(row, field), kind, row) for row in rows]
    events.sort(key=lambda event: (event.at, event.record.pk), reverse=True)
    if limit and len(events) > limit:
        return events[:limit], True
    return events, False
