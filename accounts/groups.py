"""Grant staff groups their permissions. Used by data migrations, with their `apps` registry."""

from django.contrib.auth.management import create_permissions


def create_all_permissions(apps):
    # Permissions are normally made after all migrations; make them now so we can grant them.
    for app_config in apps.get_app_configs():
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = models_module or True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = models_module


def grant(apps, group_name, permissions):
    """permissions: {app_label: {model_name: [action, ...]}}."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=group_name)
    for app_label, models in permissions.items():
        for model, actions in models.items():
            codenames = [f"{action}_{model}" for action in actions]
            group.permissions.add(
                *Permission.objects.filter(
                    content_type__app_label=app_label, codename__in=codenames
                )
            )
