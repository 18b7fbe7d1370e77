"""Full-text search over vacancies: version 1 of the index (frozen, see jobs/search_index.py)."""

from django.db import migrations

from jobs import search_index_v1


class Migration(migrations.Migration):
    dependencies = [("jobs", "0004_search_and_ended_at")]

    operations = [migrations.RunPython(search_index_v1.install, search_index_v1.drop)]
