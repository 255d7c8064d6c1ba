"""The queue's text search at a million cases, in Chinese and English, on SQLite and
PostgreSQL.

Neither database splits Chinese into words, and a staff search is usually two or three
characters ("头发", "空调", "退款"), so each case is indexed by the overlapping character
pairs of its Chinese (空调坏了 → 空调 调坏 坏了) and by its English words and numbers,
together with the customer's name, phone and e-mail and the order reference as they were
when the complaint arrived. A query is the phrase of its own pairs, so it finds exactly the
cases whose text contains it, as `icontains` would, without reading every case; except
that a query of one English word, or of one Chinese character, is found where a word or
a pair starts with it ("refu" finds "refund", but "charged" not "overcharged", nor "刘"
the end of "小刘").

- SQLite: a contentless FTS5 table (`cases_case_fts`, rowid = case id).
- PostgreSQL: `cases_case_search` (case id, terms, and `vector`, the stored
  `to_tsvector('simple', terms)`) under a GIN index of `vector`, queried with
  `phraseto_tsquery`. The vector is stored because a phrase is checked again in each
  candidate row, which would otherwise parse the terms again.

A word found in very many cases is better served the other way round: walking the queue
newest first and stopping at the first page of matches. `matching_case_ids` counts the
matches in the index (up to a limit) and says which way to go. Counting costs time in
proportion to all the matches, not the limit (PostgreSQL reads the word's whole list in
its GIN index, 20–30 ms for a word in 7% of a million cases), so on PostgreSQL a single word
that the planner's statistics show in more than twice as many cases as the limit is not
counted.
"""

import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.db import connection, transaction
from django.db.backends.utils import CursorWrapper

FTS_TABLE = "cases_case_fts"
PG_TABLE = "cases_case_search"
_PIECES = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[a-z0-9]+")
# A word the index never holds (`search_terms` keeps only Chinese and a-z0-9): PostgreSQL
# estimates it as it does any word its statistics do not know, and no more than that for
# a prefix that matches no word they know.
_PG_UNKNOWN_WORD = "ω"


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
            term = terms[0]
            # No indexed Chinese word is longer than a pair, so a pair's prefix finds the
            # pair alone; looked up exactly, the GIN index reads its list in half the time.
            params.append(term if len(term) == 2 and not term.isascii() else f"{term}:*")
        else:
            clauses.append("phraseto_tsquery('simple', %s)")
            params.append(" ".join(terms))
    return " && ".join(clauses), params


@contextmanager
def pg_plan_settings(**settings: str) -> Iterator[None]:
    """PostgreSQL planner settings for the statements run inside (`SET LOCAL`, in a
    transaction; inside an outer one they last until it ends)."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT " + ", ".join("set_config(%s, %s, true)" for _ in settings),
                [part for setting in settings.items() for part in setting],
            )
        yield


def _pg_estimates(cursor: CursorWrapper, query: str, params: list[str]) -> tuple[float, float]:
    """The planner's estimates of the search rows matching `query` (a tsquery) and of
    those matching a word it has no statistics for, in one statement."""
    unknown = "to_tsquery('simple', %s)"
    cursor.execute(
        f"EXPLAIN (FORMAT JSON) SELECT 1 FROM {PG_TABLE} WHERE vector @@ ({query}) "  # noqa: S608
        f"UNION ALL SELECT 1 FROM {PG_TABLE} WHERE vector @@ ({unknown})",
        [*params, _PG_UNKNOWN_WORD])
    plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    matches, unknown_matches = (float(part["Plan Rows"]) for part in plan[0]["Plan"]["Plans"])
    return matches, unknown_matches


def _pg_matching(phrases: list[list[str]], limit: int) -> list[int] | None:
    """The ids of up to `limit` + 1 matching cases; None for a word too common to count."""
    expression, params = _pg_query(phrases)
    if len(phrases) == 1 and len(phrases[0]) == 1:
        # One word: the column's statistics (see migration 0007) know how many cases hold
        # a common one; an estimate above the one for an unknown word comes from them.
        # Not for several words or a phrase, whose estimate multiplies their shares as if
        # they were independent, which they are not.
        with connection.cursor() as cursor:
            matches, unknown = _pg_estimates(cursor, expression, params)
        if matches > max(2 * limit, unknown):
            return None
    # The index, whatever the estimate: a sequential scan that meets fewer matches than
    # the limit reads the whole table. No JIT either: compiling would take longer than
    # the statement.
    with pg_plan_settings(enable_seqscan="off", jit="off"), connection.cursor() as cursor:
        cursor.execute(
            f"SELECT case_id FROM {PG_TABLE} WHERE vector @@ ({expression}) LIMIT %s",  # noqa: S608
            [*params, limit + 1],
        )
        return [row[0] for row in cursor.fetchall()]


def matching_case_ids(query: str, *, limit: int) -> tuple[list[int] | None, int]:
    """The ids of the cases whose indexed text contains `query`, if there are at most
    `limit` of them, and how many there are (counted up to `limit` + 1). With more than
    `limit`, the ids are None: the word is common, and the caller walks the queue instead.
    (On PostgreSQL a word that its statistics show in far more cases is not counted.)
    A query with no word characters matches nothing."""
    phrases = query_phrases(query)
    if not phrases:
        return [], 0
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s LIMIT %s",  # noqa: S608
                [_sqlite_match(phrases), limit + 1],
            )
            ids: list[int] | None = [row[0] for row in cursor.fetchall()]
    else:
        ids = _pg_matching(phrases, limit)
    if ids is None or len(ids) > limit:
        return None, limit + 1
    return ids, len(ids)
