"""Each figure of the panels on the hand-made history of conftest.py, worked out by hand."""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
import time_machine

from redress.accounts.models import Department, User
from redress.cases.models import Case
from redress.common.errors import Invalid
from redress.insights import selectors
from redress.insights.models import DailyRollup, MonthlyRollup, PersonDaily, StaleDay
from redress.insights.selectors import InsightFilters, band_median
from redress.insights.services import rollup_refresh_days, rollups_rebuild

from .conftest import NOW, local

MARCH_2 = date(2026, 3, 2)
MARCH_3 = date(2026, 3, 3)

pytestmark = pytest.mark.django_db


@pytest.fixture
def refreshed(march: dict[str, Case]) -> dict[str, Case]:
    with time_machine.travel(NOW, tick=False):
        rollup_refresh_days([MARCH_2, MARCH_3])
    return march


def period(start: date, end: date, **extra: object) -> InsightFilters:
    return InsightFilters(start=start, end=end, **extra)  # type: ignore[arg-type]


def test_summary_of_one_day(refreshed: dict[str, Case]) -> None:
    figures = selectors.summary(period(MARCH_2, MARCH_2))
    assert figures["cases"] == 2
    assert figures["complaints"] == 2
    # A answered in 10 minutes, B in 40: one of two within 15.
    assert figures["first_response_attainment"] == 0.5
    # Bands: A in (5, 10], B in (30, 60]; the middle (1 of 2) is the top of A's band.
    assert figures["median_first_response_minutes"] == 10.0
    # A took 4 h (band (2, 4]), B 48 h (band (24, 48]).
    assert figures["median_resolution_hours"] == 4.0
    assert figures["resolved"] == 2
    assert figures["reopen_rate"] == 0.5  # B of A and B
    assert figures["second_recovery_rate"] == 0.5  # B's survey reopened it
    assert figures["csat_avg"] == 4.5  # latest answers: 5 and 4
    assert figures["compensation_total"] == "300.00"  # carried out: 200 + 100
    # Remedy cost 120 + 100, plus one staff action of 6 minutes at 60 yuan an hour, over 2.
    assert figures["cost_per_case"] == "113.00"


def test_summary_across_local_midnight(refreshed: dict[str, Case]) -> None:
    both = selectors.summary(period(MARCH_2, MARCH_3))
    assert both["cases"] == 3
    assert both["first_response_attainment"] == pytest.approx(1 / 3, abs=1e-4)
    assert both["cost_per_case"] == "75.33"  # 226 / 3
    # C came in at 16:10 UTC on 2 March: 00:10 on 3 March in Shanghai, so it is 3 March's.
    third = selectors.summary(period(MARCH_3, MARCH_3))
    assert third["cases"] == 1
    assert third["first_response_attainment"] == 0.0
    assert third["csat_avg"] is None and third["median_resolution_hours"] is None


def test_an_empty_period_is_no_data_not_zero(refreshed: dict[str, Case]) -> None:
    empty = period(date(2025, 1, 1), date(2025, 1, 31))
    figures = selectors.summary(empty)
    assert figures["cases"] == 0
    assert figures["first_response_attainment"] is None
    assert figures["csat_avg"] is None
    assert figures["cost_per_case"] is None
    assert selectors.root_causes(empty) == {"total": 0, "pareto": [], "responsible": []}
    assert all(g["csat_avg"] is None for g in selectors.outcomes(empty)["groups"])
    assert selectors.roi(empty)["retained_revenue"] is None


def test_first_response_bands_and_sla_per_priority(refreshed: dict[str, Case]) -> None:
    panel = selectors.first_response(period(MARCH_2, MARCH_3))
    assert panel["target_minutes"] == 15
    counts = {band["upper_minutes"]: band["cases"] for band in panel["bands"] if band["cases"]}
    assert counts == {10: 1, 60: 1}  # A in (5, 10], B in (30, 60]
    sla = {row["priority"]: row for row in panel["sla"]}
    assert (sla["P2"]["first_response_due"], sla["P2"]["first_response_met"]) == (1, 1)
    assert sla["P2"]["resolution_attainment"] == 1.0
    # B missed both; C has passed both deadlines with no answer.
    assert (sla["P3"]["first_response_due"], sla["P3"]["first_response_met"]) == (2, 0)
    assert (sla["P3"]["resolution_due"], sla["P3"]["resolution_met"]) == (2, 0)
    assert sla["P1"]["first_response_attainment"] is None


def test_satisfaction_and_fairness(refreshed: dict[str, Case]) -> None:
    panel = selectors.satisfaction(period(MARCH_2, MARCH_2))
    assert panel["surveyed"] == 2
    assert {f["key"]: f["avg"] for f in panel["fairness"]} == {
        "outcome_fair": 5.0, "process_fair": 4.0, "interaction_fair": 5.0}
    assert panel["recommend_avg"] == 8.0
    assert panel["nps"] == 50.0  # one promoter (9), one passive (7), of two
    assert panel["solved"] == {"yes": 1, "partly": 1, "no": 0}


def test_outcomes_paradox_and_roi(refreshed: dict[str, Case]) -> None:
    march2 = period(MARCH_2, MARCH_2)
    groups = {g["key"]: g for g in selectors.outcomes(march2)["groups"]}
    assert (groups["quick"]["answers"], groups["quick"]["csat_avg"],
            groups["quick"]["recommend_avg"], groups["quick"]["return_rate"]) == (1, 5.0, 9.0, 1.0)
    assert (groups["slow"]["answers"], groups["slow"]["csat_avg"]) == (1, 4.0)
    assert groups["unresolved"]["answers"] == 0

    paradox = {g["key"]: g for g in selectors.paradox(march2)["groups"]}
    # The never-complained customer's 4; A's customer (who complained) is not a baseline.
    assert (paradox["no_failure"]["answers"], paradox["no_failure"]["csat_avg"]) == (1, 4.0)
    # Put right after one failure: A (B's first answer was "not solved").
    assert (paradox["one_failure"]["answers"], paradox["one_failure"]["csat_avg"]) == (1, 5.0)
    assert (paradox["two_failures"]["answers"], paradox["two_failures"]["csat_avg"]) == (1, 4.0)

    roi = selectors.roi(march2)
    assert roi["return_rate"] == 1.0  # both resolved, surveyed customers would come back
    assert roi["customers_retained"] == 2.0
    assert roi["retained_revenue"] == "6000.00"  # 2 × 3000
    assert roi["recovery_cost"] == "226.00"
    assert roi["return_on_cost"] == 25.55  # (6000 − 226) / 226
    assert (roi["complaints"], roi["silent_customers"]) == (2, 50)
    assert "25" in roi["silent_source"]


def test_root_causes_emotions_and_trend(refreshed: dict[str, Case],
                                        other_department: Department) -> None:
    both = period(MARCH_2, MARCH_3)
    causes = selectors.root_causes(both)
    assert causes["pareto"] == [{"key": "process", "label": causes["pareto"][0]["label"],
                                 "cases": 1, "cumulative_share": 1.0}]
    assert causes["responsible"][0]["department_id"] == other_department.pk
    emotions = {i["key"]: i["cases"] for i in selectors.emotion_mix(both)["items"]}
    assert emotions == {"angry": 1, "anxious": 1, "unread": 1}
    trend = selectors.volume_trend(both)
    assert trend["granularity"] == "day"
    assert trend["buckets"] == ["2026-03-02", "2026-03-03"]
    assert {s["key"]: s["counts"] for s in trend["by_channel"]} == {
        "phone": [1, 0], "web": [1, 0], "wechat": [0, 1]}


def test_people(refreshed: dict[str, Case], agent: User) -> None:
    panel = selectors.people(period(MARCH_2, MARCH_3))
    (row,) = panel["agents"]
    assert row["user_id"] == agent.pk
    assert row["cases"] == 2
    assert row["first_response_attainment"] == 0.5
    assert row["mean_resolution_hours"] == 26.0  # (4 + 48) / 2
    assert row["reopen_rate"] == 0.5
    assert row["csat_avg"] == 4.5
    assert (row["compensation"], row["remedies"], row["over_authority"]) == ("300.00", 2, 1)


def test_filters_narrow_the_figures(refreshed: dict[str, Case],
                                    other_department: Department) -> None:
    both = (MARCH_2, MARCH_3)
    assert selectors.summary(period(*both, channel="web"))["cases"] == 1
    assert selectors.summary(period(*both, location="南京路店"))["cases"] == 2
    assert selectors.summary(period(*both, scenario="human_error"))["cases"] == 1
    assert selectors.summary(period(*both, department=other_department.pk))["cases"] == 1
    assert selectors.summary(period(*both, channel="letter"))["cases"] == 0


def test_what_each_role_sees(refreshed: dict[str, Case], supervisor: User, quality: User,
                             agent: User, other_department: Department) -> None:
    own = selectors.insight_filters(user=supervisor, start=MARCH_2, end=MARCH_3)
    assert selectors.summary(own)["cases"] == 2  # C is the other department's
    with pytest.raises(Invalid):
        selectors.insight_filters(user=supervisor, start=MARCH_2, end=MARCH_3,
                                  department=other_department.pk)
    everything = selectors.insight_filters(user=quality, start=MARCH_2, end=MARCH_3)
    assert selectors.summary(everything)["cases"] == 3
    assert not selectors.insights_visible_to(agent)
    assert not selectors.people_visible_to(agent)
    assert selectors.people_visible_to(supervisor) and selectors.people_visible_to(quality)


@pytest.mark.parametrize(("start", "end", "field"), [
    (date(2026, 3, 5), date(2026, 3, 1), "from"),
    (date(2016, 1, 1), date(2026, 3, 1), "from"),
])
def test_bad_periods_are_refused(quality: User, start: date, end: date, field: str) -> None:
    with pytest.raises(Invalid) as refused:
        selectors.insight_filters(user=quality, start=start, end=end)
    assert refused.value.field == field


def test_bad_channel_is_refused(quality: User) -> None:
    with pytest.raises(Invalid) as refused:
        selectors.insight_filters(user=quality, channel="pigeon")
    assert refused.value.field == "channel"


def test_whole_months_come_from_the_monthly_rollup(refreshed: dict[str, Case]) -> None:
    assert MonthlyRollup.objects.filter(day=date(2026, 3, 1)).exists()
    # 1–31 March reads the month's rows; 2–30 March only daily rows: the same cases.
    whole = selectors.summary(period(date(2026, 3, 1), date(2026, 3, 31)))
    days = selectors.summary(period(date(2026, 3, 2), date(2026, 3, 30)))
    assert {k: v for k, v in whole.items() if k not in ("from", "to")} == {
        k: v for k, v in days.items() if k not in ("from", "to")}
    # A month's row is the sum of its days' rows.
    assert (sum(DailyRollup.objects.values_list("cases", flat=True))
            == sum(MonthlyRollup.objects.values_list("cases", flat=True)) == 3)


def test_a_whole_month_is_drawn_day_by_day(refreshed: dict[str, Case]) -> None:
    trend = selectors.volume_trend(period(date(2026, 3, 1), date(2026, 3, 31)))
    assert trend["granularity"] == "day" and len(trend["buckets"]) == 31
    by_day = [sum(s["counts"][i] for s in trend["by_channel"]) for i in range(31)]
    assert by_day[1:3] == [2, 1] and sum(by_day) == 3  # 2 and 3 March, not all on the 1st


def test_rebuild_gives_what_the_refreshes_gave(refreshed: dict[str, Case]) -> None:
    before = selectors.dashboard(period(MARCH_2, MARCH_3), with_people=True)
    with time_machine.travel(NOW, tick=False):
        days = rollups_rebuild()
    assert days == 9  # 2 to 10 March
    assert selectors.dashboard(period(MARCH_2, MARCH_3), with_people=True) == before


def test_a_changed_case_refreshes_its_day(refreshed: dict[str, Case], outsider: User,
                                         django_capture_on_commit_callbacks: Any) -> None:
    """A change through the services marks the case's day stale and the task recomputes it
    (tasks run at once in tests)."""
    from redress.cases.services import case_transition

    case = refreshed["c"]
    assert not PersonDaily.objects.filter(day=MARCH_3).exists()  # nobody owned C
    with django_capture_on_commit_callbacks(execute=True):
        case_transition(case=case, to="acknowledged", actor=outsider)
    assert not StaleDay.objects.exists()  # taken by the task
    # The one who answered first owns C now, and 3 March's figures say so.
    assert PersonDaily.objects.get(day=MARCH_3).owner_id == outsider.pk
    assert DailyRollup.objects.get(day=MARCH_3).cases == 1


def test_band_median_by_hand() -> None:
    bounds = (1, 2, 4)
    assert band_median([0, 0, 0, 0], bounds) is None
    # Four values in (2, 4]: the middle is half-way through the band.
    assert band_median([0, 0, 4, 0], bounds) == 3.0
    # 1 in (0, 1], 3 in (1, 2]: the 2nd of 4 is a third of the way into (1, 2].
    assert band_median([1, 3, 0, 0], bounds) == pytest.approx(1.33, abs=0.01)
    # Most values beyond the last bound: only the band's lower end is known.
    assert band_median([1, 0, 0, 5], bounds) == 4.0


def test_money_is_decimal_in_the_rollups(refreshed: dict[str, Case]) -> None:
    row = DailyRollup.objects.get(day=MARCH_2, channel="web")
    assert row.compensation == Decimal("200.00")  # type: ignore[attr-defined]


@pytest.mark.parametrize(("location", "site"), [
    ("悦来酒店 912房", "悦来酒店"),
    ("南湖小区4栋2单元1202", "南湖小区"),
    ("春熙路店", "春熙路店"),
    ("Terminal 2, Gate 15", "Terminal"),
    ("1208", "1208"),
    ("", ""),
])
def test_a_location_counts_under_its_site(location: str, site: str) -> None:
    from redress.insights.services import site_of

    assert site_of(location) == site


def test_rooms_of_one_hotel_are_one_site(history: Any, department: Department,
                                         agent: User) -> None:
    for room in ("悦来酒店 912房", "悦来酒店 1030房"):
        history.case(received=local(2, 10), department=department, owner=agent,
                     location=room)
    with time_machine.travel(NOW, tick=False):
        rollup_refresh_days([MARCH_2])
    assert list(DailyRollup.objects.values_list("location", "cases")) == [("悦来酒店", 2)]
    assert selectors.summary(period(MARCH_2, MARCH_2, location="悦来酒店"))["cases"] == 2


def test_a_refresh_cut_short_leaves_its_days_marked(refreshed: dict[str, Case],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker killed half-way through a refresh must not lose the marks: the task runs
    again and finds them."""
    from redress.insights import services

    StaleDay.objects.create(day=MARCH_2)
    StaleDay.objects.create(day=MARCH_3)
    real = services._day_figures

    def killed(day: date) -> services.DayFigures:
        if day == MARCH_3:
            raise SystemExit("worker killed")
        return real(day)

    monkeypatch.setattr(services, "_day_figures", killed)
    with pytest.raises(SystemExit):
        services.rollups_refresh_stale()
    assert set(StaleDay.objects.values_list("day", flat=True)) == {MARCH_2, MARCH_3}
    monkeypatch.setattr(services, "_day_figures", real)
    assert services.rollups_refresh_stale() == [MARCH_2, MARCH_3]
    assert not StaleDay.objects.exists()


def test_a_day_marked_again_during_a_refresh_stays_marked(
        refreshed: dict[str, Case], monkeypatch: pytest.MonkeyPatch) -> None:
    from redress.insights import services

    StaleDay.objects.create(day=MARCH_2)
    real = services.rollup_refresh_days
    queued: list[bool] = []

    def meanwhile(days: list[date]) -> None:
        real(days)
        # A case of 2 March changes while the refresh runs, after its figures were read.
        with time_machine.travel(NOW, tick=False):
            services.rollup_mark_days([MARCH_2])

    monkeypatch.setattr(services, "rollup_refresh_days", meanwhile)
    monkeypatch.setattr(services, "_refresh_queue", lambda: queued.append(True))
    services.rollups_refresh_stale()
    assert list(StaleDay.objects.values_list("day", flat=True)) == [MARCH_2]
    assert queued == [True]  # and another refresh is on its way


def test_a_new_first_response_target_is_counted_again(refreshed: dict[str, Case],
                                                      django_capture_on_commit_callbacks: Any
                                                      ) -> None:
    from redress.insights.services import assumptions_get, assumptions_save

    march2 = period(MARCH_2, MARCH_2)
    assert selectors.summary(march2)["first_response_attainment"] == 0.5
    assumptions = assumptions_get()
    assumptions.first_response_target_minutes = 45  # B's 40 minutes now meet it too
    with time_machine.travel(NOW, tick=False), \
            django_capture_on_commit_callbacks(execute=True):
        assumptions_save(assumptions)
    assert selectors.summary(march2)["first_response_attainment"] == 1.0
    assert not StaleDay.objects.exists()


def test_roi_follows_the_assumptions(refreshed: dict[str, Case]) -> None:
    from redress.insights.services import assumptions_get, assumptions_save

    assumptions = assumptions_get()
    assumptions.lifetime_value = Decimal("1000.00")
    assumptions.silent_multiplier = 10
    assumptions.silent_source = "集团客户研究 2025"
    assumptions_save(assumptions)
    roi = selectors.roi(period(MARCH_2, MARCH_2))
    assert roi["retained_revenue"] == "2000.00"  # 2 customers × 1000
    assert (roi["silent_multiplier"], roi["silent_customers"]) == (10, 20)
    assert roi["silent_source"] == "集团客户研究 2025"


def test_the_administrator_edits_the_assumptions(admin_user: User) -> None:
    from django.test import Client

    from redress.insights.models import Assumptions
    from redress.insights.services import assumptions_get

    row = assumptions_get()
    client = Client()
    client.force_login(admin_user)
    url = f"/admin/insights/assumptions/{row.pk}/change/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"first_response_target_minutes": 20,
                                 "lifetime_value": "2500.00", "silent_multiplier": 25,
                                 "silent_source": ""})
    assert response.status_code == 302
    assert Assumptions.objects.get().first_response_target_minutes == 20
    assert client.get("/admin/insights/assumptions/add/").status_code == 403  # one row
