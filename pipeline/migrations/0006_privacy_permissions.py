"""Who sees the privacy notices sent and the suppression list (managers may lift a suppression)."""

from django.db import migrations

from accounts.groups import create_all_permissions, grant


def grant_permissions(apps, schema_editor):
    create_all_permissions(apps)
    grant(apps, "Consultant", {"pipeline": {"privacynotice": ["view"]}})
    grant(apps, "Manager", {"pipeline": {
        "privacynotice": ["view"], "suppression": ["delete", "view"],
    }})


class Migration(migrations.Migration):
    dependencies = [("pipeline", "0005_privacy_notices_and_suppression_list")]

    operations = [migrations.RunPython(grant_permissions, migrations.RunPython.noop)]
