"""/v1/email_aliases: the addresses tenants forward their invoices to."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from api import schemas
from api.context import Auth, Ctx
from api.lists import ListParams, page_query, paginate
from api.metadata import MetadataParam, merge_metadata
from api.one_hop import OneHopRoute
from api.openapi import openapi_body, openapi_query
from api.params import Params
from billing.customers import get_customer
from ingest.aliases import (
    LOCAL_PART_SCOPE,
    AliasUnavailable,
    alias_json,
    count_local_part_attempt,
    create_alias,
    get_alias,
)
from models.customers import EmailAlias
from models.rate_limits import record_hit
from models.scoped import select_scoped

router = APIRouter(tags=["email_aliases"], route_class=OneHopRoute)


class AliasCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    customer: str = Field(max_length=40)
    local_part: str | None = Field(default=None, max_length=64)
    metadata: MetadataParam = None


class AliasUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    status: Literal["active", "disabled"] | None = None
    metadata: MetadataParam = None
    expand: list[str] | None = None


class AliasList(ListParams):
    customer: str | None = None
    status: str | None = None


@router.post(
    "/v1/email_aliases", response_model=schemas.EmailAlias, openapi_extra=openapi_body(AliasCreate)
)
def create(ctx: Auth, params: Annotated[AliasCreate, Params(AliasCreate)]) -> dict[str, Any]:
    """An explicit `local_part` that is taken by another account, reserved, or asked for past
    the account's hourly limit gets one answer, `email_alias_unavailable` (no enumeration)."""
    domain, now = ctx.services.settings.alias_domain, ctx.services.clock()
    try:
        with ctx.unit_of_work() as session:
            customer = get_customer(session, ctx.account_id, ctx.livemode, params.customer)
            if params.local_part is not None:
                count_local_part_attempt(session, ctx.account_id, params.local_part, domain, now)
            alias = create_alias(
                session,
                customer,
                domain=domain,
                local_part=params.local_part,
                metadata=merge_metadata({}, params.metadata),
                now=now,
            )
            return alias_json(alias)
    except AliasUnavailable:
        with ctx.unit_of_work() as session:  # the refused attempt counts too
            record_hit(session, LOCAL_PART_SCOPE, ctx.account_id, now)
        raise


@router.get("/v1/email_aliases/{alias_id}", response_model=schemas.EmailAlias)
def retrieve(alias_id: str, ctx: Auth) -> dict[str, Any]:
    return alias_json(get_alias(ctx.session, ctx.account_id, ctx.livemode, alias_id))


@router.post(
    "/v1/email_aliases/{alias_id}",
    response_model=schemas.EmailAlias,
    openapi_extra=openapi_body(AliasUpdate),
)
def update(
    alias_id: str, ctx: Auth, params: Annotated[AliasUpdate, Params(AliasUpdate)]
) -> dict[str, Any]:
    """Metadata merges; `status` disables or enables the address. The address itself never
    changes (mail already sent to it must keep arriving): create another alias instead."""
    with ctx.unit_of_work() as session:
        alias = get_alias(session, ctx.account_id, ctx.livemode, alias_id)
        if params.status is not None:
            alias.status = params.status
        if "metadata" in params.model_fields_set:
            alias.metadata_ = merge_metadata(alias.metadata_, params.metadata)
        session.flush()
        return alias_json(alias)


@router.post("/v1/email_aliases/{alias_id}/disable", response_model=schemas.EmailAlias)
def disable(alias_id: str, ctx: Auth) -> dict[str, Any]:
    """Mail to a disabled alias is refused at RCPT (550 5.2.1); its history stays."""
    return _set_status(ctx, alias_id, "disabled")


@router.post("/v1/email_aliases/{alias_id}/enable", response_model=schemas.EmailAlias)
def enable(alias_id: str, ctx: Auth) -> dict[str, Any]:
    return _set_status(ctx, alias_id, "active")


def _set_status(ctx: Ctx, alias_id: str, status: str) -> dict[str, Any]:
    with ctx.unit_of_work() as session:
        alias = get_alias(session, ctx.account_id, ctx.livemode, alias_id)
        alias.status = status
        return alias_json(alias)


@router.get(
    "/v1/email_aliases",
    response_model=schemas.list_of(schemas.EmailAlias),
    openapi_extra=openapi_query(AliasList),
)
def list_aliases(ctx: Auth, params: Annotated[AliasList, Params(AliasList)]) -> dict[str, Any]:
    stmt = select_scoped(EmailAlias, ctx.account_id, ctx.livemode)
    if params.customer:
        stmt = stmt.where(EmailAlias.customer_id == params.customer)
    if params.status:
        stmt = stmt.where(EmailAlias.status == params.status)
    return paginate(
        ctx.session,
        page_query(
            stmt,
            id_col=EmailAlias.id,
            sort_col=EmailAlias.created,
            params=params,
            url="/v1/email_aliases",
            owner=(ctx.account_id, ctx.livemode),
        ),
        alias_json,
    )
