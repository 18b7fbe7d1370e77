"""Which candidates have these words in the text of one of their CVs, current or past.

The index is the database's own (installed by migration 0018 from candidates/sql/
cv_search_v1.py): PostgreSQL's tsvector column with a GIN index, SQLite's FTS5 table. Both
stem English words ("nursing" finds "nurses"), and every word must be in the same CV.
"""

import re

from django.db import connection

WORD = re.compile(r"\w+")
MAX_WORDS = 10

# The searched words are always a bound parameter.
CANDIDATES_WITH = {
    "postgresql": (
        "SELECT candidate_id FROM candidates_candidatecv "
        "WHERE search_vector @@ plainto_tsquery('english'::regconfig, %s)"
    ),
    "sqlite": (
        "SELECT candidate_id FROM candidates_candidatecv WHERE id IN "
        "(SELECT rowid FROM candidates_cv_fts WHERE candidates_cv_fts MATCH %s)"
    ),
}


def words_of(text):
    return WORD.findall(text)[:MAX_WORDS]


def candidates_with_words(text):
    """(SQL, params) selecting the ids of candidates with every word in one of their CVs,
    or None when the text has no words."""
    words = words_of(text)
    if not words:
        return None
    if connection.vendor == "postgresql":
        query = " ".join(words)
    else:
        query = " ".join(f'"{word}"' for word in words)  # quoted: never an FTS5 operator
    return CANDIDATES_WITH[connection.vendor], (query,)
