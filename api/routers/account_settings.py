"""/v1/account/settings: review threshold, automation rules (audited), receipt acknowledgements
and the reminder schedule."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from api import schemas
from api.context import Auth
from api.one_hop import OneHopRoute
from api.openapi import openapi_body
from api.params import Params
from billing.reminders import schedule_from, schedule_parts
from models.accounts import Account
from models.errors import NotFound
from models.notices import reminder_offsets
from review.account_rules import change_json, setting_changes, update_settings
from review.rules import Rules
from review.thresholds import effective_threshold

router = APIRouter(tags=["account"], route_class=OneHopRoute)


Days = Annotated[list[int], Field(max_length=10)] | Literal[""]


class SettingsUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    # A number in [0, 1]; "" (or JSON null) returns to the installation default.
    review_threshold: float | Literal[""] | None = None
    # Email the tenant "we received your invoice" when it arrives.
    acknowledge_receipts: bool | None = None
    # Payment reminders: days before the due date, on the day, days after ("" = none).
    reminder_days_before: Days | None = None
    reminder_on_due_date: bool | None = None
    reminder_days_after: Days | None = None
    # Largest amount billed without review, per currency (minor units); "" removes a limit.
    max_auto_amount: dict[str, int | Literal[""]] | Literal[""] | None = None
    # Currencies billed without review ("" = any).
    allowed_currencies: list[str] | Literal[""] | None = None
    # Per alias id: addresses or domains it accepts bills from ("" = anyone).
    trusted_senders: dict[str, list[str] | Literal[""]] | Literal[""] | None = None
    first_invoice_from_vendor_review: bool | None = None
    first_time_sender_review: bool | None = None
    expand: list[str] | None = None


RULES = (
    "max_auto_amount",
    "allowed_currencies",
    "trusted_senders",
    "first_invoice_from_vendor_review",
    "first_time_sender_review",
)


def settings_json(account: Account, default: float) -> dict[str, Any]:
    before, on_due, after = schedule_parts(reminder_offsets(account))
    return {
        "object": "account_settings",
        "account": account.id,
        "review_threshold": effective_threshold(account.review_threshold, default),
        "review_threshold_source": "default" if account.review_threshold is None else "account",
        "default_review_threshold": default,
        "acknowledge_receipts": account.acknowledge_receipts,
        "reminder_days_before": before,
        "reminder_on_due_date": on_due,
        "reminder_days_after": after,
        **Rules.from_json(account.automation_rules).to_json(),
    }


def _update_reminders(account: Account, params: SettingsUpdate) -> None:
    given = params.model_fields_set
    if not given & {"reminder_days_before", "reminder_on_due_date", "reminder_days_after"}:
        return
    before, on_due, after = schedule_parts(reminder_offsets(account))
    if "reminder_days_before" in given:
        before = list(params.reminder_days_before or [])
    if params.reminder_on_due_date is not None:
        on_due = params.reminder_on_due_date
    if "reminder_days_after" in given:
        after = list(params.reminder_days_after or [])
    account.reminder_offsets = schedule_from(before, on_due, after)


@router.get("/v1/account/settings", response_model=schemas.AccountSettings)
def retrieve(ctx: Auth) -> dict[str, Any]:
    account = ctx.session.get(Account, ctx.account_id)
    if account is None:
        raise NotFound.for_id("account", ctx.account_id)
    return settings_json(account, ctx.services.settings.review_threshold)


@router.post(
    "/v1/account/settings",
    response_model=schemas.AccountSettings,
    openapi_extra=openapi_body(SettingsUpdate),
)
def update(ctx: Auth, params: Annotated[SettingsUpdate, Params(SettingsUpdate)]) -> dict[str, Any]:
    given = params.model_fields_set
    threshold: dict[str, Any] = {}
    if "review_threshold" in given:
        value = params.review_threshold
        threshold["review_threshold"] = None if value == "" else value
    with ctx.unit_of_work() as session:
        account = update_settings(
            session,
            ctx.account_id,
            actor=f"api_key:{ctx.key_id}",
            now=ctx.services.clock(),
            rules={name: getattr(params, name) for name in RULES if name in given},
            **threshold,
        )
        if params.acknowledge_receipts is not None:
            account.acknowledge_receipts = params.acknowledge_receipts
        _update_reminders(account, params)
        return settings_json(account, ctx.services.settings.review_threshold)


@router.get("/v1/account/settings/changes", response_model=schemas.SettingChangeList)
def changes(ctx: Auth) -> dict[str, Any]:
    """The audit of threshold and rule changes, newest first (the last 100)."""
    rows = setting_changes(ctx.session, ctx.account_id)
    return {
        "object": "list",
        "url": "/v1/account/settings/changes",
        "has_more": False,
        "data": [change_json(c) for c in rows],
    }
