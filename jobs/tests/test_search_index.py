import hashlib
import importlib
import pkgutil
from pathlib import Path

import pytest
from django.db import connection

import jobs.migrations
from jobs import search_index_v1
from jobs.search_index import check_search_index

pytestmark = pytest.mark.django_db

# sha256 of version 1's SQL, as migrations 0005 and 0006 run it on every database.
VERSION_1_SQL = "5e9115f179bde58b6e076328dff10369ffccd4af2f511b9121e684a84acc2b0d"


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


def test_version_1_of_the_search_sql_is_never_edited():
    """Migrations run it: change the index with a version 2 and a migration instead."""
    statements = [
        *search_index_v1.SQLITE,
        *search_index_v1.SQLITE_REVERSE,
        *search_index_v1.POSTGRESQL,
        *search_index_v1.POSTGRESQL_REVERSE,
    ]
    digest = hashlib.sha256("\n".join(statements).encode()).hexdigest()
    assert digest == VERSION_1_SQL
