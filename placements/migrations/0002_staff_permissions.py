"""Consultants record placements and see their own numbers; managers see everyone's."""

from django.db import migrations

from accounts.groups import create_all_permissions, grant


def grant_permissions(apps, schema_editor):
    create_all_permissions(apps)
    grant(apps, "Consultant", {"placements": {
        "placement": ["add", "change", "view"],
        "feesplit": ["view"],
        "termsofbusiness": ["view"],
        "placedelsewhere": ["view"],
    }})
    grant(apps, "Manager", {"placements": {
        "placement": ["add", "change", "delete", "view"],
        "feesplit": ["view"],
        "termsofbusiness": ["add", "change", "delete", "view"],
        "placedelsewhere": ["view"],
    }})
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Group.objects.get(name="Manager").permissions.add(
        Permission.objects.get(content_type__app_label="placements", codename="view_team_numbers")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("placements", "0001_initial"),
        ("jobs", "0002_staff_groups"),
    ]

    operations = [migrations.RunPython(grant_permissions, migrations.RunPython.noop)]
