"""Staff read the outbox and send again what failed; nobody edits or deletes an email."""

from django.db import migrations

from accounts.groups import create_all_permissions, grant


def grant_outbox_permissions(apps, schema_editor):
    create_all_permissions(apps)
    for group in ("Consultant", "Manager"):
        grant(apps, group, {"outbox": {"message": ["view", "resend"]}})


class Migration(migrations.Migration):
    dependencies = [("outbox", "0001_initial"), ("jobs", "0002_staff_groups")]

    operations = [migrations.RunPython(grant_outbox_permissions, migrations.RunPython.noop)]
