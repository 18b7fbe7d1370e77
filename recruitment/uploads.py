"""Files staff upload through the admin, and what a failing storage raises."""

import logging

from django.db.models.fields.files import FieldFile

logger = logging.getLogger(__name__)


def storage_errors():
    """What a failing store raises: the disk (full, read-only) or object storage (unreachable)."""
    errors = [OSError]
    try:
        from boto3.exceptions import Boto3Error
        from botocore.exceptions import BotoCoreError, ClientError
    except ImportError:  # S3 support is optional
        pass
    else:
        errors += [Boto3Error, BotoCoreError, ClientError]
    return tuple(errors)


STORAGE_ERRORS = storage_errors()
NOT_STORED = (
    "The file could not be stored just now, so nothing was saved. Everything else you typed "
    "is kept: choose the file again and save in a few minutes."
)


def store_new_file(file):
    """Write a FieldFile's new upload now, under the name its field gives it.

    On a storage failure whatever part of it was written is removed and the error raised,
    so a model save never meets it half-way (Django's own save answers 500 then, and a full
    disk leaves a partial file behind).
    """
    name = file.field.generate_filename(file.instance, file.name)
    try:
        stored = file.storage.save(name, file.file, max_length=file.field.max_length)
    except STORAGE_ERRORS:
        try:
            file.storage.delete(name)
        except STORAGE_ERRORS as error:
            logger.error("File %s could not be removed: %s", name, type(error).__name__)
        raise
    setattr(file.instance, file.field.attname, stored)  # committed: the save writes nothing


class StoresUploadsFirst:
    """A model form that stores its new files once everything else is valid, before any save.

    A storage that fails becomes an error on the file's field: the page comes back with all
    else that was typed, and nothing is saved.
    """

    storage_failed = False

    def _post_clean(self):
        super()._post_clean()
        if self._errors:
            return
        for name in self.changed_data:
            file = getattr(self.instance, name, None)
            if isinstance(file, FieldFile) and file and not file._committed:
                try:
                    store_new_file(file)
                except STORAGE_ERRORS as error:
                    logger.error(
                        "An upload could not be stored: %s: %s", type(error).__name__, error
                    )
                    self.storage_failed = True
                    self.add_error(name, NOT_STORED)
