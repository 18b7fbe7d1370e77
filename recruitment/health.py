"""Health endpoints for a load balancer: /healthz is the process, /readyz its dependencies."""

import uuid

from django.core.cache import caches
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django_tasks_db.models import DBTaskResult


@never_cache
@require_safe
def healthz(request):
    """The process answers. No database, so a busy database never takes every server out."""
    return HttpResponse("ok", content_type="text/plain")


def check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def check_cache():
    """The default cache (rate limits, lock-outs) and the shared one every page reads."""
    key = f"readyz:{uuid.uuid4().hex}"
    for cache in (caches["default"], caches["shared"]):
        cache.set(key, "ok", timeout=10)
        if cache.get(key) != "ok":
            raise RuntimeError("a cache did not keep a value")
        cache.delete(key)


def check_storage():
    storage = storages["private"]
    name = storage.save(f"readyz/{uuid.uuid4().hex}.txt", ContentFile(b"ok"))
    storage.delete(name)


def check_queue():
    DBTaskResult.objects.exists()


CHECKS = {
    "database": check_database,
    "cache": check_cache,
    "storage": check_storage,
    "queue": check_queue,
}
# Without the cache every server still serves every page, only uncached: a cache outage is
# reported, but taking every server out of the load balancer for it would stop the site.
DEGRADED_WITHOUT = {"cache"}


@never_cache
@require_safe
def readyz(request):
    """Each dependency checked: "ok", "degraded" (served without it) or "failing" (503).

    Names which, never the error's details.
    """
    results = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception:  # noqa: BLE001 - any failure means not ready
            results[name] = "degraded" if name in DEGRADED_WITHOUT else "failing"
        else:
            results[name] = "ok"
    ready = "failing" not in results.values()
    return JsonResponse({"ready": ready, **results}, status=200 if ready else 503)
