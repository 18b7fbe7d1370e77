"""Where CVs live: the "private" storage of STORAGES, never under a public URL."""

import logging
import uuid
from pathlib import Path

from django.core.files.storage import storages
from django.core.files.uploadhandler import SkipFile, TemporaryFileUploadHandler
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils import timezone
from django.utils.functional import LazyObject, empty

from recruitment.uploads import STORAGE_ERRORS

logger = logging.getLogger(__name__)


class CVNotStored(Exception):
    """A CV could not be written; nothing of it was kept."""


class PrivateStorage(LazyObject):
    """The "private" storage of STORAGES, looked up when first used rather than at import.

    A FileField keeps the storage object it was given when the model class is built; through
    this lazy object CVs follow STORAGES as configured (local disk, or S3 when S3_BUCKET is
    set), and every method of the Storage API reaches the real storage.
    """

    def _setup(self):
        self._wrapped = storages["private"]


cv_storage = PrivateStorage()


@receiver(setting_changed)
def forget_storage(*, setting, **kwargs):
    """As Django does for default_storage: a changed STORAGES (tests) takes effect at once."""
    if setting == "STORAGES":
        cv_storage._wrapped = empty


def private_storage():
    """CVs live here: never under a public URL, only through the staff download view."""
    return cv_storage


def random_cv_name(instance, filename):
    """Store under a random name: the candidate's file name may hold personal data."""
    return f"cvs/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{Path(filename).suffix.lower()[:6]}"


def store_cv(upload):
    """Write an uploaded CV under a random name and return the name.

    Raises CVNotStored when the storage fails, after removing whatever part of the file it
    had written (FileSystemStorage leaves a partial file when the disk fills mid-write).
    """
    name = cv_storage.generate_filename(random_cv_name(None, upload.name))
    try:
        return cv_storage.save(name, upload, max_length=100)
    except STORAGE_ERRORS as error:
        # The error names our random file name and the storage, never the sender.
        logger.error(
            "A CV could not be stored, so nothing was saved: %s: %s", type(error).__name__, error
        )
        discard_cv(name)
        raise CVNotStored from error


def discard_cv(name):
    """Remove a stored CV that nothing refers to (the save it was for did not happen)."""
    try:
        cv_storage.delete(name)
    except STORAGE_ERRORS as error:
        logger.error("CV file %s could not be removed: %s: %s", name, type(error).__name__, error)


class DiskSafeTemporaryFileUploadHandler(TemporaryFileUploadHandler):
    """Django's handler for large uploads, but a full disk skips the file, not the request.

    Django's own answers 500 and the whole form is lost. Here the other fields still arrive,
    and the view sees the field in `request.unreceived_uploads`; the skipped part is deleted
    with its temporary file.
    """

    def new_file(self, *args, **kwargs):
        try:
            super().new_file(*args, **kwargs)
        except OSError as error:
            self.not_received(error)

    def receive_data_chunk(self, raw_data, start):
        try:
            return super().receive_data_chunk(raw_data, start)
        except OSError as error:
            self.not_received(error)

    def not_received(self, error):
        logger.error("An upload could not be received: %s: %s", type(error).__name__, error)
        self.request.unreceived_uploads = {
            *getattr(self.request, "unreceived_uploads", set()),
            self.field_name,
        }
        raise SkipFile
