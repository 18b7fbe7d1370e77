"""The consultants' side of candidates, enquiries, links and privacy: registered here."""

from django.contrib import admin

from ..models import (
    Candidate,
    CandidateCV,
    CVDownload,
    Enquiry,
    EnquiryLink,
    Erasure,
    LinkMessage,
    Note,
    RejectedSubmission,
)
from .candidates import CandidateAdmin
from .cvs import CandidateCVAdmin, NoteAdmin
from .enquiries import EnquiryAdmin, RejectedSubmissionAdmin
from .links import EnquiryLinkAdmin, LinkMessageAdmin
from .privacy import CVDownloadAdmin, ErasureAdmin

admin.site.register(Candidate, CandidateAdmin)
admin.site.register(Enquiry, EnquiryAdmin)
admin.site.register(RejectedSubmission, RejectedSubmissionAdmin)
admin.site.register(EnquiryLink, EnquiryLinkAdmin)
admin.site.register(LinkMessage, LinkMessageAdmin)
admin.site.register(CVDownload, CVDownloadAdmin)
admin.site.register(Erasure, ErasureAdmin)
admin.site.register(CandidateCV, CandidateCVAdmin)
admin.site.register(Note, NoteAdmin)
