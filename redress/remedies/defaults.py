"""The catalogue and limits a new installation starts with; administrators change them.

The catalogue follows the seeds' after-sales agreement (000): a quality problem gets free
repair or replacement, a loaner during repair, a coupon or a partial refund; late delivery
gets free express, a discount, an extended warranty; unsatisfactory service gets a return,
exchange or refund. An apology and an explanation fit every case.
"""

from decimal import Decimal
from typing import Any

PRODUCT = "product_defect"
PROCESS = "process_system"
HUMAN = "human_error"

# code, kind, zh, en, unit, cost ratio, needs acceptance, scenarios, wants answered
# (points are worth 0.01 yuan each)
CATALOGUE: list[tuple[str, str, str, str, str, str, bool, list[str], list[str]]] = [
    ("apology", "apology", "正式道歉", "Formal apology", "none", "0", False, [],
     ["apology", "accountability"]),
    ("explanation", "explanation", "说明原因与改进", "Explanation of what happened", "none", "0",
     False, [], ["explanation", "accountability"]),
    ("put-right", "action", "采取措施解决问题", "Put the problem right", "none", "0", True, [],
     ["fix_fast", "redo", "repair", "accountability"]),
    ("refund-full", "refund_full", "全额退款", "Full refund", "yuan", "1", True, [],
     ["refund"]),
    ("refund-partial", "refund_partial", "部分退款", "Partial refund", "yuan", "1", True, [],
     ["refund", "compensation"]),
    ("discount-percent", "discount_percent", "折扣（按比例）", "Discount (percentage)",
     "percent", "1", True, [PROCESS, HUMAN], ["compensation"]),
    ("discount-amount", "discount_amount", "立减金额", "Discount (amount)", "yuan", "1", True,
     [PROCESS, HUMAN], ["compensation"]),
    ("coupon", "coupon", "代金券", "Coupon", "yuan", "0.6", True, [],
     ["compensation"]),
    ("gift", "gift", "赠品", "Gift", "yuan", "1", True, [HUMAN, PROCESS],
     ["compensation"]),
    ("points", "points", "会员积分", "Member points", "points", "0.5", True, [],
     ["compensation"]),
    ("replacement", "replacement", "免费更换", "Free replacement", "yuan", "1", True, [PRODUCT],
     ["replacement", "fix_fast"]),
    ("repair", "repair", "免费维修", "Free repair", "yuan", "1", True, [PRODUCT],
     ["repair", "fix_fast"]),
    ("redo", "redo", "重新提供服务", "Redo the service", "yuan", "1", True, [PRODUCT, HUMAN],
     ["redo", "fix_fast"]),
    ("loaner", "loaner", "维修期间提供备用品", "Loaner during the repair", "yuan", "1", True,
     [PRODUCT], ["repair", "fix_fast"]),
    ("free-express", "free_express", "免费加急配送", "Free express delivery", "yuan", "1", True,
     [PROCESS], ["fix_fast", "compensation"]),
    ("extended-warranty", "extended_warranty", "延长保修", "Extended warranty", "yuan", "0.3",
     True, [PRODUCT, PROCESS], ["compensation"]),
    ("free-service", "free_service", "下次服务免费", "Next service free", "yuan", "0.5", True,
     [HUMAN, PROCESS], ["compensation", "redo"]),
]

# role: (per case, per day); None is no limit. The seeds' frontline authority is 500 yuan.
LIMITS: dict[str, tuple[str | None, str | None]] = {
    "agent": ("500.00", "5000.00"),
    "supervisor": ("5000.00", None),
    "quality": ("5000.00", None),
    "manager": (None, None),
    "admin": (None, None),
}


def install_defaults(option_model: Any, limit_model: Any) -> None:
    """Create what is missing; never overwrite an administrator's change."""
    for rank, (code, kind, zh, en, unit, cost, accept, scenarios, wants) in enumerate(
        CATALOGUE, start=1
    ):
        option_model.objects.get_or_create(code=code, defaults={
            "kind": kind, "name_zh": zh, "name_en": en, "unit": unit,
            "yuan_per_unit": Decimal("0.01") if unit == "points" else Decimal(1),
            "cost_ratio": Decimal(cost), "needs_acceptance": accept,
            "scenarios": scenarios, "answers_wants": wants, "rank": rank * 10,
        })
    for role, (per_case, per_day) in LIMITS.items():
        limit_model.objects.get_or_create(role=role, defaults={
            "per_case": Decimal(per_case) if per_case else None,
            "per_day": Decimal(per_day) if per_day else None,
        })
