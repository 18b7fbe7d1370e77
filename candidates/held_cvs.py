"""CVs held for a visitor whose form came back with mistakes, so they need not attach it again.

The file waits in the private CV storage under a random name of ours. The page carries a
signed token naming it, which expires after CV_HOLD_SECONDS and works only for the browser it
was given to (it is bound to that browser's CSRF cookie): another visitor, a changed token or
an old one gets nothing, not even the file's name. A held CV is deleted once its form is
sent, and `manage.py discard_held_cvs` deletes those never used.
"""

import logging
import uuid
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from recruitment.csrf import get_token

from .storage import STORAGE_ERRORS, cv_storage, discard_cv

logger = logging.getLogger(__name__)

FOLDER = "held-cvs"
FIELD = "held_cv"
SALT = "candidates.held_cvs"
EXPIRED = "The CV you attached earlier has expired: please attach it again."
REFUSED = "Please attach your CV again."


class HeldCVRefused(Exception):
    """A token that gives nothing: expired, changed, another visitor's, or its file is gone."""


@dataclass(frozen=True)
class HeldCV:
    token: str
    name: str  # in the private storage: ours, never the visitor's
    original_name: str


def visitor_key(request):
    """The secret of this browser's CSRF cookie (made now if it has none)."""
    get_token(request)
    return request.META["CSRF_COOKIE"]


def owner(visitor):
    return salted_hmac(SALT, visitor, algorithm="sha256").hexdigest()


def hold(upload, visitor):
    """Store a CV that passed validation and return it as a HeldCV, or None if storage fails
    (the visitor then attaches it again, as before)."""
    suffix = Path(upload.name).suffix.lower()[:6]
    name = cv_storage.generate_filename(f"{FOLDER}/{uuid.uuid4().hex}{suffix}")
    upload.seek(0)
    try:
        name = cv_storage.save(name, upload, max_length=100)
    except STORAGE_ERRORS as error:
        logger.error("A CV could not be held: %s: %s", type(error).__name__, error)
        discard_cv(name)
        return None
    original_name = Path(upload.name).name[:255]
    data = {"file": name, "name": original_name, "owner": owner(visitor)}
    return HeldCV(signing.dumps(data, salt=SALT, compress=True), name, original_name)


def find(token, visitor):
    """The HeldCV a token names, if it is this visitor's and still fresh."""
    try:
        data = signing.loads(token, salt=SALT, max_age=settings.CV_HOLD_SECONDS)
    except signing.SignatureExpired as error:
        raise HeldCVRefused(EXPIRED) from error
    except signing.BadSignature as error:
        raise HeldCVRefused(REFUSED) from error
    if not isinstance(data, dict) or not constant_time_compare(
        str(data.get("owner", "")), owner(visitor)
    ):
        raise HeldCVRefused(REFUSED)
    name = str(data.get("file", ""))
    if not name.startswith(f"{FOLDER}/"):  # signed by us, so never; but never elsewhere
        raise HeldCVRefused(REFUSED)
    return HeldCV(token, name, str(data.get("name", "cv")))


def read(held):
    """The held file as an upload, to be validated like any other CV."""
    try:
        if cv_storage.size(held.name) > settings.CV_MAX_UPLOAD_SIZE:
            raise HeldCVRefused(REFUSED)
        with cv_storage.open(held.name, "rb") as stored:
            content = stored.read()
    except STORAGE_ERRORS as error:  # cleaned up already, or the storage is unreachable
        raise HeldCVRefused(EXPIRED) from error
    return SimpleUploadedFile(held.original_name, content)


def discard(held):
    discard_cv(held.name)


def discard_expired(now=None):
    """Delete held CVs older than CV_HOLD_SECONDS; returns how many."""
    cutoff = (now or timezone.now()) - timedelta(seconds=settings.CV_HOLD_SECONDS)
    try:
        _, names = cv_storage.listdir(FOLDER)
    except FileNotFoundError:  # nothing was ever held
        return 0
    discarded = 0
    for name in names:
        path = f"{FOLDER}/{name}"
        if cv_storage.get_modified_time(path) < cutoff:
            discard_cv(path)
            discarded += 1
    return discarded
