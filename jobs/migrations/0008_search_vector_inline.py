from django.db import migrations

from recruitment.migration_operations import postgresql_only

# PostgreSQL moves a row's largest values out of line once the row passes about 2 KB; the
# search vector was one of them, so every search read each vacancy's vector from the TOAST
# table (3 extra page reads a row: 29 ms to match one word in 11,000 vacancies, 8 ms once
# inline). MAIN keeps it in the row and moves the description out instead. Touching the
# title makes the trigger write each vector again under the new storage.
FORWARD = [
    "ALTER TABLE jobs_vacancy ALTER COLUMN search_vector SET STORAGE MAIN",
    "UPDATE jobs_vacancy SET title = title",
]
BACKWARD = ["ALTER TABLE jobs_vacancy ALTER COLUMN search_vector SET STORAGE EXTENDED"]


class Migration(migrations.Migration):
    dependencies = [("jobs", "0007_newest_open_index")]

    operations = [postgresql_only(FORWARD, BACKWARD)]
