"""Console pages of the lessons app."""

from typing import Any

from django.http import HttpRequest
from django.urls import URLPattern

from redress.accounts.models import User
from redress.cases.models import Case

urlpatterns: list[URLPattern] = []


def case_page_context(request: HttpRequest, case: Case, user: User) -> dict[str, Any]:
    """What the case page's lessons section needs."""
    return {}
