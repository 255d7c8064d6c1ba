"""The staff queue's pages and search: keyset pages that see every case once, newest
first, and a text search that finds what `icontains` would, through the index."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from redress.cases import search, selectors
from redress.cases.models import Case
from redress.cases.search import index_cases, matching_case_ids, query_phrases, search_terms
from redress.cases.selectors import QueueFilters, case_queue, case_queue_page, text_search
from redress.cases.services import CustomerDetails, case_create
from redress.common import clock

pytestmark = pytest.mark.django_db

TEXTS = [
    "房间空调坏了，一晚上没睡好",
    "菜里有头发，服务员态度很差",
    "The refund was refused twice",
    "空调不制冷，前台说没办法",
    "Delivery arrived broken and late",
]


def _cases(department, count: int, *, start=None) -> list[Case]:
    start = start or clock.now() - timedelta(days=10)
    made = []
    for n in range(count):
        made.append(case_create(
            channel="phone", description=f"{TEXTS[n % len(TEXTS)]}（{n}号）",
            customer=CustomerDetails(name=f"顾客{n}号" if n % 2 else f"Customer {n}",
                                     phone=f"1380013{n:04d}",
                                     email=f"c{n}@example.com"),
            # Some share a second, so the id breaks the tie in the order.
            received_at=start + timedelta(minutes=n // 3), order_ref=f"ORD-{n:05d}",
        ))
    return made


def _search(supervisor, q: str) -> set[int]:
    return set(case_queue(user=supervisor, filters=QueueFilters(q=q))
               .values_list("pk", flat=True))


class TestKeysetPages:
    def test_older_links_walk_every_case_once_newest_first(self, department, supervisor):
        made = _cases(department, 23)
        cases = case_queue(user=supervisor, filters=QueueFilters())
        seen: list[int] = []
        page = case_queue_page(cases, size=5)
        assert page.newer == "" and page.total == 23 and not page.total_capped
        while True:
            seen += [c.pk for c in page.cases]
            if not page.older:
                break
            page = case_queue_page(cases, older_than=page.older, size=5)
        expected = [c.pk for c in sorted(made, key=lambda c: (c.received_at, c.pk),
                                         reverse=True)]
        assert seen == expected

    def test_newer_goes_back_to_the_page_before(self, department, supervisor):
        _cases(department, 12)
        cases = case_queue(user=supervisor, filters=QueueFilters())
        first = case_queue_page(cases, size=5)
        second = case_queue_page(cases, older_than=first.older, size=5)
        back = case_queue_page(cases, newer_than=second.newer, size=5)
        assert [c.pk for c in back.cases] == [c.pk for c in first.cases]
        assert back.newer == ""  # it is the first page again

    @pytest.mark.parametrize("cursor", ["", "garbage", "12-", "-5", "9" * 40 + "-1",
                                        "1-99999999999999999999999"])
    def test_a_bad_cursor_shows_the_first_page(self, department, supervisor, cursor):
        _cases(department, 3)
        cases = case_queue(user=supervisor, filters=QueueFilters())
        page = case_queue_page(cases, older_than=cursor, size=5)
        assert len(page.cases) == 3

    def test_the_count_stops_at_its_cap(self, department, supervisor, monkeypatch):
        monkeypatch.setattr(selectors, "QUEUE_COUNT_CAP", 4)
        _cases(department, 6)
        page = case_queue_page(case_queue(user=supervisor, filters=QueueFilters()), size=2)
        assert (page.total, page.total_capped) == (4, True)


class TestTextSearch:
    def test_terms_are_chinese_pairs_and_english_words(self):
        assert search_terms("空调坏了!", "Refund NOW") == "空调 调坏 坏了 refund now"
        assert query_phrases("空调坏了 refund") == [["空调", "调坏", "坏了"], ["refund"]]
        assert query_phrases("!!! ***") == []

    @pytest.mark.parametrize("query", ["空调", "空调坏了", "头发", "态度很差", "refund",
                                       "REFUSED", "broken and", "顾客3号", "顾", "13800130007",
                                       "c4@example.com"])
    def test_it_finds_what_icontains_finds(self, department, supervisor, query):
        made = _cases(department, 10)
        expected = {
            c.pk for c in made
            if any(query.casefold() in text.casefold() for text in (
                c.description, c.customer.name, c.customer.phone, c.customer.email))
        }
        assert expected  # every query here is in some case
        assert _search(supervisor, query) == expected

    def test_english_words_also_find_longer_words(self, department, supervisor):
        made = _cases(department, 5)
        assert _search(supervisor, "refu") == {made[2].pk}

    def test_references_are_found_exactly(self, department, supervisor):
        made = _cases(department, 4)
        assert _search(supervisor, made[1].reference.lower()) == {made[1].pk}
        assert _search(supervisor, "ORD-00003") == {made[3].pk}

    def test_nothing_or_only_punctuation_finds_nothing(self, department, supervisor):
        _cases(department, 4)
        assert _search(supervisor, "退款") == set()
        assert _search(supervisor, "%%%") == set()

    def test_a_broad_search_walks_and_finds_the_same(self, department, supervisor,
                                                     monkeypatch):
        made = _cases(department, 15)
        narrow = _search(supervisor, "空调")
        refused = _search(supervisor, "REFUSED")
        monkeypatch.setattr(selectors, "SEARCH_ID_LIMIT", 2)
        assert text_search("空调").broad and not text_search("c7@example.com").broad
        assert _search(supervisor, "空调") == narrow
        assert narrow == {c.pk for c in made if "空调" in c.description}
        # Words with case are still found whatever their case when walking.
        assert text_search("REFUSED").broad and _search(supervisor, "REFUSED") == refused
        assert refused == {c.pk for c in made if "refused" in c.description}
        search = text_search("空调")
        page = case_queue_page(case_queue(user=supervisor, filters=QueueFilters(q="空调"),
                                          search=search), size=50, search=search)
        assert page.total is None and {c.pk for c in page.cases} == narrow


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's search index")
class TestPostgresSearchIndex:
    def test_the_index_is_of_the_stored_vector(self):
        with connection.cursor() as cursor:
            cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = %s "
                           "AND indexdef ILIKE %s", [search.PG_TABLE, "%USING gin%"])
            definitions = [row[0] for row in cursor.fetchall()]
        assert len(definitions) == 1 and definitions[0].endswith("USING gin (vector)")

    def test_a_case_indexed_again_is_found_by_its_new_words_only(self, department,
                                                                 supervisor):
        made = _cases(department, 10)
        case = made[2]  # "The refund was refused twice"
        index_cases([(case.pk, search_terms("菜里有头发 the soup was cold", "ORD-99"))])
        assert case.pk not in _search(supervisor, "refused")
        assert case.pk in _search(supervisor, "里有头")
        assert case.pk in _search(supervisor, "soup") and case.pk in _search(supervisor, "cold")
        # The other cases are found as before, as icontains finds them.
        assert _search(supervisor, "头发") == {c.pk for c in made if "头发" in c.description
                                              } | {case.pk}

    def test_a_word_its_statistics_show_in_many_cases_is_not_counted(self, department):
        made = _cases(department, 40)
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {search.PG_TABLE}")
        with CaptureQueriesContext(connection) as captured:
            ids, count = matching_case_ids("空调", limit=3)
        assert (ids, count) == (None, 4)
        assert not any(q["sql"].startswith("SELECT case_id") for q in captured.captured_queries)
        # A word the statistics do not know is counted, and so are several words.
        assert matching_case_ids("13800130007", limit=3) == ([made[7].pk], 1)
        ids, count = matching_case_ids("空调 前台", limit=30)
        assert ids is not None and set(ids) == {
            c.pk for c in made if "空调" in c.description and "前台" in c.description}

    def test_a_listed_search_passes_its_matches_as_one_array(self, department, supervisor):
        """A search in fewer cases than SEARCH_ID_LIMIT is a list of ids: one array
        parameter, read by id and sorted rather than along the received-at index, and
        the page's rows are read by their own ids, not under the search again."""
        made = _cases(department, 30)
        search_ = text_search("空调")
        assert not search_.broad
        cases = case_queue(user=supervisor, filters=QueueFilters(q="空调"), search=search_)
        with CaptureQueriesContext(connection) as captured:
            page = case_queue_page(cases, size=5, search=search_)
        matches = sorted((c for c in made if "空调" in c.description),
                         key=lambda c: (c.received_at, c.pk), reverse=True)
        assert [c.pk for c in page.cases] == [c.pk for c in matches[:5]]
        assert page.total == len(matches)
        statements = [q["sql"] for q in captured.captured_queries]
        keys = next(s for s in statements if s.startswith('SELECT "cases_case"."id" AS "pk"'))
        assert '"cases_case"."id" = ANY(' in keys
        assert any("enable_indexscan" in s for s in statements)
        rows = next(s for s in statements if '"cases_case"."description"' in s)
        assert "ANY(" not in rows
