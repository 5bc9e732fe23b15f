"""/v1/account/settings: the review threshold and the automation rules, and their audit."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict

from api.context import Auth
from api.params import openapi_body, parse_model, read_params
from models.accounts import Account
from models.errors import NotFound
from review.account_rules import change_json, setting_changes, update_settings
from review.rules import Rules
from review.thresholds import effective_threshold

router = APIRouter(tags=["account"])


class SettingsUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    # A number in [0, 1]; "" (or JSON null) returns to the installation default.
    review_threshold: float | Literal[""] | None = None
    # Largest amount billed without review, per currency (minor units); "" removes a limit.
    max_auto_amount: dict[str, int | Literal[""]] | Literal[""] | None = None
    # Currencies billed without review ("" = any).
    allowed_currencies: list[str] | Literal[""] | None = None
    # Per alias id: addresses or domains it accepts bills from ("" = anyone).
    trusted_senders: dict[str, list[str] | Literal[""]] | Literal[""] | None = None
    first_invoice_from_vendor_review: bool | None = None
    expand: list[str] | None = None


RULES = (
    "max_auto_amount",
    "allowed_currencies",
    "trusted_senders",
    "first_invoice_from_vendor_review",
)


def settings_json(account: Account, default: float) -> dict[str, Any]:
    return {
        "object": "account_settings",
        "account": account.id,
        "review_threshold": effective_threshold(account.review_threshold, default),
        "review_threshold_source": "default" if account.review_threshold is None else "account",
        "default_review_threshold": default,
        **Rules.from_json(account.automation_rules).to_json(),
    }


@router.get("/v1/account/settings")
def retrieve(ctx: Auth) -> dict[str, Any]:
    with ctx.services.sessions() as session:
        account = session.get(Account, ctx.account_id)
        if account is None:
            raise NotFound.for_id("account", ctx.account_id)
        return settings_json(account, ctx.services.settings.review_threshold)


@router.post("/v1/account/settings", openapi_extra=openapi_body(SettingsUpdate))
async def update(request: Request, ctx: Auth) -> dict[str, Any]:
    raw, stringly = await read_params(request)
    params = parse_model(SettingsUpdate, raw, stringly=stringly)
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
        return settings_json(account, ctx.services.settings.review_threshold)


@router.get("/v1/account/settings/changes")
def changes(ctx: Auth) -> dict[str, Any]:
    """The audit of threshold and rule changes, newest first (the last 100)."""
    with ctx.services.sessions() as session:
        rows = setting_changes(session, ctx.account_id)
        return {
            "object": "list",
            "url": "/v1/account/settings/changes",
            "has_more": False,
            "data": [change_json(c) for c in rows],
        }
