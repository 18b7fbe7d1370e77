"""Consultants send, copy, revoke and extend personal links; managers may also delete them."""

from django.db import migrations

from accounts.groups import create_all_permissions, grant


def grant_link_permissions(apps, schema_editor):
    create_all_permissions(apps)
    links = {"enquirylink": ["add", "change", "view"], "linkmessage": ["change", "view"]}
    grant(apps, "Consultant", {"candidates": links})
    grant(apps, "Manager", {"candidates": {
        "enquirylink": ["add", "change", "delete", "view"],
        "linkmessage": ["change", "delete", "view"],
        "jobalert": ["change", "delete", "view"],
    }})


class Migration(migrations.Migration):
    dependencies = [("candidates", "0004_enquiry_links")]

    operations = [migrations.RunPython(grant_link_permissions, migrations.RunPython.noop)]
