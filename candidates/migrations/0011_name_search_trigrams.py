from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

from recruitment.migration_operations import postgresql_only

# The admin finds people by any part of a name, company or phone number: Django asks
# PostgreSQL for UPPER(column::text) LIKE UPPER('%word%'), which no B-tree can answer
# (547 ms for a name among 1,000,000 enquiries). Trigram indexes on those expressions can.
# SQLite scans instead (305 ms at the same size); it has no such index.
SEARCHED = {
    "candidates_candidate": ["name", "phone"],
    "candidates_enquiry": ["name", "company", "phone"],
}
FORWARD = [
    f"CREATE INDEX {table}_{column}_trgm ON {table} USING gin (UPPER({column}::text) gin_trgm_ops)"
    for table, columns in SEARCHED.items()
    for column in columns
]
BACKWARD = [
    f"DROP INDEX IF EXISTS {table}_{column}_trgm"
    for table, columns in SEARCHED.items()
    for column in columns
]


class Migration(migrations.Migration):
    dependencies = [("candidates", "0010_admin_indexes")]

    operations = [
        TrigramExtension(),
        postgresql_only(FORWARD, BACKWARD),
    ]
