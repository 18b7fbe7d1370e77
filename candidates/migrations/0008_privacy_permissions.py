"""Managers export and erase candidates, read the download log and unlock staff logins."""

from django.db import migrations

from accounts.groups import create_all_permissions, grant


def grant_privacy_permissions(apps, schema_editor):
    create_all_permissions(apps)
    grant(apps, "Manager", {
        "candidates": {"candidate": ["export", "erase"], "cvdownload": ["view"], "erasure": ["view"]},
        "axes": {"accessattempt": ["view", "delete"], "accesslog": ["view"]},
    })


class Migration(migrations.Migration):
    dependencies = [("candidates", "0007_gdpr"), ("axes", "0001_initial")]

    operations = [migrations.RunPython(grant_privacy_permissions, migrations.RunPython.noop)]
