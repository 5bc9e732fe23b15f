"""Review items (extractions waiting for a person) and the account's settings."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import ConfigDict, Field

from api.schemas.common import ApiObject, Timestamp
from api.schemas.mail import ExtractedData


class ReviewReason(ApiObject):
    """Why a person must look: `code` is stable (documented in the README), `field` is the
    extracted field it concerns, if any."""

    model_config = ConfigDict(extra="allow")

    code: str
    field: str | None = None
    message: str


class FieldEvidence(ApiObject):
    """One extracted value and where it came from (page 1-based, bbox in PDF points)."""

    model_config = ConfigDict(extra="allow")

    value: Any = None
    confidence: float | None = None
    source: str | None = None
    page: int | None = None
    bbox: list[float] | None = None
    reasons: list[str] = Field(default_factory=list)


class ReviewEvent(ApiObject):
    id: str
    object: Literal["review_event"]
    type: str
    actor: str | None
    via: str | None
    field: str | None
    from_: Any = Field(alias="from")
    to: Any
    message: str | None
    created: Timestamp


class ReviewItem(ApiObject):
    id: str
    object: Literal["review_item"]
    alias_invoice: str
    tenant: str
    status: Literal["pending", "approved", "rejected"]
    reasons: list[ReviewReason]
    extracted_data: ExtractedData
    fields: dict[str, FieldEvidence]
    confidence_score: float
    corrections: dict[str, Any] | None
    reviewer: str | None
    rejection_reason: str | None
    decided_at: Timestamp | None
    payment_request: str | None
    audit_trail: list[ReviewEvent]
    created: Timestamp
    livemode: bool


class AccountSettings(ApiObject):
    object: Literal["account_settings"]
    account: str
    review_threshold: float = Field(ge=0, le=1)
    review_threshold_source: Literal["default", "account"]
    default_review_threshold: float
    acknowledge_receipts: bool = Field(description="Email the tenant when a document arrives.")
    reminder_days_before: list[int] = Field(description="Reminders this many days before due.")
    reminder_on_due_date: bool
    reminder_days_after: list[int] = Field(description="Reminders this many days after due.")
    max_auto_amount: dict[str, int] = Field(
        description="Largest amount billed without review, per currency, in minor units."
    )
    allowed_currencies: list[str] = Field(
        description="Currencies billed without review (empty: any)."
    )
    trusted_senders: dict[str, list[str]] = Field(
        description="Per email alias id: the addresses or domains it accepts bills from."
    )
    first_invoice_from_vendor_review: bool
    first_time_sender_review: bool = Field(
        description="A sender none of the tenant's billed documents came from waits for review."
    )


class SettingChange(ApiObject):
    """One audited change of the review threshold or an automation rule."""

    id: str
    object: Literal["account_setting_change"]
    setting: str
    from_: Any = Field(alias="from")
    to: Any
    actor: str = Field(description="api_key:<key id> or ops_user:<id>: who made the change.")
    created: int


class SettingChangeList(ApiObject):
    object: Literal["list"]
    url: str
    has_more: bool
    data: list[SettingChange]
