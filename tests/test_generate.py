"""The history generator of `bench/generate.py`: a small history, read back through the
models, the queue selector and the console, must be one the application could have made."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.models import Count, Max

from bench.generate import generate
from redress.accounts.models import User
from redress.cases.models import Case, CaseEvent, CloseReason, ReferenceCounter, Status
from redress.cases.selectors import QueueFilters, case_queue
from redress.common import clock
from redress.followup.models import FeedbackAnswer, FollowUp, FollowUpStatus, SurveyAnswer
from redress.lessons.models import RootCause
from redress.remedies.models import Remedy, RemedyStatus
from redress.sla.models import CaseClock

CASES = 300


@pytest.fixture
def history(db: None) -> None:
    # A month rather than two years, so that a small history still has open cases.
    generate(cases=CASES, days=30, seed=7, now=clock.now())


def test_every_case_is_written_with_its_clock_and_timeline(history: None) -> None:
    assert Case.objects.count() == CASES
    assert CaseClock.objects.count() == CASES
    assert not Case.objects.annotate(n=Count("events")).filter(n=0).exists()
    # The rows reference each other correctly (SQLite checks the foreign keys here).
    connection.check_constraints()


def test_lifecycle_moments_come_in_order(history: None) -> None:
    now = clock.now()
    for case in Case.objects.all():
        moments = [case.received_at, case.created_at, case.acknowledged_at, case.resolved_at,
                   case.closed_at]
        present = [m for m in moments if m is not None]
        assert present == sorted(present), case.reference
        assert present[-1] <= now
        assert case.updated_at >= case.created_at
        events = list(case.events.order_by("at", "id"))
        assert events[0].kind == "created" and events[0].at == case.created_at
        assert events[-1].at <= now
        # Each move starts where the one before it ended.
        moves = [e for e in events if e.kind == "transition"]
        status = Status.NEW
        for move in moves:
            assert move.from_status == status, case.reference
            status = move.to_status
        assert status == case.status, case.reference
        if case.status == Status.CLOSED:
            assert case.close_reason and case.closed_at is not None
        if case.status != Status.NEW:
            assert case.owner_id is not None
    assert Case.objects.exclude(status=Status.CLOSED).exists()  # recent cases are open
    assert Case.objects.filter(status=Status.CLOSED).count() > CASES // 2


def test_first_responses_centre_on_the_fifteen_minute_target(history: None) -> None:
    within = answered = 0
    for clock_row in CaseClock.objects.exclude(first_responded_at=None):
        answered += 1
        within += clock_row.first_responded_at - clock_row.started_at <= timedelta(minutes=15)
        if "first_response" in clock_row.breached:
            assert clock_row.first_responded_at > clock_row.first_response_due
    assert answered > CASES // 2
    # Most within the target; a tail beyond it (nights, letters, comment books).
    assert 0.5 < within / answered < 0.98


def test_every_case_closed_after_a_recovery_has_a_root_cause(history: None) -> None:
    recovered = Case.objects.filter(
        status=Status.CLOSED, close_reason__in=[CloseReason.RESOLVED, CloseReason.NO_RESPONSE]
    )
    assert recovered.exists()
    assert not recovered.filter(root_cause__isnull=True).exists()
    complete = RootCause.objects.filter(case__in=recovered).exclude(category="").exclude(
        department=None).exclude(step="").exclude(remedy_given="")
    assert complete.count() == recovered.count()
    # Duplicates and invalid complaints were no failure to learn from.
    assert not RootCause.objects.filter(
        case__close_reason__in=[CloseReason.DUPLICATE, CloseReason.INVALID]).exists()


def test_remedies_surveys_and_second_recoveries_are_there(history: None) -> None:
    executed = Remedy.objects.filter(status=RemedyStatus.EXECUTED)
    assert executed.exists()
    for remedy in executed.select_related("case"):
        assert remedy.proposed_at <= remedy.executed_at
        assert remedy.cost <= remedy.value
    answers = SurveyAnswer.objects.all()
    assert answers.exists()
    assert all(1 <= a.satisfaction <= 5 and 1 <= (a.outcome_fair or 0) <= 5 for a in answers)
    answered = FollowUp.objects.filter(status=FollowUpStatus.ANSWERED).count()
    assert answered == answers.count()
    reopened = Case.objects.filter(recovery_round__gt=1)
    assert reopened.exists()
    assert all(c.followups.count() >= 1 for c in reopened)


def test_survey_answers_say_whether_the_customer_would_come_back(history: None) -> None:
    answers = list(SurveyAnswer.objects.values_list("solved", "would_return"))
    assert answers and all(would is not None for _solved, would in answers)

    def share(solved: set[str]) -> float:
        picked = [would for s, would in answers if s in solved]
        return sum(picked) / len(picked)

    # Customers whose problem was put right come back far more often than the others.
    assert share({"yes"}) > 0.6
    assert share({"no"}) < 0.4


def test_general_survey_answers_come_from_customers_who_never_complained(
    history: None,
) -> None:
    feedback = FeedbackAnswer.objects.all()
    # About one per four cases (the last days' answers may still be to come).
    assert CASES // 6 <= feedback.count() <= CASES // 3
    assert not feedback.filter(customer__cases__isnull=False).exists()
    assert not feedback.filter(detractor=True).exists()
    assert not feedback.filter(case__isnull=False).exists()
    assert feedback.values("customer", "survey").distinct().count() == feedback.count()
    assert all(a.nps is not None or a.csat is not None for a in feedback)
    assert all(7 <= (a.nps if a.nps is not None else 7) <= 10 for a in feedback)
    assert all(3 <= (a.csat if a.csat is not None else 3) <= 5 for a in feedback)
    now = clock.now()
    assert all(a.answered_at <= now and a.answered_at >= now - timedelta(days=31)
               for a in feedback)
    # The application carries on after the generated rows (ids, on PostgreSQL sequences).
    assert FeedbackAnswer.objects.aggregate(m=Max("id"))["m"] == feedback.count()


def test_references_are_unique_and_the_counter_carries_on(history: None) -> None:
    references = list(Case.objects.values_list("reference", flat=True))
    assert len(set(references)) == CASES
    assert len(set(Case.objects.values_list("tracking_code", flat=True))) == CASES
    for counter in ReferenceCounter.objects.all():
        last = Case.objects.filter(reference__startswith=f"SR-{counter.year}-").aggregate(
            m=Max("reference"))["m"]
        assert last == f"SR-{counter.year}-{counter.last:06d}"
    # The next case the application creates continues from there, and so do event ids.
    assert CaseEvent.objects.aggregate(m=Max("id"))["m"] == CaseEvent.objects.count()


def test_the_console_queue_finds_a_generated_chinese_word(history: None) -> None:
    quality = User.objects.get(username="quality1")
    word = "头发" if Case.objects.filter(description__contains="头发").exists() else "上菜"
    expected = Case.objects.filter(description__contains=word).count()
    assert expected > 0
    found = case_queue(user=quality, filters=QueueFilters(q=word))
    assert found.count() == expected
    assert all(word in case.description for case in found[:20])


def test_the_console_shows_the_generated_cases(history: None, client) -> None:  # type: ignore[no-untyped-def]
    client.force_login(User.objects.get(username="quality1"))
    assert client.get("/console/").status_code == 200
    for case in (Case.objects.filter(status=Status.CLOSED).first(),
                 Case.objects.exclude(status=Status.CLOSED).first()):
        assert case is not None
        response = client.get(f"/console/cases/{case.reference}/")
        assert response.status_code == 200
        assert case.reference in response.content.decode()


def test_insight_rollups_agree_with_the_source_tables(history: None) -> None:
    """The dashboard's sums, rebuilt from a generated history, against the same figures
    counted straight from the cases, clocks, remedies and survey answers."""
    from decimal import Decimal

    from django.db.models import Sum

    from redress.insights import selectors
    from redress.insights.selectors import InsightFilters
    from redress.insights.services import local_day, rollups_rebuild

    now = clock.now()
    rollups_rebuild()
    filters = InsightFilters(start=local_day(now) - timedelta(days=40), end=local_day(now))
    summary = selectors.summary(filters)
    assert summary["cases"] == CASES
    assert summary["resolved"] == Case.objects.filter(resolved_at__isnull=False).count()

    target = timedelta(minutes=15)
    counted = within = 0
    for case in Case.objects.select_related("clock"):
        responded = case.clock.first_responded_at
        if responded is not None or now - case.received_at > target:
            counted += 1
            within += responded is not None and responded - case.received_at <= target
    assert summary["first_response_attainment"] == round(within / counted, 4)

    given = Remedy.objects.filter(status=RemedyStatus.EXECUTED).aggregate(v=Sum("value"))["v"]
    assert Decimal(summary["compensation_total"]) == given

    latest: dict[int, SurveyAnswer] = {}
    for answer in SurveyAnswer.objects.select_related("followup").order_by("answered_at", "id"):
        latest[answer.followup.case_id] = answer
    assert summary["surveyed"] == len(latest)
    assert summary["csat_avg"] == round(
        sum(a.satisfaction for a in latest.values()) / len(latest), 2)

    by_channel = {row["channel"]: row["n"] for row in
                  Case.objects.values("channel").annotate(n=Count("id")).order_by()}
    trend = selectors.volume_trend(filters)
    assert {s["key"]: sum(s["counts"]) for s in trend["by_channel"]} == by_channel
    causes = selectors.root_causes(filters)
    assert causes["total"] == RootCause.objects.count()


@pytest.fixture
def bulk_history(transactional_db: None) -> None:
    # As the command runs: outside a transaction, the story told in a second process and,
    # on SQLite, each batch staged in a file of its own and copied in with the bulk-load
    # settings; small batches, so that there are several.
    generate(cases=CASES, days=30, seed=7, now=clock.now(), jobs=2, batch=60)


def test_a_bulk_load_writes_the_same_kind_of_history(bulk_history: None) -> None:
    assert Case.objects.count() == CASES
    assert CaseClock.objects.count() == CASES
    assert not Case.objects.annotate(n=Count("events")).filter(n=0).exists()
    assert SurveyAnswer.objects.exists() and RootCause.objects.exists()
    assert FeedbackAnswer.objects.exists()
    assert CaseEvent.objects.aggregate(m=Max("id"))["m"] == CaseEvent.objects.count()
    connection.check_constraints()
    # The load skips the CHECK constraints (JSON_VALID on the timeline): the JSON written
    # must be valid all the same.
    for before, after in CaseEvent.objects.values_list("before", "after").iterator():
        assert isinstance(before, dict) and isinstance(after, dict)
    # The search index has the application's own words for each case.
    quality = User.objects.get(username="quality1")
    word = "头发" if Case.objects.filter(description__contains="头发").exists() else "上菜"
    expected = Case.objects.filter(description__contains=word).count()
    assert expected > 0
    assert case_queue(user=quality, filters=QueueFilters(q=word)).count() == expected
    case = Case.objects.exclude(order_ref="").first()
    assert case is not None
    assert case in case_queue(user=quality, filters=QueueFilters(q=case.order_ref))
    if connection.vendor == "sqlite":
        # The bulk-load settings are undone.
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA ignore_check_constraints")
            assert cursor.fetchone()[0] == 0
            cursor.execute("PRAGMA foreign_keys")
            assert cursor.fetchone()[0] == 1


def test_working_time_on_seconds_agrees_with_the_sla_app() -> None:
    """The generator's whole-second working-time arithmetic gives the sla app's answers."""
    import random
    from datetime import UTC, datetime, time

    from bench.generate import DAY, _micro, _WorkingClock
    from redress.sla.calendar import OFFICE_HOURS, WorkingTime, weekly_hours
    from redress.sla.services import deadline

    calendars = [
        WorkingTime(weekly=OFFICE_HOURS),
        # Open until midnight, a short Saturday, two periods on Friday, closed Sundays.
        WorkingTime(weekly=weekly_hours(
            [(d, time(8), time(0)) for d in range(4)]
            + [(4, time(9), time(12)), (4, time(13, 30), time(18)), (5, time(10), time(14))])),
        WorkingTime(weekly=OFFICE_HOURS, statutory_holidays=False),
    ]
    rng = random.Random(3)
    first = int(datetime(2024, 9, 1, tzinfo=UTC).timestamp())

    def moment(t: int) -> datetime:
        return datetime.fromtimestamp(t, UTC)

    for working in calendars:
        fast = _WorkingClock(working)
        for _ in range(600):
            start = first + rng.randrange(700 * DAY)
            for count, unit in ((15, "minutes"), (4, "hours"), (1, "days"), (3, "days")):
                expected = int(deadline(working, moment(start), count, unit).timestamp())
                assert fast.deadline(start, count, unit) == expected, (start, count, unit)
            end = start + rng.randrange(12 * DAY)
            assert fast.between(start, end) == int(
                working.working_between(moment(start), moment(end)).total_seconds())
            used = timedelta(seconds=rng.randrange(6 * DAY)) * 0.8
            assert fast.add_micro(start, _micro(used)) // 1_000_000 == int(
                working.add(moment(start), used).timestamp())
