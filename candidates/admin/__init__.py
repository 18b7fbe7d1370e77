"""The consultants' side of candidates, enquiries, links and privacy: registered here."""

from django.contrib import admin

from ..models import (
    Candidate,
    CVDownload,
    Enquiry,
    EnquiryLink,
    Erasure,
    LinkMessage,
    RejectedSubmission,
)
from .candidates import CandidateAdmin
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
