"""The full-text search index over vacancies: which version is current, and a check it is there.

The SQL itself lives in frozen, versioned modules (search_index_v1.py, _v2.py), because migrations
run it: a module that migrations import must never change, or a fresh database would get
something other than what every existing database got.

THE SQLITE REBUILD RULE. SQLite alters a table by rebuilding it, which drops the triggers on
it and trips over triggers that name it. So a migration that alters jobs_vacancy (adds,
removes or changes a column; `makemigrations` writes such migrations for any change to
Vacancy's fields), or that alters jobs_sector or jobs_client, must wrap its operations in
the current version's drop and install, as migrations 0006 (version 1) and 0015 do:

    from jobs import search_index_v2

    operations = [
        migrations.RunPython(search_index_v2.drop, search_index_v2.install),
        ...  # the generated operations
        migrations.RunPython(search_index_v2.install, search_index_v2.drop),
    ]

Import the version by name (never CURRENT), so the migration keeps meaning what it meant.
PostgreSQL keeps its triggers through ALTER TABLE; the same wrapping is harmless there.
If the rule is forgotten, `manage.py check --database default` (and `make check`) reports
the missing triggers.
"""

from django.core.checks import Error, Tags, register
from django.db import connections
from django.db.migrations.recorder import MigrationRecorder

from . import search_index_v2

CURRENT = search_index_v2
# The migration that first installs the index: before it is applied, nothing is expected.
INSTALLED_BY = ("jobs", "0005_full_text_search")


def existing_objects(connection):
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')")
        else:
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal "
                "UNION SELECT indexname FROM pg_indexes WHERE tablename = 'jobs_vacancy'"
            )
        return {name for (name,) in cursor.fetchall()}


def missing_objects(connection):
    """The search index's tables, triggers and indexes that a migrated database lacks."""
    expected = CURRENT.OBJECTS.get(connection.vendor)
    if not expected or INSTALLED_BY not in MigrationRecorder(connection).applied_migrations():
        return set()
    return expected - existing_objects(connection)


@register(Tags.database)
def check_search_index(app_configs=None, databases=None, **kwargs):
    errors = []
    for alias in databases or []:
        if missing := missing_objects(connections[alias]):
            errors.append(
                Error(
                    f"The search index is incomplete on database {alias!r}: "
                    f"{', '.join(sorted(missing))} missing.",
                    hint=(
                        "A migration altered a jobs table on SQLite without dropping and "
                        "reinstalling the search index: see the rule in jobs/search_index.py."
                    ),
                    id="jobs.E001",
                )
            )
    return errors
