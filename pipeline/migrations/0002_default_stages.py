"""The pipeline an agency starts with (changeable in the admin), and the staff's permissions.

Applications already received are put on their job's pipeline at the stage their enquiry's
status named, with one log line saying the move to the new pipeline made it so.
"""

from django.db import migrations
from django.utils import timezone

from accounts.groups import create_all_permissions, grant

STAGES = [
    # name, role, candidate wording, end, needs a reason, expected days
    ("New", "new", "We have your application", False, False, 2),
    ("Screening", "", "A consultant is reviewing your application", False, False, 3),
    ("Shortlisted", "shortlisted", "You are on our shortlist", False, False, 3),
    ("CV sent to client", "cv_sent", "Your CV is with the employer", False, False, 5),
    ("Interview", "interview", "Interviews are being arranged", False, False, 10),
    ("Offer", "offer", "An offer is being discussed", False, False, 5),
    ("Placed", "placed", "You have accepted the role: congratulations", True, False, None),
    ("Rejected", "rejected", "This role has not worked out this time", True, True, None),
    ("Withdrawn", "withdrawn", "You withdrew from this role", True, False, None),
]
REASONS = [
    "Skills or experience do not match",
    "Salary expectations too far apart",
    "Location or travel",
    "Client chose another candidate",
    "Role closed or on hold",
    "Candidate not responding",
    "Other",
]
# The old Enquiry.status values, and the stage (by position above) each becomes.
STATUS_TO_STAGE = {
    "new": 0, "reviewing": 1, "shortlisted": 2, "sent_to_client": 3, "interview": 4,
    "offer": 5, "placed": 6, "rejected": 7, "withdrawn": 8,
}


def create_stages(apps, schema_editor):
    Stage = apps.get_model("pipeline", "Stage")
    if Stage.objects.exists():  # replayed by the tests after a flush: make nothing twice
        return
    stages = [
        Stage.objects.create(
            name=name, position=(index + 1) * 10, role=role, candidate_wording=wording,
            is_end=is_end, needs_reason=needs_reason, expected_days=days,
        )
        for index, (name, role, wording, is_end, needs_reason, days) in enumerate(STAGES)
    ]
    RejectionReason = apps.get_model("pipeline", "RejectionReason")
    for position, name in enumerate(REASONS):
        RejectionReason.objects.create(name=name, position=position)
    carry_applications(apps, stages)


def carry_applications(apps, stages):
    Enquiry = apps.get_model("candidates", "Enquiry")
    PipelineEntry = apps.get_model("pipeline", "PipelineEntry")
    StageMove = apps.get_model("pipeline", "StageMove")
    now = timezone.now()
    seen = set()
    applications = Enquiry.objects.filter(vacancy__isnull=False, candidate__isnull=False)
    for enquiry in applications.order_by("created_at", "pk").iterator():
        key = (enquiry.candidate_id, enquiry.vacancy_id)
        if key in seen:
            continue
        seen.add(key)
        stage = stages[STATUS_TO_STAGE.get(enquiry.status, 0)]
        entry = PipelineEntry.objects.create(
            candidate_id=enquiry.candidate_id, vacancy_id=enquiry.vacancy_id, stage=stage,
            entered_stage_at=now, source="application", enquiry=enquiry,
            created_at=enquiry.created_at,
        )
        StageMove.objects.create(
            entry=entry, from_stage=None, to_stage=stage, moved_at=now, actor="site",
            note=f"Carried over from the enquiry's status ({enquiry.status}).",
        )


def grant_permissions(apps, schema_editor):
    create_all_permissions(apps)
    work = {"pipelineentry": ["add", "change", "view"], "stagemove": ["view"],
            "stage": ["view"], "rejectionreason": ["view"]}
    grant(apps, "Consultant", {"pipeline": work})
    grant(apps, "Manager", {"pipeline": {
        **work, "stage": ["add", "change", "delete", "view"],
        "rejectionreason": ["add", "change", "delete", "view"],
    }})


class Migration(migrations.Migration):
    dependencies = [
        ("pipeline", "0001_initial"),
        ("candidates", "0013_outbox_keeps_delivery_state"),
        ("jobs", "0002_staff_groups"),
    ]

    operations = [
        migrations.RunPython(create_stages, migrations.RunPython.noop),
        migrations.RunPython(grant_permissions, migrations.RunPython.noop),
    ]
