"""Create the staff groups: consultants run vacancies; managers also run clients and staff."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CONSULTANT_PERMISSIONS = {
    "jobs": {
        "vacancy": ["add", "change", "view"],
        "client": ["add", "change", "view"],
        "clientcontact": ["add", "change", "delete", "view"],
        "consultant": ["view"],
        "sector": ["view"],
    },
}
MANAGER_PERMISSIONS = {
    "jobs": {
        "vacancy": ["add", "change", "delete", "view"],
        "client": ["add", "change", "delete", "view"],
        "clientcontact": ["add", "change", "delete", "view"],
        "consultant": ["add", "change", "delete", "view"],
        "sector": ["add", "change", "delete", "view"],
    },
    "accounts": {"user": ["add", "change", "view"]},
}


def grant(apps, group_name, permissions):
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


def create_groups(apps, schema_editor):
    # Permissions are normally made after all migrations; make them now so we can grant them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    grant(apps, "Consultant", CONSULTANT_PERMISSIONS)
    grant(apps, "Manager", MANAGER_PERMISSIONS)


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Consultant", "Manager"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("jobs", "0001_initial"),
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
