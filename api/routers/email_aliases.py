"""/v1/email_aliases: the addresses tenants forward their invoices to."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field

from api.context import Auth, Ctx
from api.lists import ListParams, paginate
from api.metadata import MetadataParam, merge_metadata
from api.params import openapi_body, openapi_query, parse_model, read_params
from billing.customers import get_customer
from ingest.aliases import alias_json, create_alias, get_alias
from models.customers import EmailAlias
from models.scoped import select_scoped

router = APIRouter(tags=["email_aliases"])


class AliasCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    customer: str = Field(max_length=40)
    local_part: str | None = Field(default=None, max_length=64)
    metadata: MetadataParam = None


class AliasList(ListParams):
    customer: str | None = None
    status: str | None = None


@router.post("/v1/email_aliases", openapi_extra=openapi_body(AliasCreate))
async def create(request: Request, ctx: Auth) -> dict[str, Any]:
    raw, stringly = await read_params(request)
    params = parse_model(AliasCreate, raw, stringly=stringly)
    with ctx.unit_of_work() as session:
        customer = get_customer(session, ctx.account_id, ctx.livemode, params.customer)
        alias = create_alias(
            session,
            customer,
            domain=ctx.services.settings.alias_domain,
            local_part=params.local_part,
            metadata=merge_metadata({}, params.metadata),
            now=ctx.services.clock(),
        )
        return alias_json(alias)


@router.get("/v1/email_aliases/{alias_id}")
def retrieve(alias_id: str, ctx: Auth) -> dict[str, Any]:
    with ctx.services.sessions() as session:
        return alias_json(get_alias(session, ctx.account_id, ctx.livemode, alias_id))


@router.post("/v1/email_aliases/{alias_id}/disable")
def disable(alias_id: str, ctx: Auth) -> dict[str, Any]:
    """Mail to a disabled alias is refused at RCPT (550 5.2.1); its history stays."""
    return _set_status(ctx, alias_id, "disabled")


@router.post("/v1/email_aliases/{alias_id}/enable")
def enable(alias_id: str, ctx: Auth) -> dict[str, Any]:
    return _set_status(ctx, alias_id, "active")


def _set_status(ctx: Ctx, alias_id: str, status: str) -> dict[str, Any]:
    with ctx.unit_of_work() as session:
        alias = get_alias(session, ctx.account_id, ctx.livemode, alias_id)
        alias.status = status
        return alias_json(alias)


@router.get("/v1/email_aliases", openapi_extra=openapi_query(AliasList))
async def list_aliases(request: Request, ctx: Auth) -> dict[str, Any]:
    raw, _ = await read_params(request)
    params = parse_model(AliasList, raw, stringly=True)
    stmt = select_scoped(EmailAlias, ctx.account_id, ctx.livemode)
    if params.customer:
        stmt = stmt.where(EmailAlias.customer_id == params.customer)
    if params.status:
        stmt = stmt.where(EmailAlias.status == params.status)
    with ctx.services.sessions() as session:
        return paginate(
            session,
            stmt,
            id_col=EmailAlias.id,
            sort_col=EmailAlias.created,
            params=params,
            url="/v1/email_aliases",
            render=alias_json,
        )
