"""Version 2 of the full-text search index, as migration 0015 installs it. FROZEN.

Never edit this file: migrations run it, and a fresh database must get what every existing
database got. To change the index, copy this module to search_index_v3.py, change the copy,
add a migration that runs this version's `drop` and then v3's `install`, and point
jobs/search_index.py's CURRENT at v3.

Version 1's stemmed index, plus the same text with every word as written (lower case, without
accents), so that exact words can outrank words that only share a stem ("accountant" is
"account" once stemmed), and a list of the words in headlines to correct typos against.

PostgreSQL: weighted tsvector columns (title A; reference, location, sector and the client's
public name B; summary C; description D), search_vector with the 'english' configuration and
search_exact with 'simple', each with a GIN index; the words of each headline (weights A and
B), less those with digits (references), go into jobs_search_word, which has a trigram index
(pg_trgm).
SQLite: two FTS5 tables with the same four columns, jobs_vacancy_fts with Porter stemming and
jobs_vacancy_fts_exact without; jobs_vacancy_fts_words lists the exact table's words per
column (fts5vocab). Triggers on vacancies, sectors and clients keep all of them current, bulk
inserts included. The client's public name is Client.public_name written in SQL: its
description when confidential, never its real name.
"""

# Names the check in jobs/search_index.py looks for after `migrate`.
OBJECTS = {
    "sqlite": {
        "jobs_vacancy_fts",
        "jobs_vacancy_fts_exact",
        "jobs_vacancy_fts_words",
        "jobs_vacancy_fts_insert",
        "jobs_vacancy_fts_update",
        "jobs_vacancy_fts_delete",
        "jobs_sector_fts_update",
        "jobs_client_fts_update",
    },
    "postgresql": {
        "jobs_vacancy_search_vector",
        "jobs_sector_reindex",
        "jobs_client_reindex",
        "jobs_vacancy_search_gin",
        "jobs_vacancy_search_exact_gin",
    },
}

SQLITE_TABLES = ("jobs_vacancy_fts", "jobs_vacancy_fts_exact")
SQLITE_ROWS = (
    "SELECT v.id, v.title, replace(coalesce(v.reference, ''), '-', ' ') || ' ' || "
    "coalesce(v.location, '') || ' ' || coalesce((SELECT s.name FROM jobs_sector s WHERE "
    "s.id = v.sector_id), '') || ' ' || coalesce((SELECT CASE WHEN c.is_confidential THEN "
    "c.public_description ELSE c.name END FROM jobs_client c WHERE c.id = v.client_id), ''), "
    "v.summary, v.description FROM jobs_vacancy v WHERE "
)


def sqlite_delete(rowids):
    # Every name and condition is a constant of this module: nothing comes from input.
    deletes = (f"DELETE FROM {table} WHERE rowid {rowids}; " for table in SQLITE_TABLES)  # noqa: S608  # nosec B608
    return "".join(deletes)


def sqlite_inserts(where):
    return [
        f"INSERT INTO {table}(rowid, title, keywords, summary, description) {SQLITE_ROWS}{where}"
        for table in SQLITE_TABLES
    ]


def sqlite_insert(where):
    return "".join(f"{statement}; " for statement in sqlite_inserts(where))


SQLITE = [
    (
        "CREATE VIRTUAL TABLE jobs_vacancy_fts USING fts5(title, keywords, summary, "
        "description, tokenize='porter unicode61 remove_diacritics 2')"
    ),
    (
        "CREATE VIRTUAL TABLE jobs_vacancy_fts_exact USING fts5(title, keywords, summary, "
        "description, tokenize='unicode61 remove_diacritics 2')"
    ),
    "CREATE VIRTUAL TABLE jobs_vacancy_fts_words USING fts5vocab(jobs_vacancy_fts_exact, 'col')",
    (
        "CREATE TRIGGER jobs_vacancy_fts_insert AFTER INSERT ON jobs_vacancy BEGIN "
        + sqlite_insert("v.id = new.id")
        + "END"
    ),
    (
        "CREATE TRIGGER jobs_vacancy_fts_update AFTER UPDATE OF title, reference, "
        "location, sector_id, client_id, summary, description ON jobs_vacancy BEGIN "
        + sqlite_delete("= old.id")
        + sqlite_insert("v.id = new.id")
        + "END"
    ),
    (
        "CREATE TRIGGER jobs_vacancy_fts_delete AFTER DELETE ON jobs_vacancy BEGIN "
        + sqlite_delete("= old.id")
        + "END"
    ),
    (
        "CREATE TRIGGER jobs_sector_fts_update AFTER UPDATE OF name ON jobs_sector BEGIN "  # noqa: S608
        + sqlite_delete("IN (SELECT id FROM jobs_vacancy WHERE sector_id = new.id)")
        + sqlite_insert("v.sector_id = new.id")
        + "END"
    ),
    (
        "CREATE TRIGGER jobs_client_fts_update AFTER UPDATE OF name, is_confidential, "  # noqa: S608
        "public_description ON jobs_client BEGIN "
        + sqlite_delete("IN (SELECT id FROM jobs_vacancy WHERE client_id = new.id)")
        + sqlite_insert("v.client_id = new.id")
        + "END"
    ),
    *sqlite_inserts("1"),
]

SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS jobs_client_fts_update",
    "DROP TRIGGER IF EXISTS jobs_sector_fts_update",
    "DROP TRIGGER IF EXISTS jobs_vacancy_fts_delete",
    "DROP TRIGGER IF EXISTS jobs_vacancy_fts_update",
    "DROP TRIGGER IF EXISTS jobs_vacancy_fts_insert",
    "DROP TABLE IF EXISTS jobs_vacancy_fts_words",
    "DROP TABLE IF EXISTS jobs_vacancy_fts_exact",
    "DROP TABLE IF EXISTS jobs_vacancy_fts",
]

POSTGRESQL_HEADLINE = (
    "replace(coalesce(NEW.reference, ''), '-', ' ') || ' ' || coalesce(NEW.location, '') || "
    "' ' || coalesce((SELECT s.name FROM jobs_sector s WHERE s.id = NEW.sector_id), '') || "
    "' ' || coalesce((SELECT CASE WHEN c.is_confidential THEN c.public_description ELSE "
    "c.name END FROM jobs_client c WHERE c.id = NEW.client_id), '')"
)


def postgresql_vector(config):
    return (
        f"setweight(to_tsvector('{config}', coalesce(NEW.title, '')), 'A') || "
        f"setweight(to_tsvector('{config}', keywords), 'B') || "
        f"setweight(to_tsvector('{config}', coalesce(NEW.summary, '')), 'C') || "
        f"setweight(to_tsvector('{config}', coalesce(NEW.description, '')), 'D')"
    )


POSTGRESQL = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE TABLE jobs_search_word (word text PRIMARY KEY)",
    "CREATE INDEX jobs_search_word_trigram ON jobs_search_word USING gin (word gin_trgm_ops)",
    (
        "CREATE FUNCTION jobs_vacancy_search_vector() RETURNS trigger AS $$ DECLARE keywords "  # noqa: S608  # nosec B608
        f"text := {POSTGRESQL_HEADLINE}; BEGIN NEW.search_vector := "
        f"{postgresql_vector('english')}; NEW.search_exact := {postgresql_vector('simple')}; "
        "INSERT INTO jobs_search_word (word) SELECT word FROM unnest(tsvector_to_array("
        "to_tsvector('simple', coalesce(NEW.title, '') || ' ' || keywords))) AS word WHERE "
        "word !~ '[0-9]' ON CONFLICT DO NOTHING; "
        "RETURN NEW; END $$ LANGUAGE plpgsql"
    ),
    (
        "CREATE TRIGGER jobs_vacancy_search_vector BEFORE INSERT OR UPDATE OF title, "
        "reference, location, sector_id, client_id, summary, description ON jobs_vacancy "
        "FOR EACH ROW EXECUTE FUNCTION jobs_vacancy_search_vector()"
    ),
    (
        "CREATE FUNCTION jobs_sector_reindex() RETURNS trigger AS $$ BEGIN UPDATE "
        "jobs_vacancy SET title = title WHERE sector_id = NEW.id; RETURN NULL; END $$ "
        "LANGUAGE plpgsql"
    ),
    (
        "CREATE TRIGGER jobs_sector_reindex AFTER UPDATE OF name ON jobs_sector FOR EACH "
        "ROW EXECUTE FUNCTION jobs_sector_reindex()"
    ),
    (
        "CREATE FUNCTION jobs_client_reindex() RETURNS trigger AS $$ BEGIN UPDATE "
        "jobs_vacancy SET title = title WHERE client_id = NEW.id; RETURN NULL; END $$ "
        "LANGUAGE plpgsql"
    ),
    (
        "CREATE TRIGGER jobs_client_reindex AFTER UPDATE OF name, is_confidential, "
        "public_description ON jobs_client FOR EACH ROW EXECUTE FUNCTION "
        "jobs_client_reindex()"
    ),
    "CREATE INDEX jobs_vacancy_search_gin ON jobs_vacancy USING gin (search_vector)",
    "CREATE INDEX jobs_vacancy_search_exact_gin ON jobs_vacancy USING gin (search_exact)",
    "UPDATE jobs_vacancy SET title = title",
]

POSTGRESQL_REVERSE = [
    "DROP INDEX IF EXISTS jobs_vacancy_search_exact_gin",
    "DROP INDEX IF EXISTS jobs_vacancy_search_gin",
    "DROP TRIGGER IF EXISTS jobs_client_reindex ON jobs_client",
    "DROP FUNCTION IF EXISTS jobs_client_reindex()",
    "DROP TRIGGER IF EXISTS jobs_sector_reindex ON jobs_sector",
    "DROP FUNCTION IF EXISTS jobs_sector_reindex()",
    "DROP TRIGGER IF EXISTS jobs_vacancy_search_vector ON jobs_vacancy",
    "DROP FUNCTION IF EXISTS jobs_vacancy_search_vector()",
    "DROP TABLE IF EXISTS jobs_search_word",
]


def execute(schema_editor, statements_by_vendor):
    for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


def install(apps, schema_editor):
    execute(schema_editor, {"sqlite": SQLITE, "postgresql": POSTGRESQL})


def drop(apps, schema_editor):
    execute(schema_editor, {"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE})
