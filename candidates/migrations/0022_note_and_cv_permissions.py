"""Consultants and managers add notes and CVs and read every CV version; managers may delete
notes. Choosing the current CV needs "change candidate", which both groups have."""

from django.db import migrations

from accounts.groups import create_all_permissions, grant


def grant_permissions(apps, schema_editor):
    create_all_permissions(apps)
    grant(apps, "Consultant", {"candidates": {"note": ["add", "view"], "candidatecv": ["add", "view"]}})
    grant(apps, "Manager", {"candidates": {
        "note": ["add", "delete", "view"], "candidatecv": ["add", "view"],
    }})


class Migration(migrations.Migration):
    dependencies = [("candidates", "0021_cv_text_search"), ("jobs", "0002_staff_groups")]

    operations = [migrations.RunPython(grant_permissions, migrations.RunPython.noop)]
