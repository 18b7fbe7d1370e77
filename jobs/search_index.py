"""Full-text search over vacancies, kept in sync by the database itself.

PostgreSQL: a weighted tsvector column (title A; reference, location, sector and the
client's public name B; summary C; description D) with a GIN index.
SQLite: an FTS5 table with the same four columns, Porter stemming, and bm25 weights.
Triggers on vacancies, sectors and clients keep both current, bulk inserts included.

On SQLite, Django alters a table by rebuilding it, which drops its triggers and trips over
triggers that name it. A migration that alters jobs_vacancy therefore calls `drop` first and
`install` after (see migration 0006).
"""

# The client's public name: its description when confidential, never its real name.
PUBLIC_CLIENT = (
    "(SELECT CASE WHEN c.is_confidential THEN c.public_description ELSE c.name END "
    "FROM jobs_client c WHERE c.id = {v}.client_id)"
)
SECTOR_NAME = "(SELECT s.name FROM jobs_sector s WHERE s.id = {v}.sector_id)"


def keywords(v):
    # "SSR-00017" is indexed as "SSR 00017": PostgreSQL would read "-00017" as a number.
    return (
        f"replace(coalesce({v}.reference, ''), '-', ' ') || ' ' || "
        f"coalesce({v}.location, '') || ' ' || "
        f"coalesce({SECTOR_NAME.format(v=v)}, '') || ' ' || "
        f"coalesce({PUBLIC_CLIENT.format(v=v)}, '')"
    )


SEARCHED_COLUMNS = "title, reference, location, sector_id, client_id, summary, description"


# The SQL below is built from constants when this module loads (hence the nosec marks).
def sqlite_index_rows(v, where):
    return (
        "INSERT INTO jobs_vacancy_fts(rowid, title, keywords, summary, description) "  # nosec B608
        f"SELECT {v}.id, {v}.title, {keywords(v)}, {v}.summary, {v}.description "
        f"FROM jobs_vacancy {v} WHERE {where};"
    )


SQLITE = [
    "CREATE VIRTUAL TABLE jobs_vacancy_fts USING fts5("
    "title, keywords, summary, description, tokenize='porter unicode61 remove_diacritics 2')",
    "CREATE TRIGGER jobs_vacancy_fts_insert AFTER INSERT ON jobs_vacancy BEGIN "
    + sqlite_index_rows("v", "v.id = new.id")
    + " END",
    f"CREATE TRIGGER jobs_vacancy_fts_update AFTER UPDATE OF {SEARCHED_COLUMNS} "  # nosec B608
    "ON jobs_vacancy BEGIN DELETE FROM jobs_vacancy_fts WHERE rowid = old.id; "
    + sqlite_index_rows("v", "v.id = new.id")
    + " END",
    "CREATE TRIGGER jobs_vacancy_fts_delete AFTER DELETE ON jobs_vacancy BEGIN "
    "DELETE FROM jobs_vacancy_fts WHERE rowid = old.id; END",
    "CREATE TRIGGER jobs_sector_fts_update AFTER UPDATE OF name ON jobs_sector BEGIN "  # nosec B608
    "DELETE FROM jobs_vacancy_fts WHERE rowid IN "
    "(SELECT id FROM jobs_vacancy WHERE sector_id = new.id); "
    + sqlite_index_rows("v", "v.sector_id = new.id")
    + " END",
    "CREATE TRIGGER jobs_client_fts_update AFTER UPDATE OF name, is_confidential, "  # nosec B608
    "public_description ON jobs_client BEGIN "
    "DELETE FROM jobs_vacancy_fts WHERE rowid IN "
    "(SELECT id FROM jobs_vacancy WHERE client_id = new.id); "
    + sqlite_index_rows("v", "v.client_id = new.id")
    + " END",
    sqlite_index_rows("v", "1"),
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
    "CREATE FUNCTION jobs_vacancy_search_vector() RETURNS trigger AS $$ BEGIN "
    "NEW.search_vector := "
    "setweight(to_tsvector('english', coalesce(NEW.title, '')), 'A') || "
    f"setweight(to_tsvector('english', {keywords('NEW')}), 'B') || "
    "setweight(to_tsvector('english', coalesce(NEW.summary, '')), 'C') || "
    "setweight(to_tsvector('english', coalesce(NEW.description, '')), 'D'); "
    "RETURN NEW; END $$ LANGUAGE plpgsql",
    f"CREATE TRIGGER jobs_vacancy_search_vector BEFORE INSERT OR UPDATE OF {SEARCHED_COLUMNS} "
    "ON jobs_vacancy FOR EACH ROW EXECUTE FUNCTION jobs_vacancy_search_vector()",
    # A renamed sector or client re-indexes its vacancies by touching them.
    "CREATE FUNCTION jobs_sector_reindex() RETURNS trigger AS $$ BEGIN "
    "UPDATE jobs_vacancy SET title = title WHERE sector_id = NEW.id; RETURN NULL; END $$ "
    "LANGUAGE plpgsql",
    "CREATE TRIGGER jobs_sector_reindex AFTER UPDATE OF name ON jobs_sector "
    "FOR EACH ROW EXECUTE FUNCTION jobs_sector_reindex()",
    "CREATE FUNCTION jobs_client_reindex() RETURNS trigger AS $$ BEGIN "
    "UPDATE jobs_vacancy SET title = title WHERE client_id = NEW.id; RETURN NULL; END $$ "
    "LANGUAGE plpgsql",
    "CREATE TRIGGER jobs_client_reindex AFTER UPDATE OF name, is_confidential, "
    "public_description ON jobs_client FOR EACH ROW EXECUTE FUNCTION jobs_client_reindex()",
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
