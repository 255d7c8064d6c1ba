"""Triage's rules are kept in each process (`redress.common.settings_cache`): a saved or
deleted rule reaches the next complaint."""

import pytest

from redress.intake.services import public_complaint_submit
from redress.triage.models import PriorityRule, RoutingRule
from redress.triage.services import priority_rule_of, routing_suggest

pytestmark = pytest.mark.django_db


def test_saving_a_priority_rule_reaches_the_next_complaint(department, read_as):
    read_as(emotion="calm")  # a calm complaint: P3 by the installation's rule
    organisation = department.organisation
    case = public_complaint_submit(description="房间太吵了", name="王先生",
                                   phone="13800138000")
    assert case.priority == "P3"
    assert priority_rule_of(organisation.pk) is None
    rule = PriorityRule.objects.create(organisation=organisation,
                                       complaint_priority="P2")
    assert priority_rule_of(organisation.pk) == rule
    case = public_complaint_submit(description="房间太吵了", name="李女士",
                                   phone="13900139000")
    assert case.priority == "P2"
    rule.delete()
    assert priority_rule_of(organisation.pk) is None


def test_a_routing_rule_saved_or_switched_off_reaches_the_next_complaint(department):
    organisation = department.organisation
    labels = {"scenario": "product_defect", "risks": []}

    def suggested() -> RoutingRule | None:
        return routing_suggest(organisation=organisation.pk, labels=labels,
                               text="空调坏了", location="")

    assert suggested() is None
    rule = RoutingRule.objects.create(organisation=organisation, department=department,
                                      name="工程部", keywords="空调")
    assert suggested() == rule
    rule.active = False
    rule.save()
    assert suggested() is None
