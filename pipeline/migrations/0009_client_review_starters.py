"""What clients pick from when a candidate is not suitable, a starter covering note for CVs
sent to clients, and who may send CVs, see introductions and schedule interviews."""

from django.db import migrations

from accounts.groups import create_all_permissions, grant

# The agency's rejection reasons a client may give, in the client's words.
CLIENT_WORDING = {
    "Skills or experience do not match": "Skills or experience do not match the role",
    "Salary expectations too far apart": "Salary expectations are too high for the role",
    "Location or travel": "Location or travel would not work",
    "Client chose another candidate": "We are going ahead with other candidates",
    "Role closed or on hold": "The role is closed or on hold",
}
TEMPLATE = (
    "CVs for your review", "client_cvs",
    "{{ vacancy_title }}: candidates for your review",
    "Dear {{ contact_first_name }},\n\nHere are the candidates I would like you to consider "
    "for {{ vacancy_title }} ({{ vacancy_reference }}). Each of them has agreed to be put "
    "forward to you.\n\nPlease tell me on the page below whether you would like to interview "
    "each of them, and I will arrange it.\n\n{{ consultant_name }}\n{{ consultant_phone }}\n"
    "{{ agency_name }}\n",
)


def add_wording_and_template(apps, schema_editor):
    RejectionReason = apps.get_model("pipeline", "RejectionReason")
    for name, wording in CLIENT_WORDING.items():
        RejectionReason.objects.filter(name=name, client_wording="").update(client_wording=wording)
    EmailTemplate = apps.get_model("pipeline", "EmailTemplate")
    name, purpose, subject, body = TEMPLATE
    if not EmailTemplate.objects.filter(purpose=purpose).exists():
        EmailTemplate.objects.create(name=name, purpose=purpose, subject=subject, body=body)


def remove_templates(apps, schema_editor):
    # Going back past 0008 brings back a purpose check that does not know these.
    apps.get_model("pipeline", "EmailTemplate").objects.filter(purpose="client_cvs").delete()


def grant_permissions(apps, schema_editor):
    create_all_permissions(apps)
    work = {
        "agreement": ["add", "view"],
        "clientprofile": ["add", "change", "view"],
        "shortlist": ["view"],
        "introduction": ["add", "view"],
        "reviewlink": ["change", "view"],
        "reviewdownload": ["view"],
        "interview": ["add", "change", "view"],
    }
    grant(apps, "Consultant", {"pipeline": work})
    grant(apps, "Manager", {"pipeline": {
        **work, "agreement": ["add", "change", "delete", "view"],
        "reviewlink": ["change", "delete", "view"],
    }})


class Migration(migrations.Migration):
    dependencies = [("pipeline", "0008_introductions_and_interviews")]

    operations = [
        migrations.RunPython(add_wording_and_template, remove_templates),
        migrations.RunPython(grant_permissions, migrations.RunPython.noop),
    ]
