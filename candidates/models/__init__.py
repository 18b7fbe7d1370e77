"""The candidates app's models, one module a subject; everything is importable from here."""

from ..storage import private_storage, random_cv_name
from .alerts import JobAlert, JobAlertFrequency, JobAlertQuerySet, new_alert_token
from .candidates import Candidate, CandidateQuerySet
from .cvs import CandidateCV, CandidateCVQuerySet, TextStatus
from .enquiries import (
    Enquiry,
    EnquiryKind,
    EnquiryQuerySet,
    EnquirySource,
    EnquiryStatus,
    RejectedSubmission,
    new_public_token,
)
from .links import (
    EnquiryLink,
    EnquiryLinkChannel,
    EnquiryLinkQuerySet,
    LinkMessage,
    new_link_token,
)
from .notes import CallOutcome, Note, NoteKind
from .privacy import CVDownload, Erasure
from .space import SavedJob, SignInLink, SignInRequest, SpaceActivity, SpaceSession

__all__ = [
    "CVDownload",
    "CallOutcome",
    "Candidate",
    "CandidateCV",
    "CandidateCVQuerySet",
    "CandidateQuerySet",
    "Enquiry",
    "EnquiryKind",
    "EnquiryLink",
    "EnquiryLinkChannel",
    "EnquiryLinkQuerySet",
    "EnquiryQuerySet",
    "EnquirySource",
    "EnquiryStatus",
    "Erasure",
    "JobAlert",
    "JobAlertFrequency",
    "JobAlertQuerySet",
    "LinkMessage",
    "Note",
    "NoteKind",
    "RejectedSubmission",
    "SavedJob",
    "SignInLink",
    "SignInRequest",
    "SpaceActivity",
    "SpaceSession",
    "TextStatus",
    "new_alert_token",
    "new_link_token",
    "new_public_token",
    "private_storage",
    "random_cv_name",
]
