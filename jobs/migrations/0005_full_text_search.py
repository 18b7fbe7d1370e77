"""Full-text search over vacancies: see jobs/search_index.py."""

from django.db import migrations

from jobs import search_index


class Migration(migrations.Migration):
    dependencies = [("jobs", "0004_search_and_ended_at")]

    operations = [migrations.RunPython(search_index.install, search_index.drop)]
