"""Create the staff groups: consultants run vacancies; managers also run clients and staff."""

from django.db import migrations

from accounts.groups import create_all_permissions, grant

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


def create_groups(apps, schema_editor):
    create_all_permissions(apps)
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
