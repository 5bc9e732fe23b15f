"""/v1/webhook_endpoints: where events are posted, and what each delivery attempt got back."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.context import Auth, Ctx
from api.lists import ListParams, paginate
from api.metadata import MetadataParam, merge_metadata
from api.params import openapi_body, openapi_query, parse_model, read_params
from models.scoped import select_scoped
from models.webhooks import WebhookAttempt, WebhookEndpoint
from webhooks.endpoints import (
    attempt_json,
    check_enabled_events,
    check_url,
    create_endpoint,
    delete_endpoint,
    get_endpoint,
    set_enabled,
    webhook_endpoint_json,
)

router = APIRouter(tags=["webhook_endpoints"])

Url = Annotated[str, Field(min_length=1, max_length=2048)]
Patterns = Annotated[list[Annotated[str, Field(max_length=100)]], Field(max_length=50)]


class EndpointCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    url: Url
    enabled_events: Patterns
    description: str | None = Field(default=None, max_length=500)
    metadata: MetadataParam = None
    expand: list[str] | None = None


class EndpointUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    url: Url | None = None
    enabled_events: Patterns | None = None
    description: str | None = Field(default=None, max_length=500)
    metadata: MetadataParam = None
    disabled: bool | None = None
    expand: list[str] | None = None


class AttemptList(ListParams):
    event: str | None = Field(default=None, max_length=40)


@router.post("/v1/webhook_endpoints", openapi_extra=openapi_body(EndpointCreate))
async def create(request: Request, ctx: Auth) -> dict[str, Any]:
    """The reply is the only time the signing `secret` is shown."""
    raw, stringly = await read_params(request)
    params = parse_model(EndpointCreate, raw, stringly=stringly)
    with ctx.unit_of_work() as session:
        endpoint = create_endpoint(
            session,
            ctx.account_id,
            ctx.livemode,
            url=params.url,
            enabled_events=params.enabled_events,
            description=params.description or None,
            metadata=merge_metadata({}, params.metadata),
            now=ctx.services.clock(),
        )
        return webhook_endpoint_json(endpoint, with_secret=True)


@router.get("/v1/webhook_endpoints/{endpoint_id}")
def retrieve(endpoint_id: str, ctx: Auth) -> dict[str, Any]:
    with ctx.services.sessions() as session:
        endpoint = get_endpoint(session, ctx.account_id, ctx.livemode, endpoint_id)
        return webhook_endpoint_json(endpoint)


@router.post("/v1/webhook_endpoints/{endpoint_id}", openapi_extra=openapi_body(EndpointUpdate))
async def update(endpoint_id: str, request: Request, ctx: Auth) -> dict[str, Any]:
    raw, stringly = await read_params(request)
    params = parse_model(EndpointUpdate, raw, stringly=stringly)
    given = params.model_fields_set
    with ctx.unit_of_work() as session:
        endpoint = get_endpoint(session, ctx.account_id, ctx.livemode, endpoint_id, for_update=True)
        if params.url is not None:
            endpoint.url = check_url(params.url)
        if params.enabled_events is not None:
            endpoint.enabled_events = check_enabled_events(params.enabled_events)
        if "description" in given:
            endpoint.description = params.description or None
        if "metadata" in given:
            endpoint.metadata_ = merge_metadata(endpoint.metadata_, params.metadata)
        if params.disabled is not None:
            set_enabled(endpoint, not params.disabled)
        session.flush()
        return webhook_endpoint_json(endpoint)


@router.delete("/v1/webhook_endpoints/{endpoint_id}")
def delete(endpoint_id: str, ctx: Auth) -> dict[str, Any]:
    with ctx.unit_of_work() as session:
        endpoint = get_endpoint(session, ctx.account_id, ctx.livemode, endpoint_id, for_update=True)
        delete_endpoint(endpoint)
    return {"id": endpoint_id, "object": "webhook_endpoint", "deleted": True}


@router.get("/v1/webhook_endpoints", openapi_extra=openapi_query(ListParams))
async def list_endpoints(request: Request, ctx: Auth) -> dict[str, Any]:
    raw, _ = await read_params(request)
    params = parse_model(ListParams, raw, stringly=True)
    stmt = select_scoped(WebhookEndpoint, ctx.account_id, ctx.livemode).where(
        WebhookEndpoint.deleted.is_(False)
    )
    with ctx.services.sessions() as session:
        return paginate(
            session,
            stmt,
            id_col=WebhookEndpoint.id,
            sort_col=WebhookEndpoint.created,
            params=params,
            url="/v1/webhook_endpoints",
            render=webhook_endpoint_json,
        )


@router.get(
    "/v1/webhook_endpoints/{endpoint_id}/attempts", openapi_extra=openapi_query(AttemptList)
)
async def list_attempts(endpoint_id: str, request: Request, ctx: Auth) -> dict[str, Any]:
    """Every POST to this endpoint, newest first: status code, duration, error."""
    raw, _ = await read_params(request)
    params = parse_model(AttemptList, raw, stringly=True)
    with ctx.services.sessions() as session:
        return _attempts_page(session, ctx, endpoint_id, params)


def _attempts_page(
    session: Session, ctx: Ctx, endpoint_id: str, params: AttemptList
) -> dict[str, Any]:
    get_endpoint(session, ctx.account_id, ctx.livemode, endpoint_id)
    stmt = select(WebhookAttempt).where(WebhookAttempt.endpoint_id == endpoint_id)
    if params.event:
        stmt = stmt.where(WebhookAttempt.event_id == params.event)
    return paginate(
        session,
        stmt,
        id_col=WebhookAttempt.id,
        sort_col=WebhookAttempt.created,
        params=params,
        url=f"/v1/webhook_endpoints/{endpoint_id}/attempts",
        render=attempt_json,
    )
