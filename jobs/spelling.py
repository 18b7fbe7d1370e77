"""Typos in a search's keywords: each word that no advert has, replaced by the nearest word of
the job titles, references, locations, sectors and clients (the headlines).

Asked only when a search finds nothing. The words come from search index version 2
(jobs/search_index_v2.py): on SQLite the exact FTS5 table's vocabulary (fts5vocab), read for
the words starting with the same letter; on PostgreSQL jobs_search_word through its trigram
index (pg_trgm), so a typo in the first letter is corrected too. Either way the nearest is
chosen here, by difflib's ratio, the word in most headlines on a tie.
"""

import unicodedata
from difflib import SequenceMatcher

from django.db import connection

# Shorter words are too often real (or abbreviations) to correct; longer ones are no words.
MIN_LENGTH, MAX_LENGTH = 3, 30
# How alike a correction must be: "acount" and "account" are 0.92, "nurce" and "nurse" 0.8.
SIMILAR = 0.8
HEADLINE_COLUMNS = ("title", "keywords")


def plain(word):
    """The word as the index keeps it: lower case, without accents."""
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def can_correct(word):
    return word.isalpha() and MIN_LENGTH <= len(word) <= MAX_LENGTH


def nearest(word, candidates):
    """The most similar of (word, headlines) candidates, if similar enough."""
    scored = [
        (SequenceMatcher(None, word, candidate).ratio(), headlines, candidate)
        for candidate, headlines in candidates
        if abs(len(candidate) - len(word)) <= 2
    ]
    best = max(scored, default=(0, 0, ""))
    return best[2] if best[0] >= SIMILAR else ""


def sqlite_correction(word):
    """One query: the index's words with the same first letter, in any column and in
    headlines. A word some advert has is no typo."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT term, col, doc FROM jobs_vacancy_fts_words WHERE term >= %s AND term < %s",
            [word[0], chr(ord(word[0]) + 1)],
        )
        rows = cursor.fetchall()
    if any(term == word for term, _, _ in rows):
        return ""
    headlines = {}
    for term, column, documents in rows:
        if column in HEADLINE_COLUMNS:
            headlines[term] = headlines.get(term, 0) + documents
    return nearest(word, headlines.items())


def postgresql_unknown(words):
    """One query: which of the words no advert has. A test per word, each with its word as a
    parameter, so each is a GIN index look-up (over unnest() it read every vacancy)."""
    unknown = (
        "SELECT %s::text WHERE NOT EXISTS (SELECT 1 FROM jobs_vacancy "
        "WHERE search_exact @@ plainto_tsquery('simple', %s))"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            " UNION ALL ".join([unknown] * len(words)),
            [value for word in words for value in (word, word)],
        )
        return {word for (word,) in cursor.fetchall()}


def postgresql_correction(word):
    """One query: headline words with trigrams in common (pg_trgm's % operator)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT word, 0 FROM jobs_search_word WHERE word %% %s "
            "ORDER BY similarity(word, %s) DESC LIMIT 20",
            [word, word],
        )
        return nearest(word, cursor.fetchall())


def corrected_words(words):
    """The words with each typo corrected (in lower case); the others as they were."""
    plain_words = {word: plain(word) for word in words if can_correct(word)}
    correctable = list(dict.fromkeys(plain_words.values()))
    if connection.vendor == "postgresql":
        unknown = postgresql_unknown(correctable) if correctable else set()
        corrections = {word: postgresql_correction(word) for word in sorted(unknown)}
    else:
        corrections = {word: sqlite_correction(word) for word in correctable}
    return [corrections.get(plain_words.get(word)) or word for word in words]
