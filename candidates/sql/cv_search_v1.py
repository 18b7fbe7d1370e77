"""FROZEN: the full-text index of CV text, as migration candidates 0018 installs it.

Never edit this module: write cv_search_v2.py and a migration that runs its SQL.

PostgreSQL: a tsvector column on candidates_candidatecv (English stemming), filled by a
trigger when a version is saved with new text, and a GIN index on it. The column is the
database's own: the model does not declare it, so the ORM never reads it.
SQLite: an FTS5 table over the same text (Porter stemming) with the version's id as its
rowid, kept in step by triggers on insert, update of the text, and delete.

On SQLite, Django alters a table by rebuilding it, which drops its triggers: a migration
that alters candidates_candidatecv must call `drop` first and `install` after.
"""

SQLITE = [
    "CREATE VIRTUAL TABLE candidates_cv_fts USING fts5(text, "
    "content='candidates_candidatecv', content_rowid='id', "
    "tokenize='porter unicode61 remove_diacritics 2')",
    "CREATE TRIGGER candidates_cv_fts_insert AFTER INSERT ON candidates_candidatecv BEGIN "
    "INSERT INTO candidates_cv_fts(rowid, text) VALUES (new.id, new.text); END",
    "CREATE TRIGGER candidates_cv_fts_update AFTER UPDATE OF text ON candidates_candidatecv "
    "BEGIN INSERT INTO candidates_cv_fts(candidates_cv_fts, rowid, text) "
    "VALUES ('delete', old.id, old.text); "
    "INSERT INTO candidates_cv_fts(rowid, text) VALUES (new.id, new.text); END",
    "CREATE TRIGGER candidates_cv_fts_delete AFTER DELETE ON candidates_candidatecv BEGIN "
    "INSERT INTO candidates_cv_fts(candidates_cv_fts, rowid, text) "
    "VALUES ('delete', old.id, old.text); END",
    "INSERT INTO candidates_cv_fts(candidates_cv_fts) VALUES ('rebuild')",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS candidates_cv_fts_delete",
    "DROP TRIGGER IF EXISTS candidates_cv_fts_update",
    "DROP TRIGGER IF EXISTS candidates_cv_fts_insert",
    "DROP TABLE IF EXISTS candidates_cv_fts",
]

POSTGRESQL = [
    "ALTER TABLE candidates_candidatecv ADD COLUMN search_vector tsvector",
    "CREATE FUNCTION candidates_cv_search_vector() RETURNS trigger AS $$ BEGIN "
    "NEW.search_vector := to_tsvector('english', coalesce(NEW.text, '')); "
    "RETURN NEW; END $$ LANGUAGE plpgsql",
    "CREATE TRIGGER candidates_cv_search_vector BEFORE INSERT OR UPDATE OF text "
    "ON candidates_candidatecv FOR EACH ROW EXECUTE FUNCTION candidates_cv_search_vector()",
    "UPDATE candidates_candidatecv SET text = text WHERE text <> ''",
    "CREATE INDEX candidates_cv_search_gin ON candidates_candidatecv USING gin (search_vector)",
]
POSTGRESQL_REVERSE = [
    "DROP INDEX IF EXISTS candidates_cv_search_gin",
    "DROP TRIGGER IF EXISTS candidates_cv_search_vector ON candidates_candidatecv",
    "DROP FUNCTION IF EXISTS candidates_cv_search_vector()",
    "ALTER TABLE candidates_candidatecv DROP COLUMN IF EXISTS search_vector",
]


def execute(schema_editor, statements_by_vendor):
    for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


def install(apps, schema_editor):
    execute(schema_editor, {"sqlite": SQLITE, "postgresql": POSTGRESQL})


def drop(apps, schema_editor):
    execute(schema_editor, {"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE})
