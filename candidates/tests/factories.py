import io
import struct
import uuid
import zipfile
from datetime import timedelta

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
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


def odt_cv(name="cv.odt", mimetype=b"application/vnd.oasis.opendocument.text"):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", mimetype, compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", "<office:document-content/>")
        archive.writestr("META-INF/manifest.xml", "<manifest:manifest/>")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/zip")


def plain_zip_renamed(name="cv.docx"):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "not a document")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/zip")


def docx_bomb(unpacked_size, name="cv.docx"):
    """A real DOCX whose document.xml unpacks to unpacked_size bytes (it compresses to little)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"0" * unpacked_size)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/msword")


def ole_file(stream_name):
    """A minimal OLE2 compound file (version 3, 512-byte sectors) holding one 4 KB stream.

    Sector 0 is the FAT, sector 1 the directory, sectors 2-9 the stream: at 4 KB a stream
    lives in ordinary sectors, so no mini stream is needed.
    """
    end, free, fat_sector = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\x00" * 16
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + b"\x00" * 6
        + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, end, 0, end, 0)
        + struct.pack("<109I", 0, *([free] * 108))
    )
    fat = [fat_sector, end, *range(3, 10), end]
    fat_bytes = struct.pack("<128I", *fat, *([free] * (128 - len(fat))))

    def entry(name, kind, child, start, size):
        encoded = (name + "\x00").encode("utf-16-le") if name else b""
        return (
            encoded.ljust(64, b"\x00")
            + struct.pack("<HBB", len(encoded), kind, 1)
            + struct.pack("<III", free, free, child)
            + b"\x00" * 36
            + struct.pack("<IQ", start, size)
        )

    directory = (
        entry("Root Entry", 5, 1, end, 0)
        + entry(stream_name, 2, free, 2, 4096)
        + entry("", 0, free, 0, 0) * 2
    )
    return header + fat_bytes + directory + b"\x01" * 4096


def doc_cv(name="cv.doc"):
    return SimpleUploadedFile(name, ole_file("WordDocument"), content_type="application/msword")


def excel_renamed_doc(name="cv.doc"):
    return SimpleUploadedFile(name, ole_file("Workbook"), content_type="application/msword")


def txt_cv(text="Zoë Nguyễn\nAccount Director, ten years in healthcare PR.\n", name="cv.txt"):
    return SimpleUploadedFile(name, text.encode(), content_type="text/plain")


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


def pdf_document(*pages, extra_objects=()):
    """A real PDF: one page per text given (an empty text is a page with no text)."""
    count = len(pages)
    kids = " ".join(f"{4 + 2 * n} 0 R" for n in range(count))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {count} >>".encode(),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    for n, text in enumerate(pages):
        escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        stream = f"BT /F1 12 Tf 72 720 Td ({escaped}) Tj ET".encode() if text else b""
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
            f"/Resources << /Font << /F1 3 0 R >> >> /Contents {5 + 2 * n} 0 R >>".encode()
        )
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
    objects += list(extra_objects)
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def pdf_with_text(*pages, name="Zoë CV.pdf"):
    return SimpleUploadedFile(name, pdf_document(*pages), content_type="application/pdf")


def docx_with_text(*paragraphs, name="cv.docx"):
    body = "".join(f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>" for text in paragraphs)
    xml = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f"<w:body>{body}</w:body></w:document>"
    )
    return office_file(name, "word/document.xml", xml.encode())


def odt_with_text(*paragraphs, name="cv.odt"):
    body = "".join(f"<text:p>{text}</text:p>" for text in paragraphs)
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0">'
        f"<office:body><office:text>{body}</office:text></office:body>"
        "</office:document-content>"
    )
    return office_file(name, "content.xml", xml.encode())


def office_file(name, member, content):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        if name.endswith(".odt"):
            archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        else:
            archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(member, content)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/octet-stream")


def docx_of_empty_runs(unzipped_bytes):
    """A DOCX whose document.xml unzips to `unzipped_bytes` of empty runs (no text at all)."""
    buffer = io.BytesIO()
    chunk = b"<w:r/>" * 100_000
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            member.write(
                b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/'
                b'main"><w:body>'
            )
            for _ in range(unzipped_bytes // len(chunk)):
                member.write(chunk)
            member.write(b"</w:body></w:document>")
    return SimpleUploadedFile("bomb.docx", buffer.getvalue(), content_type="application/zip")


def form_data(**overrides):
    """What a candidate types into a job's enquiry form; a None value leaves a field out."""
    data = {
        "name": "Zoë Nguyễn",
        "email": "zoe@example.com",
        "phone": "07911 123456",
        "message": "I would like to hear more.",
        "consent": "on",
        "submission_id": str(uuid.uuid4()),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def enquire(client, vacancy, **overrides):
    """Post a job's enquiry form as a candidate's browser would."""
    return client.post(reverse("candidates:enquire", args=[vacancy.slug]), form_data(**overrides))


def give_cv(candidate, content=PDF_BYTES, name="Zoë CV.pdf"):
    """Store a CV for the candidate as their current version (as staff uploading it would)."""
    from candidates.cvs import add_cv

    upload = SimpleUploadedFile(name, content, content_type="application/pdf")
    return add_cv(candidate, upload, by=None, make_current=True)
