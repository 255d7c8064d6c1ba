"""The queue's text search at a million cases, in Chinese and English, on SQLite and
PostgreSQL.

Neither database splits Chinese into words, and a staff search is usually two or three
characters ("头发", "空调", "退款"), so each case is indexed by the overlapping character
pairs of its Chinese (空调坏了 → 空调 调坏 坏了) and by its English words and numbers,
together with the customer's name, phone and e-mail and the order reference as they were
when the complaint arrived. A query is the phrase of its own pairs, so it finds exactly the
cases whose text contains it, as `icontains` would, without reading every case.

- SQLite: a contentless FTS5 table (`cases_case_fts`, rowid = case id).
- PostgreSQL: `cases_case_search` (case id, terms) under a GIN index of
  `to_tsvector('simple', terms)`, queried with `phraseto_tsquery`.

A word found in very many cases is better served the other way round: walking the queue
newest first and stopping at the first page of matches. `matching_case_ids` counts the
matches in the index first (cheap either way) and says which way to go.
"""

import re
import unicodedata
from collections.abc import Iterable

from django.db import connection

FTS_TABLE = "cases_case_fts"
PG_TABLE = "cases_case_search"
_PIECES = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[a-z0-9]+")


def _pieces(text: str) -> list[str]:
    return _PIECES.findall(unicodedata.normalize("NFKC", text or "").casefold())


def _terms_of(piece: str) -> list[str]:
    if piece.isascii():
        return [piece]
    if len(piece) == 1:
        return [piece]
    return [piece[i:i + 2] for i in range(len(piece) - 1)]


def search_terms(*texts: str) -> str:
    """The indexed words of a case: character pairs of Chinese, English words, numbers."""
    return " ".join(term for text in texts for piece in _pieces(text)
                    for term in _terms_of(piece))


def query_phrases(query: str) -> list[list[str]]:
    """The query as phrases of terms, one phrase per run of Chinese or per word, all of
    which must match; only word characters survive, so no input reaches query syntax."""
    return [_terms_of(piece) for piece in _pieces(query)]


def index_cases(rows: Iterable[tuple[int, str]]) -> None:
    """Add (case id, terms) rows to the index (each case once, when it is created)."""
    rows = list(rows)
    if not rows:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.executemany(
                f"INSERT INTO {FTS_TABLE} (rowid, terms) VALUES (%s, %s)", rows)  # noqa: S608
        else:
            cursor.executemany(
                f"INSERT INTO {PG_TABLE} (case_id, terms) VALUES (%s, %s) "  # noqa: S608
                "ON CONFLICT (case_id) DO UPDATE SET terms = EXCLUDED.terms", rows)


def _sqlite_match(phrases: list[list[str]]) -> str:
    parts = []
    for terms in phrases:
        if len(terms) == 1:
            # A word or a lone character also finds longer words it starts: "refund"
            # finds "refunded", "刘" finds the pair "刘女".
            parts.append(f'"{terms[0]}"*')
        else:
            parts.append('"' + " ".join(terms) + '"')
    return " AND ".join(parts)


def _pg_query(phrases: list[list[str]]) -> tuple[str, list[str]]:
    clauses, params = [], []
    for terms in phrases:
        if len(terms) == 1:
            clauses.append("to_tsquery('simple', %s)")
            params.append(f"{terms[0]}:*")
        else:
            clauses.append("phraseto_tsquery('simple', %s)")
            params.append(" ".join(terms))
    return " && ".join(clauses), params


def matching_case_ids(query: str, *, limit: int) -> tuple[list[int] | None, int]:
    """The ids of the cases whose indexed text contains `query`, if there are at most
    `limit` of them, and how many there are (counted up to `limit` + 1). With more than
    `limit`, the ids are None: the word is common, and the caller walks the queue instead.
    A query with no word characters matches nothing."""
    phrases = query_phrases(query)
    if not phrases:
        return [], 0
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s LIMIT %s",  # noqa: S608
                [_sqlite_match(phrases), limit + 1],
            )
        else:
            expression, params = _pg_query(phrases)
            cursor.execute(
                f"SELECT case_id FROM {PG_TABLE} WHERE to_tsvector('simple', terms) @@ "  # noqa: S608
                f"({expression}) LIMIT %s", [*params, limit + 1],
            )
        ids = [row[0] for row in cursor.fetchall()]
    if len(ids) > limit:
        return None, len(ids)
    return ids, len(ids)
