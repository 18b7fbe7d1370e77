"""Every CV already held becomes a version: each enquiry's, and the candidate's latest as current.

The versions point at the files already stored (nothing is copied). Their text, size and
SHA-256 are read afterwards by `manage.py read_cv_texts` (see DEPLOY.md, Upgrading).
"""

from django.db import migrations

BATCH = 2000


def carry_cvs(apps, schema_editor):
    Enquiry = apps.get_model("candidates", "Enquiry")
    Candidate = apps.get_model("candidates", "Candidate")
    CandidateCV = apps.get_model("candidates", "CandidateCV")
    sent = (
        Enquiry.objects.exclude(cv="")
        .filter(candidate__isnull=False)
        .order_by("pk")
        .values_list("pk", "candidate_id", "cv", "cv_original_name", "created_at")
    )
    batch = []
    for enquiry_id, candidate_id, name, original_name, created_at in sent.iterator(BATCH):
        batch.append(
            CandidateCV(
                candidate_id=candidate_id,
                enquiry_id=enquiry_id,
                file=name,
                original_name=original_name,
                uploaded_at=created_at,
            )
        )
        if len(batch) == BATCH:
            CandidateCV.objects.bulk_create(batch)
            batch = []
    CandidateCV.objects.bulk_create(batch)

    latest = (
        Candidate.objects.exclude(cv="")
        .order_by("pk")
        .values_list("pk", "cv", "cv_original_name", "created_at")
    )
    for candidate_id, name, original_name, created_at in latest.iterator(BATCH):
        # The record's CV is one of its enquiries' files, unless staff or data put it there.
        version = CandidateCV.objects.filter(candidate_id=candidate_id, file=name).first()
        if version is None:
            version = CandidateCV.objects.create(
                candidate_id=candidate_id,
                file=name,
                original_name=original_name,
                uploaded_at=created_at,
            )
        CandidateCV.objects.filter(pk=version.pk).update(is_current=True)


def uncarry_cvs(apps, schema_editor):
    """Going back: the record's CV is its current version's file again."""
    Candidate = apps.get_model("candidates", "Candidate")
    CandidateCV = apps.get_model("candidates", "CandidateCV")
    current = CandidateCV.objects.filter(is_current=True).values_list(
        "candidate_id", "file", "original_name"
    )
    for candidate_id, name, original_name in current.iterator(BATCH):
        Candidate.objects.filter(pk=candidate_id).update(cv=name, cv_original_name=original_name)
    CandidateCV.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("candidates", "0018_cv_versions_and_notes")]

    operations = [
        migrations.RunPython(carry_cvs, uncarry_cvs),
    ]
