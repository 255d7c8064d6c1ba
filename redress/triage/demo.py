"""Demo data for triage: routing rules for the three demo organisations, so the case
pages of the demo show a suggested department.

`demo_routing_rules(organisations)` creates, through `services.routing_rule_create`, a few
rules per demo organisation, found by name (the names of `config/demo_content.py`):
the restaurant chain routes by branch in the location, the hotel sends broken equipment
to engineering, dirty rooms to housekeeping and staff behaviour to the front desk, the
property manager sends leaks and lifts to maintenance and parking and noise to security.
An organisation or department the demo does not have is skipped. Returns how many rules
were created. Wire it into `redress demo` once the organisations exist, before the cases
are played (so intake's triage sees the rules)::

    from redress.triage.demo import demo_routing_rules
    demo_routing_rules(organisations)
"""


from collections.abc import Iterable
from datetime import datetime
from typing import Any

from redress.accounts.models import Department, Organisation
from redress.triage.engine import get_model
from redress.triage.services import routing_rule_create


def demo_load(*, organisations: Iterable[Any] = (), now: datetime | None = None
              ) -> dict[str, Any]:
    model = get_model()
    return {"mode": model.mode, "examples": model.meta.get("examples", 0)}


_RULES: dict[str, list[tuple[str, str, dict[str, Any]]]] = {
    "川味坊餐饮连锁": [
        ("春熙路店的投诉", "春熙路店", {"location_contains": "春熙路"}),
        ("天府广场店的投诉", "天府广场店", {"location_contains": "天府广场"}),
    ],
    "悦来酒店": [
        ("设备故障找工程部", "工程部", {"scenario": "product_defect", "keywords": [
            "空调", "漏水", "热水", "电梯", "停电", "马桶", "wifi", "air condition", "leak",
            "hot water", "lift"]}),
        ("客房卫生找客房部", "客房部", {"keywords": [
            "脏", "床单", "毛巾", "头发", "异味", "打扫", "dirty", "towel", "sheets", "smell"]}),
        ("服务态度找前台", "前台", {"scenario": "human_error"}),
    ],
    "安居物业": [
        ("维修类找工程维修部", "工程维修部", {"keywords": [
            "漏水", "电梯", "停电", "水管", "堵", "渗水", "leak", "lift", "blocked"]}),
        ("安全隐患找工程维修部", "工程维修部", {"risk": "safety"}),
        ("停车和噪音找秩序维护部", "秩序维护部", {"keywords": [
            "保安", "停车", "门禁", "噪音", "装修", "parking", "noise", "security"]}),
    ],
}


def demo_routing_rules(organisations: Iterable[Organisation]) -> int:
    created = 0
    for organisation in organisations:
        departments = {d.name: d for d in Department.objects.filter(organisation=organisation)}
        for rank, (name, department_name, conditions) in enumerate(
                _RULES.get(organisation.name, []), start=1):
            department = departments.get(department_name)
            if department is None:
                continue
            routing_rule_create(organisation=organisation, department=department, name=name,
                                rank=rank * 10, **conditions)
            created += 1
    return created
