"""Starter email templates (staff edit them in the admin) and who may use what."""

from django.db import migrations

from accounts.groups import create_all_permissions, grant

TEMPLATES = [
    (
        "Thanks: reviewing", "reviewing",
        "Your application for {{ vacancy_title }}",
        "Dear {{ candidate_first_name }},\n\nThank you for applying for {{ vacancy_title }} "
        "({{ vacancy_reference }}). I am reviewing your application now and will be in touch "
        "within a few working days.\n\n{{ consultant_name }}\n{{ agency_name }}\n",
    ),
    (
        "Put forward to the client", "put_forward",
        "{{ vacancy_title }}: your CV is with the client",
        "Dear {{ candidate_first_name }},\n\nAs we agreed, I have sent your CV to the client "
        "for {{ vacancy_title }}. I will let you know as soon as I hear back.\n\n"
        "{{ consultant_name }}\n{{ consultant_phone }}\n{{ agency_name }}\n",
    ),
    (
        "Rejection", "rejection",
        "Your application for {{ vacancy_title }}",
        "Dear {{ candidate_first_name }},\n\nThank you for your interest in {{ vacancy_title }}. "
        "After careful thought we will not be taking your application further for this role. "
        "We will keep your details, as our privacy notice explains, and contact you about "
        "roles that fit.\n\nKind regards,\n{{ consultant_name }}\n{{ agency_name }}\n",
    ),
]


def create_templates(apps, schema_editor):
    EmailTemplate = apps.get_model("pipeline", "EmailTemplate")
    if EmailTemplate.objects.exists():  # replayed by the tests after a flush
        return
    for name, purpose, subject, body in TEMPLATES:
        EmailTemplate.objects.create(name=name, purpose=purpose, subject=subject, body=body)


def grant_permissions(apps, schema_editor):
    create_all_permissions(apps)
    grant(apps, "Consultant", {"pipeline": {
        "followup": ["add", "change", "view"], "emailtemplate": ["view"],
    }})
    grant(apps, "Manager", {"pipeline": {
        "followup": ["add", "change", "delete", "view"],
        "emailtemplate": ["add", "change", "delete", "view"],
    }})


class Migration(migrations.Migration):
    dependencies = [("pipeline", "0003_follow_ups_and_email_templates")]

    operations = [
        migrations.RunPython(create_templates, migrations.RunPython.noop),
        migrations.RunPython(grant_permissions, migrations.RunPython.noop),
    ]
