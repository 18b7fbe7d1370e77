"""Search candidates by the words of their CVs: see candidates/sql/cv_search_v1.py (frozen)."""

from django.db import migrations

from candidates.sql import cv_search_v1


class Migration(migrations.Migration):
    dependencies = [("candidates", "0020_current_cv_is_a_version")]

    operations = [migrations.RunPython(cv_search_v1.install, cv_search_v1.drop)]
