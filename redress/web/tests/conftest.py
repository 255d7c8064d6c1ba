"""Fixtures of the apps whose console pages are tested here."""

from redress.playbook.tests.conftest import default_phrases, write_article

__all__ = ["default_phrases", "write_article"]
