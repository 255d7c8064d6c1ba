"""The spike rule on synthetic weekly series, and the effectiveness arithmetic by hand."""

import math
import random
from decimal import Decimal

import pytest

from redress.lessons.spikes import (
    binomial_lower_tail,
    poisson_upper_tail,
    rate_change,
    spike_test,
)


def _poisson(rng: random.Random, rate: float) -> int:
    # Knuth's method: fine for the small rates of weekly complaint counts.
    limit, k, product = math.exp(-rate), 0, 1.0
    while True:
        product *= rng.random()
        if product < limit:
            return k
        k += 1


class TestPoissonTail:
    def test_against_hand_computed_values(self):
        # P(X >= 2 | 0.5) = 1 - e^-0.5 (1 + 0.5)
        assert poisson_upper_tail(2, 0.5) == pytest.approx(1 - math.exp(-0.5) * 1.5)
        assert poisson_upper_tail(0, 3.0) == 1.0
        # P(X >= 10 | 5) = 0.031828...
        assert poisson_upper_tail(10, 5.0) == pytest.approx(0.0318281, abs=1e-6)

    def test_binomial_tail(self):
        # P(X <= 4 | n=16, p=1/2) = (1 + 16 + 120 + 560 + 1820) / 65536
        assert binomial_lower_tail(4, 16) == pytest.approx(2517 / 65536)


class TestSpikeRule:
    def test_flat_noise_does_not_alarm(self):
        """Flat Poisson noise at several rates, 200 seeds × 22 reviewed weeks each: the
        rule alarms on at most 0.5 % of weeks (by design about 0.1 %)."""
        alarms = reviewed = 0
        for rate in (1.0, 3.0, 5.0, 10.0, 20.0):
            for seed in range(200):
                rng = random.Random(seed)
                series = [_poisson(rng, rate) for _ in range(30)]
                for week in range(8, 30):
                    reviewed += 1
                    alarms += spike_test(series[week - 8:week], series[week]).spike
        assert reviewed == 22_000
        assert alarms / reviewed < 0.005

    def test_a_typical_quiet_series_with_a_busy_week_is_not_a_spike(self):
        assert not spike_test([4, 6, 5, 3, 5, 4, 6, 5], 9).spike

    def test_a_real_step_alarms(self):
        result = spike_test([4, 6, 5, 3, 5, 4, 6, 5], 16)
        assert result.spike
        assert result.baseline == pytest.approx(4.75)
        assert result.p_value < 0.001

    def test_a_step_to_four_times_the_rate_is_caught_within_two_weeks(self):
        """From 5 a week to 20: most steps alarm in their first week, nearly all by the
        second (the second week is tested against a baseline that includes the first)."""
        first_week = within_two = 0
        for seed in range(200):
            rng = random.Random(seed)
            baseline = [_poisson(rng, 5.0) for _ in range(8)]
            week1, week2 = _poisson(rng, 20.0), _poisson(rng, 20.0)
            caught = spike_test(baseline, week1).spike
            first_week += caught
            within_two += caught or spike_test([*baseline, week1], week2).spike
        assert first_week / 200 >= 0.85
        assert within_two / 200 >= 0.95

    @pytest.mark.parametrize("count", [1, 2, 3, 4])
    def test_a_few_cases_after_silence_are_not_an_alarm(self, count):
        assert not spike_test([0] * 8, count).spike

    def test_five_after_silence_are(self):
        assert spike_test([0] * 8, 5).spike

    def test_a_new_group_without_history_uses_the_floor(self):
        assert spike_test([], 4).rate == 0.5
        assert not spike_test([], 4).spike

    def test_only_the_last_eight_weeks_count(self):
        assert spike_test([50, 50, 50, 1, 1, 1, 1, 1, 1, 1, 1], 8).baseline == 1.0


class TestEffectiveness:
    def test_the_example_by_hand(self):
        result = rate_change(before=12, after=4, weeks=4)
        assert result.before_per_week == Decimal("3.00")
        assert result.after_per_week == Decimal("1.00")
        assert result.change_percent == Decimal("-66.7")
        assert result.p_value == pytest.approx(2517 / 65536)  # 0.038
        assert result.fell

    def test_the_same_drop_on_few_cases_is_not_shown(self):
        result = rate_change(before=3, after=1, weeks=4)
        assert result.change_percent == Decimal("-66.7")
        assert not result.fell

    def test_a_small_drop_is_not_a_fall(self):
        result = rate_change(before=40, after=32, weeks=4)  # -20 %
        assert result.change_percent == Decimal("-20.0")
        assert not result.fell

    def test_a_rise(self):
        result = rate_change(before=4, after=8, weeks=4)
        assert (result.change_percent, result.fell) == (Decimal("100.0"), False)

    def test_nothing_before(self):
        result = rate_change(before=0, after=3, weeks=4)
        assert (result.change_percent, result.fell) == (None, False)

    def test_windows_must_be_a_week_at_least(self):
        with pytest.raises(ValueError):
            rate_change(before=1, after=1, weeks=0)
