"""Where CVs live: the "private" storage of STORAGES, never under a public URL."""

import uuid
from pathlib import Path

from django.core.files.storage import storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils import timezone
from django.utils.functional import LazyObject, empty


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
