"""/v1/account/settings: the account's review threshold (and future account-wide settings)."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict

from api.context import Auth
from api.params import openapi_body, parse_model, read_params
from models.accounts import Account
from models.errors import NotFound
from review.thresholds import effective_threshold, set_threshold

router = APIRouter(tags=["account"])


class SettingsUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    # A number in [0, 1]; "" (or JSON null) returns to the installation default.
    review_threshold: float | Literal[""] | None = None
    expand: list[str] | None = None


def settings_json(account: Account, default: float) -> dict[str, Any]:
    return {
        "object": "account_settings",
        "account": account.id,
        "review_threshold": effective_threshold(account.review_threshold, default),
        "review_threshold_source": "default" if account.review_threshold is None else "account",
        "default_review_threshold": default,
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
    with ctx.unit_of_work() as session:
        if "review_threshold" in params.model_fields_set:
            value = params.review_threshold
            set_threshold(session, ctx.account_id, None if value == "" else value)
        account = session.get(Account, ctx.account_id)
        if account is None:
            raise NotFound.for_id("account", ctx.account_id)
        return settings_json(account, ctx.services.settings.review_threshold)
