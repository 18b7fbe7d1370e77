from django.contrib.admin.apps import AdminConfig
from django.core.signals import request_finished


class StaffAdminConfig(AdminConfig):
    """The admin, with our site class; also where the project's own signals are connected."""

    default_site = "recruitment.admin_site.StaffAdminSite"

    def ready(self):
        super().ready()
        from . import checks  # noqa: F401 - registers them
        from .logging import forget_request_id

        request_finished.connect(forget_request_id, dispatch_uid="forget-request-id")
