"""CV uploads: one file a post, refused past the size limit while it arrives, and typed by
its whole content (a document's parts, not just its first bytes)."""

import io
import re
import zipfile
import zlib
from pathlib import Path

import filetype
import olefile
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.template.defaultfilters import filesizeformat

CV_EXTENSIONS = (".pdf", ".doc", ".docx", ".odt", ".rtf", ".txt")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
# A CV has a few dozen parts; a zip of thousands is an attack on whoever opens it.
MAX_ZIP_PARTS = 1000
# Markup a browser would render or run, anywhere in a file that calls itself plain text.
MARKUP = re.compile(
    rb"<(?:!doctype|\?xml|!--|/?(?:html|head|body|script|style|svg|iframe|frame|frameset|object"
    rb"|embed|img|image|a|link|meta|form|input|button|base|math|video|audio|source|template"
    rb"|noscript|foreignobject|use|animate|set|div|span|p|table|title|xml)(?=[\s/>]))",
    re.IGNORECASE,
)


class SizeLimitedUploadHandler(FileUploadHandler):
    """Takes the first file of a post; skips any other, and a file past CV_MAX_UPLOAD_SIZE,
    instead of writing it to disk.

    The other fields of the form still arrive, so the form can say what was wrong
    (request.oversized_uploads, request.extra_uploads) and keep what was typed.
    """

    def __init__(self, request=None):
        super().__init__(request)
        self.files = 0

    def new_file(self, field_name, *args, **kwargs):
        super().new_file(field_name, *args, **kwargs)
        self.files += 1
        self.received = 0
        if self.files > 1:
            self.request.extra_uploads = self.files - 1
            raise SkipFile

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > settings.CV_MAX_UPLOAD_SIZE:
            self.request.oversized_uploads = {
                *getattr(self.request, "oversized_uploads", set()),
                self.field_name,
            }
            raise SkipFile
        return raw_data

    def file_complete(self, file_size):
        return None


def zip_parts(content):
    """{name: first bytes} of a zip's parts, or None unless it is a zip within our limits."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            parts = archive.infolist()
            unpacked = sum(part.file_size for part in parts)
            if len(parts) > MAX_ZIP_PARTS or unpacked > settings.CV_MAX_UNPACKED_SIZE:
                raise ValidationError(
                    "That document is too large once unpacked: please save it again, or "
                    "send it as a PDF."
                )
            names = {part.filename for part in parts}
            mimetype = b""
            if "mimetype" in names:  # only this small part is read, and only its start
                with archive.open("mimetype") as part:
                    mimetype = part.read(len(ODT_MIMETYPE) + 1)
            return names, mimetype
    except (zipfile.BadZipFile, NotImplementedError, OSError, EOFError, zlib.error):
        return None


def is_docx(content):
    found = content.startswith(ZIP_MAGIC) and zip_parts(content)
    return bool(found) and {"word/document.xml", "[Content_Types].xml"} <= found[0]


def is_odt(content):
    found = content.startswith(ZIP_MAGIC) and zip_parts(content)
    return bool(found) and "content.xml" in found[0] and found[1] == ODT_MIMETYPE


def is_doc(content):
    """A Word 97-2003 file: an OLE file with a WordDocument stream (not any OLE file)."""
    if not content.startswith(OLE_MAGIC):
        return False
    try:
        with olefile.OleFileIO(content) as ole:
            return ole.exists("WordDocument")
    except (OSError, ValueError, IndexError, TypeError, RecursionError):
        return False


def is_pdf(content):
    kind = filetype.guess(content[:8192])
    return kind is not None and kind.mime == "application/pdf"


def is_rtf(content):
    return content.lstrip().startswith(b"{\\rtf")


def is_plain_text(content):
    """Text: no NUL byte, not a file of another known kind, and no web markup anywhere."""
    if b"\x00" in content or filetype.guess(content[:8192]) is not None:
        return False
    return not content.lstrip().startswith((b"{\\rtf", b"%PDF")) and not MARKUP.search(content)


CHECKS = {
    ".pdf": is_pdf,
    ".doc": is_doc,
    ".docx": is_docx,
    ".odt": is_odt,
    ".rtf": is_rtf,
    ".txt": is_plain_text,
}


def validate_cv(upload):
    """Raise ValidationError unless the file is a CV whose content matches its name."""
    extension = Path(upload.name).suffix.lower()
    allowed = ", ".join(ext[1:].upper() for ext in CV_EXTENSIONS)
    if extension not in CHECKS:
        raise ValidationError(f"Please upload your CV as one of: {allowed}.")
    if upload.size > settings.CV_MAX_UPLOAD_SIZE:
        raise ValidationError(too_large_message())
    if upload.size == 0:
        raise ValidationError("That file is empty.")
    upload.seek(0)
    content = upload.read()  # at most CV_MAX_UPLOAD_SIZE, checked above
    upload.seek(0)
    if not CHECKS[extension](content):
        raise ValidationError(
            f"That file's content is not a {extension[1:].upper()} document. "
            f"Please upload your CV as one of: {allowed}."
        )


def too_large_message():
    return f"Your CV is too large: the limit is {filesizeformat(settings.CV_MAX_UPLOAD_SIZE)}."
