from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class JobsConfig(AppConfig):
    name = "jobs"
    verbose_name = "Clients and vacancies"

    def ready(self):
        # Infrastructure, not business logic: any change to what public pages show ends
        # their cached copies.
        from recruitment.page_cache import invalidate

        for name in ("Vacancy", "Client", "Sector", "Consultant"):
            model = self.get_model(name)
            post_save.connect(invalidate, sender=model, dispatch_uid=f"page-cache-save-{name}")
            post_delete.connect(invalidate, sender=model, dispatch_uid=f"page-cache-del-{name}")
