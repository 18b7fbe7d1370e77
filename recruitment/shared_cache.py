"""What every app process shares through the "shared" cache, under one data version.

Any change to what public pages show replaces the version (see PublicQuerySet in jobs.models
and the signals in jobs.apps), so whatever is kept under the old one, cached pages and
search counts alike, is never read again.

The shared cache may be unreachable (Redis stopped, a full disk): then nothing is shared,
pages are served uncached, values are computed on each call, and a warning is logged at
most once a minute per process. After a failure a process leaves the cache alone for a few
seconds, so a cache that hangs costs one request its timeout, not every request.
"""

import logging
import time
import uuid

from django.core.cache import caches
from django.db import transaction

try:
    from redis.exceptions import RedisError
except ImportError:  # pragma: no cover - redis is in requirements.txt
    RedisError = OSError

logger = logging.getLogger(__name__)

VERSION_KEY = "public-pages:version"
# What a cache backend raises when its store cannot be reached: Redis's errors, or the
# file system's for the file-based cache.
CACHE_ERRORS = (RedisError, OSError)
RETRY_AFTER_SECONDS = 5
WARN_EVERY_SECONDS = 60


class Outage:
    """This process's view of the shared cache: when to try it again, and what it owes it."""

    retry_at = 0.0
    warned_at = None
    # A change was made while the cache was down: replace the version once it is back, or
    # pages cached before the outage would be served again.
    owes_new_version = False

    @classmethod
    def is_waiting(cls):
        return time.monotonic() < cls.retry_at

    @classmethod
    def began(cls, error):
        now = time.monotonic()
        cls.retry_at = now + RETRY_AFTER_SECONDS
        if cls.warned_at is None or now - cls.warned_at >= WARN_EVERY_SECONDS:
            cls.warned_at = now
            logger.warning(
                "The shared cache is unavailable (%s): pages are served uncached.",
                type(error).__name__,
            )

    @classmethod
    def reset(cls):
        cls.retry_at, cls.warned_at, cls.owes_new_version = 0.0, None, False


def attempt(action, default=None):
    """action() on the shared cache, or `default` when the cache cannot be reached."""
    if Outage.is_waiting():
        return default
    try:
        return action()
    except CACHE_ERRORS as error:
        Outage.began(error)
        return default


def version():
    """The current data version, or None while the shared cache cannot be reached."""
    return attempt(read_version)


def read_version():
    shared = caches["shared"]
    if Outage.owes_new_version:
        write_new_version()
        Outage.owes_new_version = False
    current = shared.get(VERSION_KEY)
    if current is None:
        shared.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        current = shared.get(VERSION_KEY)
    return current


def invalidate(**signal_kwargs):
    """End everything kept under the current version. Never fails: a save must not.

    The version changes now, for this process, and again when the change commits: a page
    another process renders in between, from data before the change, is kept under a
    version that is already gone.
    """
    new_version()
    transaction.on_commit(new_version)


def new_version():
    if attempt(write_new_version, default=False) is False:
        Outage.owes_new_version = True


def write_new_version():
    caches["shared"].set(VERSION_KEY, uuid.uuid4().hex, timeout=None)
    return True


def remember(name, compute, seconds=60):
    """A value every process shares until any job changes, or for `seconds` at most."""
    current = version()
    if current is None:
        return compute()
    key = f"{name}:{current}"
    value = attempt(lambda: caches["shared"].get(key))
    if value is None:
        value = compute()
        attempt(lambda: caches["shared"].set(key, value, timeout=seconds))
    return value
