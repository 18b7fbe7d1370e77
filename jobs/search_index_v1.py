"""Version 1 of the full-text search index, as migrations 0005 and 0006 install it. FROZEN.

Never edit this file: migrations run it, and a fresh database must get what every existing
database got. To change the index, copy this module to search_index_v2.py, change the copy,
add a migration that runs this version's `drop` and then v2's `install`, and point
jobs/search_index.py's CURRENT at v2.

PostgreSQL: a weighted tsvector column (title A; reference, location, sector and the
client's public name B; summary C; description D) with a GIN index.
SQLite: an FTS5 table with the same four columns, Porter stemming. Triggers on vacancies,
sectors and clients keep both current, bulk inserts included. The client's public name is
Client.public_name written in SQL: its description when confidential, never its real name.
"""

# Names the check in jobs/search_index.py looks for after `migrate`.
OBJECTS = {
    "sqlite": {
        "jobs_vacancy_fts",
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
    },
}

SQLITE = [
    (
        "CREATE VIRTUAL TABLE jobs_vacancy_fts USING fts5(title, keywords, summary, "
        "description, tokenize='porter unicode61 remove_diacritics 2')"
    ),
    (
        "CREATE TRIGGER jobs_vacancy_fts_insert AFTER INSERT ON jobs_vacancy BEGIN INSERT "
        "INTO jobs_vacancy_fts(rowid, title, keywords, summary, description) SELECT v.id, "
        "v.title, replace(coalesce(v.reference, ''), '-', ' ') || ' ' || "
        "coalesce(v.location, '') || ' ' || coalesce((SELECT s.name FROM jobs_sector s "
        "WHERE s.id = v.sector_id), '') || ' ' || coalesce((SELECT CASE WHEN "
        "c.is_confidential THEN c.public_description ELSE c.name END FROM jobs_client c "
        "WHERE c.id = v.client_id), ''), v.summary, v.description FROM jobs_vacancy v "
        "WHERE v.id = new.id; END"
    ),
    (
        "CREATE TRIGGER jobs_vacancy_fts_update AFTER UPDATE OF title, reference, "
        "location, sector_id, client_id, summary, description ON jobs_vacancy BEGIN "
        "DELETE FROM jobs_vacancy_fts WHERE rowid = old.id; INSERT INTO "
        "jobs_vacancy_fts(rowid, title, keywords, summary, description) SELECT v.id, "
        "v.title, replace(coalesce(v.reference, ''), '-', ' ') || ' ' || "
        "coalesce(v.location, '') || ' ' || coalesce((SELECT s.name FROM jobs_sector s "
        "WHERE s.id = v.sector_id), '') || ' ' || coalesce((SELECT CASE WHEN "
        "c.is_confidential THEN c.public_description ELSE c.name END FROM jobs_client c "
        "WHERE c.id = v.client_id), ''), v.summary, v.description FROM jobs_vacancy v "
        "WHERE v.id = new.id; END"
    ),
    (
        "CREATE TRIGGER jobs_vacancy_fts_delete AFTER DELETE ON jobs_vacancy BEGIN DELETE "
        "FROM jobs_vacancy_fts WHERE rowid = old.id; END"
    ),
    (
        "CREATE TRIGGER jobs_sector_fts_update AFTER UPDATE OF name ON jobs_sector BEGIN "
        "DELETE FROM jobs_vacancy_fts WHERE rowid IN (SELECT id FROM jobs_vacancy WHERE "
        "sector_id = new.id); INSERT INTO jobs_vacancy_fts(rowid, title, keywords, "
        "summary, description) SELECT v.id, v.title, replace(coalesce(v.reference, ''), "
        "'-', ' ') || ' ' || coalesce(v.location, '') || ' ' || coalesce((SELECT s.name "
        "FROM jobs_sector s WHERE s.id = v.sector_id), '') || ' ' || coalesce((SELECT "
        "CASE WHEN c.is_confidential THEN c.public_description ELSE c.name END FROM "
        "jobs_client c WHERE c.id = v.client_id), ''), v.summary, v.description FROM "
        "jobs_vacancy v WHERE v.sector_id = new.id; END"
    ),
    (
        "CREATE TRIGGER jobs_client_fts_update AFTER UPDATE OF name, is_confidential, "
        "public_description ON jobs_client BEGIN DELETE FROM jobs_vacancy_fts WHERE rowid "
        "IN (SELECT id FROM jobs_vacancy WHERE client_id = new.id); INSERT INTO "
        "jobs_vacancy_fts(rowid, title, keywords, summary, description) SELECT v.id, "
        "v.title, replace(coalesce(v.reference, ''), '-', ' ') || ' ' || "
        "coalesce(v.location, '') || ' ' || coalesce((SELECT s.name FROM jobs_sector s "
        "WHERE s.id = v.sector_id), '') || ' ' || coalesce((SELECT CASE WHEN "
        "c.is_confidential THEN c.public_description ELSE c.name END FROM jobs_client c "
        "WHERE c.id = v.client_id), ''), v.summary, v.description FROM jobs_vacancy v "
        "WHERE v.client_id = new.id; END"
    ),
    (
        "INSERT INTO jobs_vacancy_fts(rowid, title, keywords, summary, description) "
        "SELECT v.id, v.title, replace(coalesce(v.reference, ''), '-', ' ') || ' ' || "
        "coalesce(v.location, '') || ' ' || coalesce((SELECT s.name FROM jobs_sector s "
        "WHERE s.id = v.sector_id), '') || ' ' || coalesce((SELECT CASE WHEN "
        "c.is_confidential THEN c.public_description ELSE c.name END FROM jobs_client c "
        "WHERE c.id = v.client_id), ''), v.summary, v.description FROM jobs_vacancy v "
        "WHERE 1;"
    ),
]

SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS jobs_client_fts_update",
    "DROP TRIGGER IF EXISTS jobs_sector_fts_update",
    "DROP TRIGGER IF EXISTS jobs_vacancy_fts_delete",
    "DROP TRIGGER IF EXISTS jobs_vacancy_fts_update",
    "DROP TRIGGER IF EXISTS jobs_vacancy_fts_insert",
    "DROP TABLE IF EXISTS jobs_vacancy_fts",
]

POSTGRESQL = [
    (
        "CREATE FUNCTION jobs_vacancy_search_vector() RETURNS trigger AS $$ BEGIN "
        "NEW.search_vector := setweight(to_tsvector('english', coalesce(NEW.title, '')), "
        "'A') || setweight(to_tsvector('english', replace(coalesce(NEW.reference, ''), "
        "'-', ' ') || ' ' || coalesce(NEW.location, '') || ' ' || coalesce((SELECT s.name "
        "FROM jobs_sector s WHERE s.id = NEW.sector_id), '') || ' ' || coalesce((SELECT "
        "CASE WHEN c.is_confidential THEN c.public_description ELSE c.name END FROM "
        "jobs_client c WHERE c.id = NEW.client_id), '')), 'B') || "
        "setweight(to_tsvector('english', coalesce(NEW.summary, '')), 'C') || "
        "setweight(to_tsvector('english', coalesce(NEW.description, '')), 'D'); RETURN "
        "NEW; END $$ LANGUAGE plpgsql"
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
    "UPDATE jobs_vacancy SET title = title",
]

POSTGRESQL_REVERSE = [
    "DROP INDEX IF EXISTS jobs_vacancy_search_gin",
    "DROP TRIGGER IF EXISTS jobs_client_reindex ON jobs_client",
    "DROP FUNCTION IF EXISTS jobs_client_reindex()",
    "DROP TRIGGER IF EXISTS jobs_sector_reindex ON jobs_sector",
    "DROP FUNCTION IF EXISTS jobs_sector_reindex()",
    "DROP TRIGGER IF EXISTS jobs_vacancy_search_vector ON jobs_vacancy",
    "DROP FUNCTION IF EXISTS jobs_vacancy_search_vector()",
]


def execute(schema_editor, statements_by_vendor):
    for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


def install(apps, schema_editor):
    execute(schema_editor, {"sqlite": SQLITE, "postgresql": POSTGRESQL})


def drop(apps, schema_editor):
    execute(schema_editor, {"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE})
