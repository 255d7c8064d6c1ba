"""Fixtures of the playbook's tests: the default flagged phrases, and standard answers
written through the services the way an administrator writes them."""

from importlib import import_module
from typing import Any

import pytest
from django.apps import apps

from redress.playbook.models import Article, WordingPhrase
from redress.playbook.services import article_create


@pytest.fixture
def default_phrases(db: None) -> None:
    # The data migration installs them; a transactional test elsewhere in the run may
    # have flushed the table since, so put them back the same way.
    if not WordingPhrase.objects.exists():
        migration = import_module("redress.playbook.migrations.0003_default_wording_phrases")
        migration.install(apps, None)


@pytest.fixture
def write_article(db: None):
    def write(**values: Any) -> Article:
        defaults: dict[str, Any] = {
            "actor": None, "question": values.get("title", "问题"),
            "answer": values.get("title", "答案"), "language": "zh",
            "published": True, "public": True,
        }
        defaults.update(values)
        return article_create(**defaults)

    return write
