"""When a recurring problem's weekly count is a spike, and when a count fell.

Both questions are about counts of complaints per week, which behave like Poisson counts:
many customers, each with a small chance of complaining about the same thing.

**Spike rule** (`spike_test`). Take the group's counts in the `BASELINE_WEEKS` (8) weeks
before the week under review and their mean λ̂. The week is a spike when

* its count is at least `MIN_COUNT` (3), and
* the Poisson upper tail P(X ≥ count | λ) is below `SPIKE_P` (0.001),
  with λ = max(λ̂, `LAMBDA_FLOOR`) (0.5).

The floor keeps a quiet group from alarming on a couple of cases: from a baseline of 0,
2 or 3 or 4 in a week is not an alarm, 5 is. The threshold 0.001 rather than 0.01 is
chosen for the person who reads the alarms: with fifty groups, 0.01 would mean a false
alarm every other week; 0.001 one in twenty weeks. Measured in simulation (500 seeds,
flat Poisson noise at λ = 1, 3, 5, 10, 20): 0.12–0.20 % of group-weeks alarm. A step to
four times the rate is caught in its first week 20 % / 66 % / 92 % / 100 % / 100 % of
the time at those λ, within two weeks 33 % / 83 % / 98 % / 100 % / 100 %: a group with
one complaint a week needs a large rise before it stands out from chance, which is the
point.

**Effectiveness rule** (`rate_change`). Counts `before` and `after` in two windows of the
same length. The change is (after − before) / before. The count *fell* when it dropped by
at least `FELL_DROP` (30 %) and the drop is unlikely to be chance: under "no change", given
n = before + after cases in total, `after` is Binomial(n, ½); the one-sided p-value
P(X ≤ after) must be below `FELL_P` (0.05). Twelve before and four after: −66.7 %,
p = 0.038, fell. Three before and one after: −66.7 % too, but p = 0.31: not shown.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

BASELINE_WEEKS = 8
MIN_COUNT = 3
LAMBDA_FLOOR = 0.5
SPIKE_P = 0.001

FELL_DROP = Decimal("0.30")
FELL_P = 0.05


def poisson_upper_tail(count: int, rate: float) -> float:
    """P(X ≥ count) for X ~ Poisson(rate), summed directly (counts here are small)."""
    if count <= 0:
        return 1.0
    term = math.exp(-rate)
    below = term
    for k in range(1, count):
        term *= rate / k
        below += term
    return max(0.0, 1.0 - below)


def binomial_lower_tail(successes: int, trials: int, p: float = 0.5) -> float:
    """P(X ≤ successes) for X ~ Binomial(trials, p)."""
    return min(1.0, sum(
        math.comb(trials, k) * p**k * (1 - p) ** (trials - k) for k in range(successes + 1)
    ))


@dataclass(frozen=True)
class SpikeResult:
    count: int
    baseline: float  # the mean of the baseline weeks, before the floor
    rate: float  # the rate tested against (the baseline, floored)
    p_value: float
    spike: bool


def spike_test(history: Sequence[int], count: int) -> SpikeResult:
    """Is `count` (this week) a spike against `history` (the weeks before, oldest first)?

    Only the last `BASELINE_WEEKS` of `history` count; a shorter history (a new group) is
    averaged over the weeks there are, none meaning a baseline of 0.
    """
    window = list(history)[-BASELINE_WEEKS:]
    baseline = sum(window) / len(window) if window else 0.0
    rate = max(baseline, LAMBDA_FLOOR)
    p_value = poisson_upper_tail(count, rate)
    return SpikeResult(
        count=count, baseline=baseline, rate=rate, p_value=p_value,
        spike=count >= MIN_COUNT and p_value < SPIKE_P,
    )


@dataclass(frozen=True)
class RateChange:
    before: int
    after: int
    weeks: int
    before_per_week: Decimal
    after_per_week: Decimal
    change_percent: Decimal | None  # None when there was nothing before
    p_value: float
    fell: bool


def _one_place(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def rate_change(*, before: int, after: int, weeks: int) -> RateChange:
    """Compare two equal windows of `weeks` weeks (see the module's effectiveness rule)."""
    if weeks <= 0:
        raise ValueError("the windows must be at least a week long")
    per_before = Decimal(before) / weeks
    per_after = Decimal(after) / weeks
    change = (
        _one_place((Decimal(after) - Decimal(before)) * 100 / Decimal(before))
        if before else None
    )
    p_value = binomial_lower_tail(after, before + after) if before + after else 1.0
    fell = (
        before > 0
        and Decimal(before - after) / Decimal(before) >= FELL_DROP
        and p_value < FELL_P
    )
    return RateChange(
        before=before, after=after, weeks=weeks,
        before_per_week=per_before.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP),
        after_per_week=per_after.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP),
        change_percent=change, p_value=p_value, fell=fell,
    )
