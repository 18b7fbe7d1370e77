from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save

# What the public pages show: any change to these ends the cached pages. Their managers are
# PublicQuerySets, whose bulk writes do the same.
PUBLIC_MODELS = ("Vacancy", "Client", "Sector", "Consultant")


class JobsConfig(AppConfig):
    name = "jobs"
    verbose_name = "Clients and vacancies"

    def ready(self):
        # Infrastructure, not business logic: any change to what public pages show ends
        # their cached copies.
        from recruitment.shared_cache import invalidate

        from . import search_index  # noqa: F401 - registers its system check

        for name in PUBLIC_MODELS:
            model = self.get_model(name)
            post_save.connect(invalidate, sender=model, dispatch_uid=f"page-cache-save-{name}")
            post_delete.connect(invalidate, sender=model, dispatch_uid=f"page-cache-del-{name}")
