"""Settings kept in each process: loaded once per token, loaded again after any change
(in this process, in another one, or rolled back)."""

import pytest
from django.db import transaction

from redress.common.models import SettingsRevision
from redress.common.settings_cache import INTAKE, cached, settings_changed

pytestmark = pytest.mark.django_db


class Loads:
    def __init__(self) -> None:
        self.count = 0

    def __call__(self) -> int:
        self.count += 1
        return self.count


def test_loaded_once_until_the_token_changes(django_assert_num_queries):
    loads = Loads()
    assert cached("test.value", loads) == 1
    with django_assert_num_queries(1):  # the token only
        assert cached("test.value", loads) == 1
    settings_changed()
    assert cached("test.value", loads) == 2
    assert loads.count == 2


def test_a_change_made_by_another_process_is_seen_at_the_next_use():
    loads = Loads()
    cached("test.value", loads)
    # Another process saved a rule: only the table says so.
    SettingsRevision.objects.update_or_create(name=INTAKE, defaults={"token": "elsewhere"})
    assert cached("test.value", loads) == 2


def test_a_rolled_back_change_loads_again():
    loads = Loads()
    cached("test.value", loads)
    try:
        with transaction.atomic():
            settings_changed()
            assert cached("test.value", loads) == 2
            raise RuntimeError
    except RuntimeError:
        pass
    # The old token is back, and the copy loaded inside the rolled-back change is not it.
    assert cached("test.value", loads) == 3
