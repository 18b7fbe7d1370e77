import hashlib
import importlib
import pkgutil
from pathlib import Path

import pytest
from django.db import connection

import jobs.migrations
from jobs import search_index_v1, search_index_v2
from jobs.search_index import check_search_index

pytestmark = pytest.mark.django_db

# sha256 of version 1's SQL, as migrations 0005 and 0006 run it on every database.
VERSION_1_SQL = "5e9115f179bde58b6e076328dff10369ffccd4af2f511b9121e684a84acc2b0d"
# ... and of version 2's, as migration 0015 runs it.
VERSION_2_SQL = "2c72905d7d7d67e0a59ff10db3ef3af5d4af0b8d53fa43d24c2b4dfb4153595b"


def test_the_search_index_is_complete_after_migrate():
    assert check_search_index(databases=["default"]) == []


def test_a_search_trigger_lost_in_a_migration_is_reported():
    trigger = {"sqlite": "jobs_vacancy_fts_insert", "postgresql": "jobs_vacancy_search_vector"}
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"DROP TRIGGER {trigger['sqlite']}")
        else:
            cursor.execute(f"DROP TRIGGER {trigger['postgresql']} ON jobs_vacancy")
    errors = check_search_index(databases=["default"])
    assert [error.id for error in errors] == ["jobs.E001"]
    assert trigger[connection.vendor] in errors[0].msg


def test_migrations_run_frozen_search_sql_never_the_live_module():
    """A migration that imported jobs.search_index would change whenever it does."""
    folder = Path(jobs.migrations.__file__).parent
    for module in pkgutil.iter_modules([str(folder)]):
        source = (folder / f"{module.name}.py").read_text()
        assert "from jobs import search_index\n" not in source, module.name
        assert "jobs.search_index import" not in source, module.name
        importlib.import_module(f"jobs.migrations.{module.name}")


@pytest.mark.parametrize(
    ("version", "digest"),
    [(search_index_v1, VERSION_1_SQL), (search_index_v2, VERSION_2_SQL)],
    ids=["v1", "v2"],
)
def test_frozen_versions_of_the_search_sql_are_never_edited(version, digest):
    """Migrations run them: change the index with a new version and a migration instead."""
    statements = [
        *version.SQLITE,
        *version.SQLITE_REVERSE,
        *version.POSTGRESQL,
        *version.POSTGRESQL_REVERSE,
    ]
    assert hashlib.sha256("\n".join(statements).encode()).hexdigest() == digest
