"""UK GDPR duties: retention (anonymise when the period ends), subject access export, erasure."""

import io
import json
import zipfile
from datetime import timedelta
from pathlib import PurePath

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from outbox.models import Message
from pipeline.models import (
    Agreement,
    ClientProfile,
    Interview,
    Introduction,
    Shortlist,
    StageMove,
)

from .models import Candidate, Enquiry, EnquiryLink, Erasure, JobAlert, LinkMessage

PLACED = [Enquiry.Status.PLACED]
PUT_FORWARD = [
    Enquiry.Status.SHORTLISTED,
    Enquiry.Status.SENT_TO_CLIENT,
    Enquiry.Status.INTERVIEW,
    Enquiry.Status.OFFER,
]
# The same, as the pipeline's stage roles: a candidate who ever reached one counts.
PLACED_ROLES = ["placed"]
PUT_FORWARD_ROLES = ["shortlisted", "cv_sent", "interview", "offer"]


def reached(statuses, roles):
    """Whether the outer candidate got this far: by an enquiry's status or a pipeline move."""
    by_enquiry = Exists(Enquiry.objects.filter(candidate=OuterRef("pk"), status__in=statuses))
    by_pipeline = Exists(
        StageMove.objects.filter(entry__candidate=OuterRef("pk"), to_stage__role__in=roles)
    )
    return by_enquiry | by_pipeline


def retention_days(kind):
    """A kind's period, never shorter than the legal minimum the agency has configured."""
    return max(settings.RETENTION_DAYS[kind], settings.RETENTION_MINIMUM_DAYS)


def candidates_past_retention(now=None):
    """{kind: candidates whose period has ended}, by how far each got with the agency."""
    now = now or timezone.now()
    current = Candidate.objects.filter(anonymised_at__isnull=True).annotate(
        placed=reached(PLACED, PLACED_ROLES), put_forward=reached(PUT_FORWARD, PUT_FORWARD_ROLES)
    )
    groups = {
        "placed": current.filter(placed=True),
        "registered": current.filter(placed=False, put_forward=True),
        "enquiry": current.filter(placed=False, put_forward=False),
    }
    return {
        kind: candidates.filter(last_activity_at__lt=now - timedelta(days=retention_days(kind)))
        for kind, candidates in groups.items()
    }


def cv_files(candidate):
    """Every stored CV file of a candidate: each version, and each sent with an enquiry."""
    files = {version.file for version in candidate.cvs.defer("text") if version.file}
    files |= {enquiry.cv for enquiry in candidate.enquiries.all() if enquiry.cv}
    files |= files_for_clients(candidate)
    return {file.name: file for file in files}


def files_for_clients(candidate):
    """The copies of their CV sent to clients, and versions prepared for clients."""
    sent = Introduction.objects.filter(candidate=candidate).exclude(cv="")
    prepared = ClientProfile.objects.filter(entry__candidate=candidate).exclude(prepared_cv="")
    return {row.cv for row in sent} | {profile.prepared_cv for profile in prepared}


def forget_what_clients_saw(candidate):
    """Retention: introductions stay as anonymous counts, without the file or what it said."""
    Introduction.objects.filter(candidate=candidate).update(
        cv="",
        cv_original_name="",
        headline="",
        summary="",
        salary_expectation="",
        notice_period="",
        decision_comment="",
    )
    ClientProfile.objects.filter(entry__candidate=candidate).delete()
    Agreement.objects.filter(candidate=candidate).update(note="")
    Interview.objects.filter(entry__candidate=candidate).update(
        candidate_notes="", candidate_feedback="", client_feedback=""
    )


def delete_files(files):
    for file in files.values():
        file.storage.delete(file.name)
    return len(files)


@transaction.atomic
def anonymise(candidate):
    """Remove a candidate's personal data and CV files; keep the rows for anonymous counts."""
    files = cv_files(candidate)
    placeholder = f"anonymised-{candidate.pk}@invalid.example"
    # New versions: a staff page opened before this must not write the personal data back.
    candidate.enquiries.update(
        version=F("version") + 1,
        name="Anonymised",
        email=placeholder,
        phone="",
        company="",
        message="",
        cv="",
        cv_original_name="",
        client_address=None,
    )
    EnquiryLink.objects.filter(candidate=candidate).update(email=placeholder)
    LinkMessage.objects.filter(candidate=candidate).update(email=placeholder, note="")
    forget_emails(candidate)
    candidate.cvs.all().delete()
    candidate.notes.all().delete()
    # Their own space: signed out everywhere, links spent, what they did there gone.
    candidate.space_sessions.all().delete()
    candidate.sign_in_links.all().delete()
    candidate.saved_jobs.all().delete()
    candidate.space_activity.all().delete()
    forget_what_clients_saw(candidate)
    Candidate.objects.filter(pk=candidate.pk).update(
        version=F("version") + 1,
        name="Anonymised",
        email=placeholder,
        phone="",
        location="",
        current_title="",
        anonymised_at=timezone.now(),
    )
    transaction.on_commit(lambda: delete_files(files))
    return len(files)


@transaction.atomic
def erase(candidate, by=None):
    """Delete a candidate completely, files included; keep only the fact and date."""
    files = cv_files(candidate)
    email = candidate.email
    enquiries = candidate.enquiries.count()
    forget_emails(candidate)
    LinkMessage.objects.filter(Q(candidate=candidate) | Q(email__iexact=email)).delete()
    EnquiryLink.objects.filter(Q(candidate=candidate) | Q(email__iexact=email)).delete()
    JobAlert.objects.filter(email__iexact=email).delete()
    Enquiry.objects.filter(Q(candidate=candidate) | Q(email__iexact=email)).delete()
    record = Erasure.objects.create(
        erased_by=by, candidate_number=candidate.pk, enquiries=enquiries, files=len(files)
    )
    candidate.delete()
    transaction.on_commit(lambda: delete_files(files))
    return record


def emails_about(candidate):
    """Every outbox message to the candidate, or about their enquiries, links and pipelines."""
    from pipeline.models import PipelineEntry  # the pipeline's models import ours

    return (
        Message.objects.to_address(candidate.email)
        | Message.objects.about_any(candidate.enquiries.all())
        | Message.objects.about_any(LinkMessage.objects.filter(candidate=candidate))
        | Message.objects.about_any(PipelineEntry.objects.filter(candidate=candidate))
        | Message.objects.about_any(Introduction.objects.filter(candidate=candidate))
        | Message.objects.about_any(Interview.objects.filter(entry__candidate=candidate))
        # An email to a client lists every candidate sent with it: it goes with each of them.
        | Message.objects.about_any(
            Shortlist.objects.filter(introductions__candidate=candidate).distinct()
        )
    )


def forget_emails(candidate):
    """The outbox holds what we wrote to or about them: gone with them, sent or not."""
    Message.objects.filter(
        pk__in=list(emails_about(candidate).values_list("pk", flat=True))
    ).delete()


def export(candidate):
    """One zip: the candidate's data as JSON, and every CV file we hold for them."""
    enquiries = candidate.enquiries.select_related("vacancy").order_by("created_at")
    links = EnquiryLink.objects.filter(candidate=candidate).select_related("vacancy", "sender")
    data = {
        "exported_at": timezone.now(),
        "agency": settings.AGENCY["NAME"],
        "profile": {
            field: getattr(candidate, field)
            for field in (
                "name",
                "email",
                "phone",
                "location",
                "current_title",
                "source",
                "job_alerts",
                "created_at",
                "last_activity_at",
            )
        },
        "consent": [
            {"agreed_at": candidate.consent_at, "privacy_notice_version": candidate.consent_version}
        ]
        + [
            {"agreed_at": enquiry.created_at, "privacy_notice_version": enquiry.consent_version}
            for enquiry in enquiries
            if enquiry.consent_version
        ],
        "enquiries": [
            {
                "reference": enquiry.reference,
                "sent_at": enquiry.created_at,
                "kind": enquiry.get_kind_display(),
                "status": enquiry.get_status_display(),
                "vacancy": str(enquiry.vacancy) if enquiry.vacancy else None,
                "name": enquiry.name,
                "email": enquiry.email,
                "phone": enquiry.phone,
                "message": enquiry.message,
                "cv": enquiry.cv_original_name,
                "sent_from_address": enquiry.client_address,
            }
            for enquiry in enquiries
        ],
        "cvs": [
            {
                "file": PurePath(version.file.name).name,
                "name_as_sent": version.original_name,
                "received_at": version.uploaded_at,
                "with_enquiry": version.enquiry.reference if version.enquiry else None,
                "current": version.is_current,
                "text_read_for_search": version.text,
            }
            for version in candidate.cvs.select_related("enquiry").order_by("uploaded_at")
        ],
        "notes": [
            {
                "written_at": note.created_at,
                "kind": note.get_kind_display(),
                "outcome": note.get_outcome_display(),
                "text": note.text,
            }
            for note in candidate.notes.order_by("created_at")
        ],
        "links_sent_to_them": [
            {
                "vacancy": str(link.vacancy),
                "sent_by": link.sender.name,
                "sent_at": link.created_at,
                "opened": link.open_count,
            }
            for link in links
        ],
        "cvs_sent_to_clients": [
            {
                "client": introduction.client.name,
                "contact": introduction.contact_name,
                "vacancy": str(introduction.vacancy),
                "sent_at": introduction.sent_at,
                "cv_file": PurePath(introduction.cv.name).name if introduction.cv else None,
                "cv_sha256": introduction.cv_sha256,
                "client_decision": introduction.get_decision_display(),
            }
            for introduction in Introduction.objects.filter(candidate=candidate).select_related(
                "client", "vacancy"
            )
        ],
        "agreements_to_be_put_forward": list(
            Agreement.objects.filter(candidate=candidate).values(
                "client__name", "how", "recorded_at", "note"
            )
        ),
        "interviews": [
            {
                "vacancy": str(interview.entry.vacancy),
                "round": interview.get_round_display(),
                "starts_at": interview.starts_at,
                "status": interview.get_status_display(),
                "outcome": interview.get_outcome_display(),
            }
            for interview in Interview.objects.filter(entry__candidate=candidate).select_related(
                "entry__vacancy"
            )
        ],
        "placements": [
            {
                "vacancy": str(placement.vacancy),
                "employer": placement.client.name,
                "kind": placement.get_kind_display(),
                "offer_accepted_on": placement.offer_accepted_on,
                "start_date": placement.start_date,
                "left_on": placement.left_on,
                "salary_a_year": placement.salary,
                "pay_rate": placement.pay_rate,
                "rate": placement.get_rate_unit_display(),
                "units_a_week": placement.units_per_week,
                "expected_weeks": placement.expected_weeks,
                "ir35_status": placement.get_ir35_status_display(),
            }
            for placement in candidate.placements.select_related("vacancy", "client")
        ],
        "emails_we_sent_you": [
            {"subject": email.subject, "queued_at": email.created_at, "sent_at": email.sent_at}
            for email in Message.objects.to_address(candidate.email).order_by("created_at")
        ],
        "saved_jobs": [
            {"vacancy": str(saved.vacancy), "saved_at": saved.saved_at}
            for saved in candidate.saved_jobs.select_related("vacancy")
        ],
        "what_you_did_in_your_space": [
            {"at": row.at, "what": row.get_action_display(), "detail": row.detail}
            for row in candidate.space_activity.order_by("at")
        ],
        "job_alerts": list(
            JobAlert.objects.filter(email__iexact=candidate.email).values(
                "search", "frequency", "created_at", "confirmed_at", "unsubscribed_at"
            )
        ),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.json", json.dumps(data, cls=DjangoJSONEncoder, indent=2))
        for name, file in cv_files(candidate).items():
            with file.open("rb") as handle:
                archive.writestr(f"cvs/{PurePath(name).name}", handle.read())
    return buffer.getvalue()
