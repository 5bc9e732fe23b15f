"""/v1/events: what happened, newest first, as Stripe lists events."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter
from pydantic import Field
from sqlalchemy import or_
from sqlalchemy.orm import Session

from api import schemas
from api.context import Auth
from api.lists import ListParams, RangeFilter, apply_range, page_query, paginate
from api.one_hop import OneHopRoute
from api.openapi import openapi_query
from api.params import Params
from models.events import Event, event_json
from models.scoped import get_scoped, select_scoped
from models.webhooks import pending_counts

router = APIRouter(tags=["events"], route_class=OneHopRoute)


class EventList(ListParams):
    # An exact type or a pattern with `*` wildcards (`alias_invoice.*`); `types` takes several.
    type: str | None = Field(default=None, max_length=100)
    types: list[str] | None = Field(default=None, max_length=20)
    created: int | RangeFilter | None = None


def like_pattern(pattern: str) -> str:
    """`*` is the only wildcard; SQL's own (`%`, `_` as in alias_invoice) are matched literally."""
    escaped = pattern.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped.replace("*", "%")


def render_page(session: Session, events: list[Event]) -> list[dict[str, Any]]:
    pending = pending_counts(session, [e.id for e in events])
    return [event_json(e, pending.get(e.id, 0)) for e in events]


@router.get("/v1/events/{event_id}", response_model=schemas.Event)
def retrieve(event_id: str, ctx: Auth) -> dict[str, Any]:
    event = get_scoped(ctx.session, Event, "event", event_id, ctx.account_id, ctx.livemode)
    return render_page(ctx.session, [event])[0]


@router.get(
    "/v1/events",
    response_model=schemas.list_of(schemas.Event),
    openapi_extra=openapi_query(EventList),
)
def list_events(ctx: Auth, params: Annotated[EventList, Params(EventList)]) -> dict[str, Any]:
    stmt = select_scoped(Event, ctx.account_id, ctx.livemode)
    patterns = [p for p in [params.type, *(params.types or [])] if p]
    if patterns:
        stmt = stmt.where(or_(*(Event.type.like(like_pattern(p), escape="\\") for p in patterns)))
    stmt = apply_range(stmt, Event.created, params.created)
    page = paginate(
        ctx.session,
        page_query(
            stmt,
            id_col=Event.id,
            sort_col=Event.seq,
            params=params,
            url="/v1/events",
            owner=(ctx.account_id, ctx.livemode),
        ),
        lambda event: event,
    )
    page["data"] = render_page(ctx.session, page["data"])
    return page
