"""The database cache's table (rate-limit counts): made by migrate, so no deploy can miss it."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("candidates", "0008_privacy_permissions")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
