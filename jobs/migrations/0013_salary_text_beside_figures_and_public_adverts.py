from django.db import migrations, models
from django.db.models import Q

# Adverts whose page may show what candidates must not see: an "originally posted as"
# trailer, masked contact details ("call **** ****") or an address that lost its "@".
MAY_NEED_IT = (
    Q(description__contains="***")
    | Q(description__contains="\\*\\*\\*")
    | Q(description__icontains="originally posted as")
    | Q(description__iregex=r"\.(co\.uk|org\.uk|com|net|org|uk)\b")
)


def render_public_adverts(apps, schema_editor):
    """Each advert's page is rendered as it is saved now: without those parts."""
    from jobs.markup import public_text, render_markdown

    Vacancy = apps.get_model("jobs", "Vacancy")
    adverts = Vacancy.objects.filter(MAY_NEED_IT).values_list("pk", "description")
    for pk, description in adverts.iterator(chunk_size=500):
        html = render_markdown(public_text(description))
        Vacancy.objects.filter(pk=pk).update(description_html=html)


class Migration(migrations.Migration):

    dependencies = [
        ("jobs", "0012_vacancy_description_max_length"),
    ]

    operations = [
        # Help text only: no column changes, so the search index stays (jobs/search_index.py).
        migrations.AlterField(
            model_name="vacancy",
            name="salary_text",
            field=models.CharField(
                blank=True,
                help_text="Public. Shown after the figures (“plus bonus and car”), or alone when there are none (“Excellent salary and benefits”).",
                max_length=200,
            ),
        ),
        migrations.RunPython(render_public_adverts, migrations.RunPython.noop),
    ]
