import io
import zipfile
from datetime import timedelta

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from candidates.models import Candidate, Enquiry, EnquiryLink, JobAlert
from jobs.tests.factories import ConsultantFactory, OpenVacancyFactory

PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


def pdf_cv(name="Zoë CV.pdf", size=None):
    content = PDF_BYTES if size is None else PDF_BYTES + b"0" * (size - len(PDF_BYTES))
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def docx_cv(name="cv.docx"):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/msword")


def exe_renamed_pdf():
    return SimpleUploadedFile(
        "cv.pdf",
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64,
        content_type="application/pdf",
    )


def html_renamed_txt():
    return SimpleUploadedFile("cv.txt", b"<html><script>alert(1)</script></html>", "text/plain")


class CandidateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Candidate

    name = factory.Sequence(lambda n: f"Candidate {n}")
    email = factory.Sequence(lambda n: f"candidate{n}@example.com")
    consent_at = factory.LazyFunction(timezone.now)
    consent_version = "2026-11"


class QuestionFactory(factory.django.DjangoModelFactory):
    """A question about a live job, from a candidate, routed to the job's consultant."""

    class Meta:
        model = Enquiry

    kind = Enquiry.Kind.QUESTION
    vacancy = factory.SubFactory(OpenVacancyFactory)
    candidate = factory.SubFactory(CandidateFactory)
    consultant = factory.LazyAttribute(lambda enquiry: enquiry.vacancy.consultant)
    notify_email = factory.LazyAttribute(lambda enquiry: enquiry.consultant.email)
    name = factory.LazyAttribute(lambda enquiry: enquiry.candidate.name)
    email = factory.LazyAttribute(lambda enquiry: enquiry.candidate.email)
    message = "Is this role open to part-time applicants?"
    consent_version = "2026-11"


class GeneralEnquiryFactory(QuestionFactory):
    kind = Enquiry.Kind.GENERAL
    vacancy = None
    consultant = None
    notify_email = "inbox@samsmall.example"


class JobAlertFactory(factory.django.DjangoModelFactory):
    """An alert signed up for but not confirmed: nothing is sent to it."""

    class Meta:
        model = JobAlert

    email = factory.Sequence(lambda n: f"alert{n}@example.com")
    search = factory.LazyFunction(lambda: {"q": "nurse"})


class ConfirmedJobAlertFactory(JobAlertFactory):
    """Confirmed a day ago: its first digest lists jobs published since."""

    confirmed_at = factory.LazyFunction(lambda: timezone.now() - timedelta(days=1))
    jobs_since = factory.SelfAttribute("confirmed_at")


class EnquiryLinkFactory(factory.django.DjangoModelFactory):
    """A consultant's personal link to a live job, copied for their own mail."""

    class Meta:
        model = EnquiryLink

    vacancy = factory.SubFactory(OpenVacancyFactory)
    sender = factory.SubFactory(ConsultantFactory)
    email = factory.Sequence(lambda n: f"linked{n}@example.com")
    channel = EnquiryLink.Channel.COPIED
