"""/v1/webhook_endpoints: where events are posted, and what each delivery attempt got back."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select

from api import schemas
from api.context import Auth
from api.lists import ListParams, page_query, paginate
from api.metadata import MetadataParam, merge_metadata
from api.one_hop import OneHopRoute
from api.openapi import openapi_body, openapi_query
from api.params import Params
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

router = APIRouter(tags=["webhook_endpoints"], route_class=OneHopRoute)

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


@router.post(
    "/v1/webhook_endpoints",
    response_model=schemas.WebhookEndpointWithSecret,
    openapi_extra=openapi_body(EndpointCreate),
)
def create(ctx: Auth, params: Annotated[EndpointCreate, Params(EndpointCreate)]) -> dict[str, Any]:
    """The reply is the only time the signing `secret` is shown."""
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


@router.get("/v1/webhook_endpoints/{endpoint_id}", response_model=schemas.WebhookEndpoint)
def retrieve(endpoint_id: str, ctx: Auth) -> dict[str, Any]:
    endpoint = get_endpoint(ctx.session, ctx.account_id, ctx.livemode, endpoint_id)
    return webhook_endpoint_json(endpoint)


@router.post(
    "/v1/webhook_endpoints/{endpoint_id}",
    response_model=schemas.WebhookEndpoint,
    openapi_extra=openapi_body(EndpointUpdate),
)
def update(
    endpoint_id: str, ctx: Auth, params: Annotated[EndpointUpdate, Params(EndpointUpdate)]
) -> dict[str, Any]:
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


@router.delete("/v1/webhook_endpoints/{endpoint_id}", response_model=schemas.Deleted)
def delete(endpoint_id: str, ctx: Auth) -> dict[str, Any]:
    with ctx.unit_of_work() as session:
        endpoint = get_endpoint(session, ctx.account_id, ctx.livemode, endpoint_id, for_update=True)
        delete_endpoint(endpoint)
    return {"id": endpoint_id, "object": "webhook_endpoint", "deleted": True}


@router.get(
    "/v1/webhook_endpoints",
    response_model=schemas.list_of(schemas.WebhookEndpoint),
    openapi_extra=openapi_query(ListParams),
)
def list_endpoints(ctx: Auth, params: Annotated[ListParams, Params(ListParams)]) -> dict[str, Any]:
    stmt = select_scoped(WebhookEndpoint, ctx.account_id, ctx.livemode).where(
        WebhookEndpoint.deleted.is_(False)
    )
    return paginate(
        ctx.session,
        page_query(
            stmt,
            id_col=WebhookEndpoint.id,
            sort_col=WebhookEndpoint.created,
            params=params,
            url="/v1/webhook_endpoints",
            owner=(ctx.account_id, ctx.livemode),
        ),
        webhook_endpoint_json,
    )


@router.get(
    "/v1/webhook_endpoints/{endpoint_id}/attempts",
    response_model=schemas.list_of(schemas.WebhookAttempt),
    openapi_extra=openapi_query(AttemptList),
)
def list_attempts(
    endpoint_id: str, ctx: Auth, params: Annotated[AttemptList, Params(AttemptList)]
) -> dict[str, Any]:
    """Every POST to this endpoint, newest first: status code, duration, error."""
    get_endpoint(ctx.session, ctx.account_id, ctx.livemode, endpoint_id)
    stmt = select(WebhookAttempt).where(WebhookAttempt.endpoint_id == endpoint_id)
    if params.event:
        stmt = stmt.where(WebhookAttempt.event_id == params.event)
    return paginate(
        ctx.session,
        page_query(
            stmt,
            id_col=WebhookAttempt.id,
            sort_col=WebhookAttempt.created,
            params=params,
            url=f"/v1/webhook_endpoints/{endpoint_id}/attempts",
            owner=None,
            anchor_where=[WebhookAttempt.endpoint_id == endpoint_id],
        ),
        attempt_json,
    )
