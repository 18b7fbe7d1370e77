"""Consultants work candidates and enquiries; managers may also delete them (erasure)."""

from django.db import migrations

from accounts.groups import create_all_permissions, grant


def grant_candidate_permissions(apps, schema_editor):
    create_all_permissions(apps)
    grant(apps, "Consultant", {"candidates": {
        "candidate": ["change", "view"], "enquiry": ["change", "view"],
        "rejectedsubmission": ["view"],
    }})
    grant(apps, "Manager", {"candidates": {
        "candidate": ["change", "delete", "view"], "enquiry": ["change", "delete", "view"],
        "rejectedsubmission": ["view"],
    }})


class Migration(migrations.Migration):
    dependencies = [("candidates", "0001_initial"), ("jobs", "0002_staff_groups")]

    operations = [migrations.RunPython(grant_candidate_permissions, migrations.RunPython.noop)]
