"""Input and output shapes of the API, side by side."""

from datetime import datetime
from decimal import Decimal
from typing import Any

from ninja import Field, Schema


class CustomerIn(Schema):
    name: str = ""
    phone: str | None = None
    email: str | None = None
    external_id: str | None = None


class CaseCreateIn(Schema):
    channel: str = "api"
    description: str
    customer: CustomerIn
    priority: str | None = None
    received_at: datetime | None = None
    location: str | None = None
    order_ref: str | None = None
    amount_at_stake: Decimal | None = None


class CaseReceiptOut(Schema):
    reference: str
    tracking_code: str
    status: str
    priority: str
    due: datetime | None


class TransitionIn(Schema):
    to: str
    message: str | None = None
    version: int | None = None
    needs: str | None = None
    facts: str | None = None
    remedy: str | None = None
    amount: Decimal | None = Field(None, description="The remedy's amount in yuan.")
    reason: str | None = Field(
        None, description="Closing an unfinished case: `duplicate` or `invalid`."
    )
    outcome: str | None = None
    confirm_wording: bool = Field(
        False, description="Send a `message` the wording check flagged, as written."
    )


class HandoverIn(Schema):
    to: str = Field(description="Username of the colleague taking the case over.")
    reason: str
    version: int | None = None


class MessageIn(Schema):
    body: str
    to_customer: bool = True


class CustomerOut(Schema):
    name: str
    phone: str
    email: str
    external_id: str
    tier: str


class EventOut(Schema):
    at: datetime
    kind: str
    actor: str | None
    from_status: str
    to_status: str
    message: str
    visible_to_customer: bool
    before: dict[str, Any]
    after: dict[str, Any]


class CaseOut(Schema):
    reference: str
    tracking_code: str
    status: str
    priority: str
    channel: str
    received_at: datetime
    created_at: datetime
    updated_at: datetime
    description: str
    language: str
    location: str
    order_ref: str
    amount_at_stake: Decimal | None
    customer: CustomerOut
    owner: str | None
    department: str | None
    escalated: bool
    needs: str
    facts: str
    remedy: str
    remedy_amount: Decimal | None
    outcome: str
    close_reason: str
    version: int
    allowed_transitions: list[str]
    labels: dict[str, Any]
    clocks: dict[str, Any]
    remedies: list[dict[str, Any]]
    followup: dict[str, Any] | None
    timeline: list[EventOut]


class CaseListItemOut(Schema):
    reference: str
    status: str
    priority: str
    channel: str
    received_at: datetime
    customer: str
    owner: str | None
    department: str | None
    summary: str


class PublicComplaintIn(Schema):
    description: str
    name: str
    phone: str | None = None
    email: str | None = None
    location: str | None = None
    order_ref: str | None = None


class PublicReceiptOut(Schema):
    reference: str
    tracking_code: str


class PublicEventOut(Schema):
    at: datetime
    kind: str
    status: str
    status_label: str
    message: str


class PublicCaseOut(Schema):
    reference: str
    status: str
    status_label: str
    received_at: datetime
    timeline: list[PublicEventOut]


class ErrorOut(Schema):
    detail: Any
    code: str | None = None
    field: str | None = None
