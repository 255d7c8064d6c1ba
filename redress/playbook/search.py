"""Full-text search over the standard answers, in Chinese and English, on SQLite and
PostgreSQL.

Neither database splits Chinese into words, so Python does: jieba segments the text (in
search mode, so 合作伙伴 is also found as 合作 and 伙伴), English words are lower-cased, and
the words are stored space-separated in the article's `search_title` and `search_text`.
The database then ranks on those words:

- SQLite: an FTS5 table (`playbook_article_fts`, rowid = article id) ranked by bm25(),
  written by `index_article` / `unindex_article`, which the services call on every save.
- PostgreSQL: `to_tsvector('simple', …)` of the two columns, title weighted A, body B,
  under a GIN expression index, ranked by ts_rank(); the index follows the columns.

Queries go through the same segmentation and keep only word characters, so nothing a
visitor types reaches the FTS5 or tsquery syntax.
"""

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import jieba
from django.db import DatabaseError, connection

jieba.setLogLevel(logging.WARNING)

FTS_TABLE = "playbook_article_fts"
# The title says what an answer is about: a word in it counts for more than one in the body.
TITLE_WEIGHT = 4.0
BODY_WEIGHT = 1.0
# A long complaint used as a query: enough words to find its subject, not the whole text.
MAX_QUERY_TERMS = 48

_WORD = re.compile(r"\w+")
_COMPOUND = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:[-'’][A-Za-z0-9]+)+")
# Words that carry no subject; left out of queries so that "的" does not match everything.
_STOPWORDS_ZH = (
    "的 了 是 我 你 他 她 它 们 我们 你们 他们 在 和 与 及 就 都 也 还 很 吗 呢 吧 啊 呀 哦 嗯 "
    "这 那 这个 那个 有 没 没有 不 一个 一 个 把 被 让 给 对 从 到 为 为什么 什么 怎么 怎么办 "
    "如何 请问 可以 能 能否 会 要 想 请 您 "
    # Question words: "多久" in a query should not rank "投诉处理需要多久" first.
    "多久 多少 什么时候 时候 哪里 哪儿 怎样 怎么样 是否 需要 一下"
)
_STOPWORDS_EN = (
    "a an the is are was were be been am i you he she it we they my your our their me us "
    "to of in on at for and or but not no do does did can could would should will how what "
    "why when where which who this that these those with as by from if so please"
)
STOPWORDS = frozenset(_STOPWORDS_ZH.split() + _STOPWORDS_EN.split())


def words(text: str) -> list[str]:
    """The searchable words of `text`: jieba's segmentation in search mode, lower-cased,
    punctuation and spaces dropped; a hyphenated word also whole (Wi-Fi: wi, fi, wifi)."""
    result: list[str] = []
    for token in jieba.cut_for_search(text or ""):
        result.extend(part.lower() for part in _WORD.findall(token))
    result.extend(
        re.sub(r"[-'’]", "", compound).lower() for compound in _COMPOUND.findall(text or "")
    )
    return result


def segmented(text: str) -> str:
    """`text` as the space-separated words the index stores."""
    return " ".join(words(text))


def query_terms(query: str) -> list[str]:
    """The distinct words of a query worth looking for, in order."""
    seen: dict[str, None] = {}
    for word in words(query):
        if word not in STOPWORDS:
            seen.setdefault(word, None)
    return list(seen)[:MAX_QUERY_TERMS]


@dataclass(frozen=True)
class Filters:
    """Which articles a search may return."""

    public_only: bool = False
    language: str = ""
    organisation_id: int | None = None
    any_organisation: bool = False  # staff search across organisations (admin, quality)
    exclude_ids: tuple[int, ...] = ()


Param = bool | int | str | float


def _where(filters: Filters, alias: str) -> tuple[list[str], list[Param]]:
    clauses: list[str] = [f"{alias}.published = %s"]
    params: list[Param] = [True]
    if filters.public_only:
        clauses.append(f"{alias}.public = %s")
        params.append(True)
    if filters.language:
        clauses.append(f"{alias}.language = %s")
        params.append(filters.language)
    if not filters.any_organisation:
        if filters.organisation_id is None:
            clauses.append(f"{alias}.organisation_id IS NULL")
        else:
            clauses.append(f"({alias}.organisation_id = %s OR {alias}.organisation_id IS NULL)")
            params.append(filters.organisation_id)
    if filters.exclude_ids:
        clauses.append(f"{alias}.id NOT IN ({', '.join(['%s'] * len(filters.exclude_ids))})")
        params.extend(filters.exclude_ids)
    return clauses, params


@cache
def fts5_available() -> bool:
    """Whether this SQLite was built with FTS5 (Python's own builds are; some distributions'
    are not). Without it the migration creates no FTS table and `ranked_ids` scores in
    Python instead: correct, slower, fine for the few hundred answers of one site."""
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT sqlite_compileoption_used('ENABLE_FTS5')")
        compiled = bool(cursor.fetchone()[0])
    if compiled:
        return True
    try:  # some builds load FTS5 as a built-in extension without the compile option
        with connection.cursor() as cursor:
            cursor.execute("CREATE VIRTUAL TABLE temp.redress_fts5_probe USING fts5(x)")
            cursor.execute("DROP TABLE temp.redress_fts5_probe")
    except DatabaseError:
        return False
    return True


def _fts_table_exists() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = %s", [FTS_TABLE]
        )
        return cursor.fetchone() is not None


def index_article(article_id: int, title: str, body: str) -> None:
    """Put an article's segmented words in the SQLite FTS5 table (PostgreSQL's expression
    index follows the columns by itself). Call inside the transaction that saves it."""
    if connection.vendor != "sqlite" or not fts5_available():
        return
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [article_id])  # noqa: S608
        cursor.execute(
            f"INSERT INTO {FTS_TABLE} (rowid, title, body) VALUES (%s, %s, %s)",  # noqa: S608
            [article_id, title, body],
        )


def unindex_article(article_id: int) -> None:
    if connection.vendor != "sqlite" or not fts5_available():
        return
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [article_id])  # noqa: S608


def ranked_ids(query: str, filters: Filters, limit: int) -> list[int]:
    """The ids of the articles that match `query` best first; [] when nothing matches or
    the query has no word worth looking for."""
    terms = query_terms(query)
    if not terms or limit <= 0:
        return []
    if connection.vendor == "postgresql":
        return _postgresql(terms, filters, limit)
    if connection.vendor == "sqlite" and fts5_available() and _fts_table_exists():
        return _sqlite_fts5(terms, filters, limit)
    return _python(terms, filters, limit)


def _sqlite_fts5(terms: list[str], filters: Filters, limit: int) -> list[int]:
    # Each term is quoted, so FTS5 reads it as a plain string whatever it contains (terms
    # hold word characters only anyway); OR, so that a question phrased differently from
    # the article still finds it, bm25 putting the articles with more and rarer terms first.
    match = " OR ".join(f'"{term}"' for term in terms)
    clauses, params = _where(filters, "a")
    sql = (
        f"SELECT a.id FROM {FTS_TABLE} JOIN playbook_article a ON a.id = {FTS_TABLE}.rowid "  # noqa: S608
        f"WHERE {FTS_TABLE} MATCH %s AND {' AND '.join(clauses)} "
        f"ORDER BY bm25({FTS_TABLE}, %s, %s), a.updated_at DESC, a.id DESC LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [match, *params, TITLE_WEIGHT, BODY_WEIGHT, limit])
        return [row[0] for row in cursor.fetchall()]


# The same expression as the GIN index of migration 0002, so PostgreSQL can use the index.
PG_VECTOR = (
    "(setweight(to_tsvector('simple', {a}.search_title), 'A') || "
    "setweight(to_tsvector('simple', {a}.search_text), 'B'))"
)


def _postgresql(terms: list[str], filters: Filters, limit: int) -> list[int]:
    # tsquery syntax: each term in single quotes; terms hold word characters only.
    tsquery = " | ".join(f"'{term}'" for term in terms)
    vector = PG_VECTOR.format(a="a")
    clauses, params = _where(filters, "a")
    sql = (
        f"SELECT a.id FROM playbook_article a, to_tsquery('simple', %s) q "  # noqa: S608
        f"WHERE {vector} @@ q AND {' AND '.join(clauses)} "
        # Weights D, C, B, A (at most 1 each): a title word counts four times a body word,
        # as on SQLite.
        f"ORDER BY ts_rank('{{0, 0, {BODY_WEIGHT / TITLE_WEIGHT}, 1}}', {vector}, q) DESC, "
        f"a.updated_at DESC, a.id DESC LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [tsquery, *params, limit])
        return [row[0] for row in cursor.fetchall()]


def _python(terms: list[str], filters: Filters, limit: int) -> list[int]:
    """Ranking without a full-text engine (SQLite without FTS5): term frequency weighted
    like the engines' (title above body), rarer terms counting more."""
    clauses, params = _where(filters, "a")
    sql = (
        "SELECT a.id, a.search_title, a.search_text, a.updated_at FROM playbook_article a "  # noqa: S608
        f"WHERE {' AND '.join(clauses)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = [(r[0], r[1].split(), r[2].split(), r[3]) for r in cursor.fetchall()]
    return python_rank(terms, rows, limit)


def python_rank(
    terms: list[str], rows: Iterable[tuple[int, list[str], list[str], object]], limit: int
) -> list[int]:
    rows = list(rows)
    documents = len(rows) or 1
    frequency = {t: sum(1 for r in rows if t in r[1] or t in r[2]) for t in terms}
    scored = []
    for article_id, title, body, updated in rows:
        score = 0.0
        for term in terms:
            if frequency[term]:
                rarity = 1.0 + documents / frequency[term]
                hits = TITLE_WEIGHT * title.count(term) + BODY_WEIGHT * body.count(term)
                score += rarity * hits
        if score > 0:
            scored.append((score, str(updated), article_id))
    scored.sort(reverse=True)
    return [article_id for _score, _updated, article_id in scored[:limit]]
