"""Reads of cases: who may see what, the queue, one case with its timeline."""

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db import connection
from django.db.models import F, Lookup, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from redress.accounts.models import User
from redress.cases.models import Case, CaseEvent
from redress.cases.search import matching_case_ids, pg_plan_settings
from redress.common.errors import NotFound

SEARCH_ID_LIMIT = 1_000  # matches beyond this: walk the queue instead of listing ids
QUEUE_COUNT_CAP = 10_000  # beyond this the queue says "more than 10000" instead of counting


def case_visible_to(user: User, case: Case) -> bool:
    """Quality managers and administrators see every case; everyone else sees their own
    department's cases and the ones they own."""
    if not user.is_active:
        return False
    if user.sees_all_departments:
        return True
    return (
        (case.department_id is not None and case.department_id == user.department_id)
        or case.owner_id == user.pk
    )


def case_actionable_by(user: User, case: Case) -> bool:
    """Who may move a case: anyone who sees it while nobody owns it (the first to answer
    becomes owner), then its owner, or a supervisor or above."""
    if not case_visible_to(user, case):
        return False
    return case.owner_id is None or case.owner_id == user.pk or user.is_supervisor_or_above


def cases_visible_to(user: User) -> QuerySet[Case]:
    cases = Case.objects.all()
    if user.sees_all_departments:
        return cases
    return cases.filter(Q(department_id=user.department_id) | Q(owner_id=user.pk))


@dataclass(frozen=True)
class QueueFilters:
    status: str = ""
    priority: str = ""
    channel: str = ""
    owner: str = ""  # a username, "me", or "none" for unowned cases
    department: int | None = None
    q: str = ""


@dataclass(frozen=True)
class TextSearch:
    """A queue search: its condition, and whether its words are in so many cases
    (more than SEARCH_ID_LIMIT) that the queue walks newest first instead of counting."""

    condition: Q
    broad: bool


def case_queue(*, user: User, filters: QueueFilters,
               search: TextSearch | None = None) -> QuerySet[Case]:
    """The staff queue: the cases `user` may see, narrowed by the filters, newest first.

    The text search matches the reference, the customer's name, phone or e-mail, and any
    words (Chinese or English) in the complaint.
    """
    cases = cases_visible_to(user).select_related("customer", "owner", "department")
    if filters.status:
        cases = cases.filter(status=filters.status)
    if filters.priority:
        cases = cases.filter(priority=filters.priority)
    if filters.channel:
        cases = cases.filter(channel=filters.channel)
    if filters.owner == "me":
        cases = cases.filter(owner_id=user.pk)
    elif filters.owner == "none":
        cases = cases.filter(owner__isnull=True)
    elif filters.owner:
        cases = cases.filter(owner__username=filters.owner)
    if filters.department:
        cases = cases.filter(department_id=filters.department)
    query = filters.q.strip()
    if query:
        cases = cases.filter((search or text_search(query)).condition)
    return cases.order_by("-received_at", "-id")


def text_search(query: str) -> TextSearch:
    """The reference or order reference exactly, or the words anywhere in the complaint
    or in the customer's name, phone or e-mail (see `redress.cases.search`). When the
    words are in very many cases, the queue walks newest first and stops at a page of
    them (`icontains` on the complaint), which is quick exactly because they are common."""
    query = query.strip()
    exact = Q(reference=query.upper()) | Q(order_ref=query)
    ids, _count = matching_case_ids(query, limit=SEARCH_ID_LIMIT)
    if ids is None:
        # Words without upper or lower case (Chinese, numbers) are found the same whether
        # case is folded or not, and folding it is most of the walk's cost on PostgreSQL
        # (UPPER() of each complaint read, 1 µs of 1.3 a row of Chinese). On SQLite both
        # are the same LIKE.
        uncased = query.upper() == query == query.lower()
        found = Q(description__contains=query) if uncased else Q(description__icontains=query)
        return TextSearch(exact | found, broad=True)
    return TextSearch(exact | _case_among(ids), broad=False)


def _case_among(ids: list[int]) -> Q:
    """The cases with these ids. On PostgreSQL as one array (`id = ANY(%s)`): given as
    many literals as ids (up to SEARCH_ID_LIMIT), the planner took 2–3 ms more over them
    in each statement that carries the search (100,000 cases, a word in 846: 2.2–2.7 ms
    to plan the page's ids or its count, against 0.9 with the array)."""
    if connection.vendor != "postgresql":
        return Q(pk__in=ids)
    return Q(_AmongArray(F("pk"), ids))


class _AmongArray(Lookup):
    """`column = ANY(%s)`, the list passed as one array (used directly, not registered
    on a field)."""

    prepare_rhs = False

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, list[Any]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s)", [*lhs_params, list(self.rhs)]




@dataclass(frozen=True)
class QueuePage:
    """One page of a queue, newest first, and the cursors to the pages beside it."""

    cases: list[Case]
    newer: str  # cursor for the page before (newer cases), "" on the first page
    older: str  # cursor for the page after (older cases), "" on the last page
    total: int | None  # cases in the queue, counted up to QUEUE_COUNT_CAP; None: not counted
    total_capped: bool


def queue_cursor(case: Case) -> str:
    """The cursor of a queue page that starts just after (or before) this case."""
    return f"{int(case.received_at.timestamp() * 1_000_000)}-{case.pk}"


def _parse_cursor(cursor: str) -> tuple[datetime, int] | None:
    """(received_at, id) from a cursor; None for anything else (the first page)."""
    stamp, _dash, pk = (cursor or "").partition("-")
    if not (stamp.isdigit() and pk.isdigit()) or len(stamp) > 20 or len(pk) > 20:
        return None
    try:
        return datetime.fromtimestamp(int(stamp) / 1_000_000, tz=UTC), int(pk)
    except (OverflowError, OSError, ValueError):
        return None


def _page_keys(ordered: QuerySet[Case, int], search: TextSearch | None) -> list[int]:
    """The ids of `ordered` (a queue's ids in page order, sliced to a page), read the way
    the search calls for on PostgreSQL, whose statistics cannot tell it:

    - a broad search's matches are common, so reading the received-at index in order
      finds a page at once; from its statistics of a `%word%` pattern PostgreSQL would
      read the whole table and sort it (a second at a million cases). Nor is the walk
      shared among parallel workers or compiled (JIT), as its cost estimate would have
      it: starting two workers takes 8 ms and compiling 20, the walk itself 1–10 ms;
    - a listed search's matches (at most SEARCH_ID_LIMIT ids) are read by id and sorted.
      Expecting them spread evenly over time, PostgreSQL would walk the received-at index
      instead, through every case newer than they are: 30 ms for a phrase in 900 of
      100,000 cases, most of them old, against 4."""
    if search is None or connection.vendor != "postgresql":
        return list(ordered)
    if search.broad:
        plan = {"enable_seqscan": "off", "max_parallel_workers_per_gather": "0", "jit": "off"}
    else:
        plan = {"enable_indexscan": "off", "enable_indexonlyscan": "off"}
    with pg_plan_settings(**plan):
        return list(ordered)


def case_queue_page(cases: QuerySet[Case], *, older_than: str = "", newer_than: str = "",
                    size: int = 50, search: TextSearch | None = None) -> QueuePage:
    """A page of `cases` (a queue, newest first) by keyset: the cases just older than the
    cursor `older_than`, or just newer than `newer_than`, or the newest.

    A deep page costs what the first does (no OFFSET over the cases skipped), and the page
    is chosen on ids alone before the page's rows are joined to their customers, owners
    and clocks, so the database walks the received-at index instead of sorting a join.
    `search` is the search that narrowed `cases`, if any: a broad one (whose matches only
    a full read could count) leaves the total out."""
    keys = cases.order_by()
    after, before = _parse_cursor(newer_than), _parse_cursor(older_than)
    if after is not None:
        at, pk = after
        # The plain bound first, so the database reads a range of its received-at index.
        keys = keys.filter(received_at__gte=at).filter(Q(received_at__gt=at) | Q(pk__gt=pk))
        picked = _page_keys(
            keys.order_by("received_at", "id").values_list("pk", flat=True)[:size + 1],
            search)
        more_newer, picked = len(picked) > size, picked[:size]
        picked.reverse()
        more_older = True
    else:
        if before is not None:
            at, pk = before
            keys = keys.filter(received_at__lte=at).filter(
                Q(received_at__lt=at) | Q(pk__lt=pk))
        picked = _page_keys(
            keys.order_by("-received_at", "-id").values_list("pk", flat=True)[:size + 1],
            search)
        more_older, picked = len(picked) > size, picked[:size]
        more_newer = before is not None
    # The page's rows by their ids alone, joined as the queue joins them: the ids were
    # picked under the queue's conditions, and repeating them (a search's thousand ids
    # among them) cost more than reading the rows.
    rows_query = cases.model._default_manager.filter(pk__in=picked)
    rows_query.query.select_related = cases.query.select_related
    by_id = {case.pk: case for case in rows_query}
    rows = [by_id[pk] for pk in picked if pk in by_id]
    total = (None if search and search.broad
             else cases.order_by().values("pk")[:QUEUE_COUNT_CAP + 1].count())
    return QueuePage(
        cases=rows,
        newer=queue_cursor(rows[0]) if rows and more_newer else "",
        older=queue_cursor(rows[-1]) if rows and more_older else "",
        total=None if total is None else min(total, QUEUE_COUNT_CAP),
        total_capped=total is not None and total > QUEUE_COUNT_CAP,
    )


def case_get_for(*, user: User, reference: str) -> Case:
    """The case with this reference if `user` may see it; `NotFound` otherwise, so a
    reference outside one's departments reveals nothing."""
    # The organisation too: the case page's sections ask for its name and time zone.
    case = (
        Case.objects.select_related("customer", "owner", "department__organisation",
                                    "created_by")
        .filter(reference=reference).first()
    )
    if case is None or not case_visible_to(user, case):
        raise NotFound(_("No case %(reference)s.") % {"reference": reference})
    return case


def case_timeline(*, case: Case, for_customer: bool = False) -> QuerySet[CaseEvent]:
    events = case.events.select_related("actor").order_by("at", "id")
    if for_customer:
        events = events.filter(visible_to_customer=True)
    return events


def case_by_tracking_code(*, tracking_code: str) -> Case:
    """The customer's own case. An unknown code is `NotFound`, whatever it looks like."""
    case = (
        Case.objects.select_related("customer")
        .filter(tracking_code=tracking_code).first()
        if tracking_code and len(tracking_code) <= 64 else None
    )
    if case is None:
        raise NotFound(_("We could not find a complaint with this tracking code."))
    return case
