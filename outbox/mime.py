"""The parts of an email beyond its text: the HTML version and attachments' names.

Every email is written as text. Its HTML alternative is made from that text when it is sent,
in the agency's colours (templates/email/base.html: inline styles only, nothing fetched),
with every character of the text escaped, so the two versions never say different things.
"""

import re
from email import encoders
from email.mime.base import MIMEBase
from email.utils import encode_rfc2231, make_msgid

from anyascii import anyascii
from django.conf import settings
from django.template.loader import render_to_string

from recruitment.site import site_host

PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")
NOT_FILENAME_SAFE = re.compile(r"[^A-Za-z0-9 ._()+-]+")


def message_id():
    """A Message-ID on the site's own domain (SITE_URL's host), never the sending machine's."""
    return make_msgid(domain=site_host())


def html_version(subject, text):
    """The text as HTML paragraphs (line breaks kept, web addresses as links) in the
    branded frame."""
    paragraphs = [part.strip("\n") for part in PARAGRAPH_BREAK.split(text.strip())]
    context = {
        "subject": subject,
        "paragraphs": [part for part in paragraphs if part.strip()],
        "agency": settings.AGENCY,
        "site_url": settings.SITE_URL,
    }
    return render_to_string("email/base.html", context)


def ascii_filename(filename):
    """A plain ASCII name for mail programs that cannot read RFC 2231: "Zoë CV.pdf" reads
    "Zoe CV.pdf", "简历.pdf" "JianLi.pdf"."""
    plain = " ".join(NOT_FILENAME_SAFE.sub(" ", anyascii(filename)).split())
    stem, dot, extension = plain.rpartition(".")
    if not dot:
        stem, extension = plain, ""
    if not stem.strip(" ."):
        stem = "attachment"
    return f"{stem}.{extension}" if extension else stem


def content_disposition(filename):
    """`attachment; filename="ascii"`, and `filename*=` (RFC 2231, UTF-8) after it when the
    name is not plain ASCII: RFC 6266 puts the fallback first for the programs that take the
    first they see."""
    fallback = ascii_filename(filename)
    value = f'attachment; filename="{fallback}"'
    if fallback != filename:
        value += f"; filename*={encode_rfc2231(filename, 'utf-8')}"
    return value


def attachment_part(filename, content, content_type):
    """A stored file as a base64 part, its bytes exactly as stored (a text CV too)."""
    maintype, _, subtype = content_type.partition("/")
    if not subtype:
        maintype, subtype = "application", "octet-stream"
    part = MIMEBase(maintype, subtype)
    part.set_payload(content)
    encoders.encode_base64(part)
    part["Content-Disposition"] = content_disposition(filename)
    return part
