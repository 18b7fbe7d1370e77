from django.db import migrations


class Migration(migrations.Migration):
    """The record's CV is now the version marked current (CandidateCV.is_current)."""

    dependencies = [("candidates", "0019_carry_cvs_into_versions")]

    operations = [
        migrations.RemoveField(model_name="candidate", name="cv"),
        migrations.RemoveField(model_name="candidate", name="cv_original_name"),
    ]
