from django.contrib.admin.apps import AdminConfig
from django.core.cache import caches
from django.core.signals import request_finished, setting_changed
from django.utils.autoreload import file_changed


class StaffAdminConfig(AdminConfig):
    """The admin, with our site class; also where the project's own signals are connected."""

    default_site = "recruitment.admin_site.StaffAdminSite"

    def ready(self):
        super().ready()
        from . import checks  # noqa: F401 - registers them
        from .logging import forget_request_id

        request_finished.connect(forget_request_id, dispatch_uid="forget-request-id")
        setting_changed.connect(forget_fragments, dispatch_uid="forget-fragments")
        file_changed.connect(forget_fragments, dispatch_uid="forget-fragments-on-edit")


def forget_fragments(**kwargs):
    """Parts of pages kept in each process ({% cache ... using="fragments" %}) are drawn again
    once a setting (tests) or a file (runserver reloading a template) changes."""
    caches["fragments"].clear()
