"""CV versions: kept as they arrive, made current by staff, read for search in the background."""

import hashlib
import logging

from django.db import transaction

from . import cv_text
from .models import CandidateCV
from .storage import STORAGE_ERRORS, discard_cv, store_cv

logger = logging.getLogger(__name__)


def fingerprint(file):
    """(size, SHA-256) of a file, read in chunks from its start."""
    digest, size = hashlib.sha256(), 0
    file.seek(0)
    for chunk in iter(lambda: file.read(64 * 1024), b""):
        digest.update(chunk)
        size += len(chunk)
    file.seek(0)
    return size, digest.hexdigest()


def keep_enquiry_cv(enquiry, upload, *, current):
    """The enquiry's CV as a version of its candidate's: the enquiry's own stored file.

    Call it inside the transaction that saves the enquiry; `current` only for a candidate
    this enquiry made (anyone can post with a known address: a later CV waits for staff).
    """
    size, sha256 = fingerprint(upload)
    version = CandidateCV.objects.create(
        candidate=enquiry.candidate,
        enquiry=enquiry,
        file=enquiry.cv.name,
        original_name=enquiry.cv_original_name,
        size=size,
        sha256=sha256,
        uploaded_at=enquiry.created_at,
        is_current=current,
    )
    queue_reading(version)
    return version


def add_cv(candidate, upload, *, by, make_current):
    """A CV staff uploaded on the candidate's page (validated by the form) as a new version.

    The file is stored first; if the rows cannot be saved it is removed again. Raises
    storage.CVNotStored when the storage fails.
    """
    size, sha256 = fingerprint(upload)
    name = store_cv(upload)
    try:
        with transaction.atomic():
            version = CandidateCV.objects.create(
                candidate=candidate,
                file=name,
                original_name=upload.name[:255],
                size=size,
                sha256=sha256,
                uploaded_by=by,
            )
            if make_current:
                version.make_current()
            queue_reading(version)
    except BaseException:
        discard_cv(name)
        raise
    return version


def queue_reading(version):
    from .tasks import read_cv_text  # the task module imports this one

    read_cv_text.enqueue(version.pk)


def read_text(version):
    """Read the version's text (and, for a CV carried over, its size and SHA-256)."""
    try:
        with version.file.open("rb") as file:
            data = file.read()
    except STORAGE_ERRORS as error:
        # The version's number only: its file name and text are personal data.
        logger.error("CV version %s could not be read: %s", version.pk, type(error).__name__)
        version.record_text(CandidateCV.TextStatus.FAILED)
        return version.text_status
    status, text = cv_text.read_text(data, version.original_name or version.file.name)
    if version.size is None or not version.sha256:
        version.size, version.sha256 = len(data), hashlib.sha256(data).hexdigest()
        version.save(update_fields=["size", "sha256"])
    version.record_text(status, text)
    if status == cv_text.FAILED:
        logger.warning("CV version %s: no text could be read within the limits", version.pk)
    return status
