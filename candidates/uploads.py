"""CV uploads: refused past the size limit while they arrive, and typed by their content."""

from pathlib import Path

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.template.defaultfilters import filesizeformat

# extension -> MIME types that `filetype` reports for that kind of file, content first.
CV_TYPES = {
    ".pdf": {"application/pdf"},
    ".doc": {"application/msword", "application/x-ole-storage", "application/CDFV2"},
    ".docx": {
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/zip",
    },
    ".odt": {"application/vnd.oasis.opendocument.text", "application/zip"},
    ".rtf": {"application/rtf", "text/rtf"},
    ".txt": {None},
}
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"


class SizeLimitedUploadHandler(FileUploadHandler):
    """Skips a file once it passes CV_MAX_UPLOAD_SIZE, instead of writing it all to disk.

    The other fields of the form still arrive, so the form can say what was wrong.
    """

    def new_file(self, field_name, *args, **kwargs):
        super().new_file(field_name, *args, **kwargs)
        self.received = 0

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


def sniff(head):
    if head.startswith(OLE_MAGIC):
        return "application/x-ole-storage"
    if head.startswith(ZIP_MAGIC):
        kind = filetype.guess(head)
        return kind.mime if kind else "application/zip"
    if head.lstrip().startswith(b"{\\rtf"):
        return "application/rtf"
    kind = filetype.guess(head)
    return kind.mime if kind else None


def looks_like_text(head):
    """Plain text: no NUL bytes, and not a web page or script wearing a .txt name."""
    if b"\x00" in head:
        return False
    start = head.lstrip()[:20].lower()
    return not start.startswith((b"<!doctype", b"<html", b"<script", b"<svg", b"<?xml"))


def validate_cv(upload):
    """Raise ValidationError unless the file is a CV whose content matches its name."""
    extension = Path(upload.name).suffix.lower()
    allowed = ", ".join(ext[1:].upper() for ext in CV_TYPES)
    if extension not in CV_TYPES:
        raise ValidationError(f"Please upload your CV as one of: {allowed}.")
    if upload.size > settings.CV_MAX_UPLOAD_SIZE:
        raise ValidationError(too_large_message())
    if upload.size == 0:
        raise ValidationError("That file is empty.")
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    detected = sniff(head)
    if extension == ".txt":
        ok = detected is None and looks_like_text(head)
    else:
        ok = detected in CV_TYPES[extension]
    if not ok:
        raise ValidationError(
            f"That file's content is not a {extension[1:].upper()} document. "
            f"Please upload your CV as one of: {allowed}."
        )


def too_large_message():
    return f"Your CV is too large: the limit is {filesizeformat(settings.CV_MAX_UPLOAD_SIZE)}."
