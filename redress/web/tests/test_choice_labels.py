"""The `label` filter says what `get_FOO_display` says, in each language."""

import pytest
from django.template import Context, Template
from django.utils import translation

from redress.cases.models import Case, CaseEvent, Channel, EventKind, Status


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_choice_reads_as_get_display_reads_it(language):
    with translation.override(language):
        for status in Status.values:
            case = Case(status=status, channel=Channel.PHONE)
            rendered = Template('{% load choice_labels %}{{ case|label:"status" }}').render(
                Context({"case": case}))
            assert rendered == str(case.get_status_display())
        for kind in EventKind.values:
            event = CaseEvent(kind=kind, from_status="", to_status=Status.CLOSED)
            rendered = Template(
                '{% load choice_labels %}{{ event|label:"kind" }}|{{ event|label:"from_status" }}'
                '|{{ event|label:"to_status" }}').render(Context({"event": event}))
            assert rendered == (f"{event.get_kind_display()}|{event.get_from_status_display()}"
                                f"|{event.get_to_status_display()}")


def test_the_language_of_the_request_is_kept_apart():
    case = Case(status=Status.NEW)
    template = Template('{% load choice_labels %}{{ case|label:"status" }}')
    with translation.override("zh-hans"):
        chinese = template.render(Context({"case": case}))
    with translation.override("en"):
        english = template.render(Context({"case": case}))
    assert (chinese, english) == ("新建", "New")


def test_a_value_not_among_the_choices_is_shown_as_it_is():
    case = Case(status="archived-long-ago")
    rendered = Template('{% load choice_labels %}{{ case|label:"status" }}').render(
        Context({"case": case}))
    assert rendered == "archived-long-ago"
