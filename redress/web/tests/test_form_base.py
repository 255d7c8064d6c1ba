"""The pages' forms render their widgets through Jinja2: the same markup as Django's
template language gives, and the admin keeps its own widgets."""

import re

import pytest
from django.forms.renderers import DjangoTemplates, Jinja2
from django.utils import translation

from redress.web.forms import AgreedDeadlineForm, MessageForm, QueueFilterForm
from redress.web.forms_playbook import LabelsForm


def _tags(html: str) -> str:
    """The markup as a browser lays it out: the two languages place line breaks
    differently, between tags and before a label's text."""
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html)).strip()


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("make", [
    lambda: LabelsForm(initial={"kind": "complaint", "risks": ["safety", "churn"],
                                "wants": ["refund"]}),
    lambda: LabelsForm(data={"kind": "nonsense", "risks": ["safety"]}),  # with errors
    lambda: MessageForm(),
    lambda: AgreedDeadlineForm(),
    lambda: QueueFilterForm({"status": "new", "q": "空调 <b>"}),
])
def test_the_same_markup_as_the_django_template_language(make, language):
    with translation.override(language):
        form = make()
        assert isinstance(form.renderer, Jinja2)
        form.is_bound and form.is_valid()
        fast = str(form)
        form.renderer = DjangoTemplates()
        assert _tags(fast) == _tags(str(form))
        assert "<select" in fast or "<textarea" in fast or "<input" in fast


@pytest.mark.django_db
def test_the_admin_keeps_its_own_widgets(admin_client):
    response = admin_client.get("/admin/triage/routingrule/add/")
    assert response.status_code == 200
    assert b"related-widget-wrapper" in response.content
