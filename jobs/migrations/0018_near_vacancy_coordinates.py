from django.db import migrations, models

from jobs import places, search_index_v2


def locate_vacancies(apps, schema_editor):
    """Place the vacancies there are: each distinct location once, then all its vacancies."""
    Place = apps.get_model("jobs", "Place")
    Vacancy = apps.get_model("jobs", "Vacancy")
    located = Vacancy.objects.values_list("location", "region").distinct().order_by()
    for location, region in list(located):
        latitude, longitude = places.coordinates(Place, location, region)
        if latitude is not None:
            Vacancy.objects.filter(location=location, region=region).update(
                latitude=latitude, longitude=longitude
            )


class Migration(migrations.Migration):

    dependencies = [
        ('jobs', '0017_near_places'),
    ]

    # SQLite rebuilds jobs_vacancy to add the columns: the search index goes first and comes
    # back after (the rule in jobs/search_index.py).
    operations = [
        migrations.RunPython(search_index_v2.drop, search_index_v2.install),
        migrations.AddField(
            model_name='vacancy',
            name='latitude',
            field=models.FloatField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name='vacancy',
            name='longitude',
            field=models.FloatField(blank=True, editable=False, null=True),
        ),
        migrations.AddIndex(
            model_name='vacancy',
            index=models.Index(fields=['latitude', 'longitude'], name='vacancy_near'),
        ),
        migrations.RunPython(search_index_v2.install, search_index_v2.drop),
        migrations.RunPython(locate_vacancies, migrations.RunPython.noop),
    ]
