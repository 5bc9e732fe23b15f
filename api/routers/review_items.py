"""/v1/review_items: extractions waiting for a person, and the decisions on them."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from api import schemas
from api.context import Auth, Ctx
from api.lists import ListParams, page_query, paginate
from api.one_hop import OneHopRoute
from api.openapi import openapi_body, openapi_query
from api.params import Params
from models.review import ReviewItem
from models.scoped import select_scoped
from review.items import load_view, load_views, review_item_json
from review.service import Decider, approve, reject

router = APIRouter(tags=["review_items"], route_class=OneHopRoute)


class ReviewItemList(ListParams):
    status: Literal["pending", "approved", "rejected"] | None = None
    alias_invoice: str | None = None


class LineItemParam(BaseModel):
    model_config = ConfigDict(extra="forbid")
    description: str = Field(max_length=500)
    amount: int


class ApproveParams(BaseModel):
    """Corrected fields; any field left out keeps the extracted value."""

    model_config = ConfigDict(extra="forbid")
    total_amount: int | None = Field(default=None, ge=0)
    currency: str | None = Field(default=None, max_length=3)
    due_date: str | None = None
    reference: str | None = Field(default=None, max_length=200)
    tax_amount: int | None = Field(default=None, ge=0)
    line_items: list[LineItemParam] | None = None
    reviewer: str | None = Field(default=None, max_length=200)
    expand: list[str] | None = None


class RejectParams(BaseModel):
    model_config = ConfigDict(extra="forbid")
    reason: str = Field(min_length=1, max_length=1000)
    reviewer: str | None = Field(default=None, max_length=200)
    expand: list[str] | None = None


def _decider(ctx: Ctx, reviewer: str | None) -> Decider:
    """API decisions are recorded as the key's, unless the caller names its own reviewer."""
    via = f"api_key:{ctx.key_id}"
    return Decider(reviewer=reviewer or via, via=via)


def _scope(ctx: Ctx) -> tuple[str, bool]:
    return ctx.account_id, ctx.livemode


@router.get(
    "/v1/review_items",
    response_model=schemas.list_of(schemas.ReviewItem),
    openapi_extra=openapi_query(ReviewItemList),
)
def list_review_items(
    ctx: Auth, params: Annotated[ReviewItemList, Params(ReviewItemList)]
) -> dict[str, Any]:
    stmt = select_scoped(ReviewItem, ctx.account_id, ctx.livemode)
    if params.status:
        stmt = stmt.where(ReviewItem.status == params.status)
    if params.alias_invoice:
        stmt = stmt.where(ReviewItem.alias_invoice_id == params.alias_invoice)
    page = paginate(
        ctx.session,
        page_query(
            stmt,
            id_col=ReviewItem.id,
            sort_col=ReviewItem.created,
            params=params,
            url="/v1/review_items",
            owner=_scope(ctx),
            newest_first=False,  # a queue: the oldest waiting item comes first
        ),
        lambda item: item,
    )
    page["data"] = [review_item_json(v) for v in load_views(ctx.session, page["data"])]
    return page


@router.get("/v1/review_items/{item_id}", response_model=schemas.ReviewItem)
def retrieve(item_id: str, ctx: Auth) -> dict[str, Any]:
    return review_item_json(load_view(ctx.session, item_id, _scope(ctx)))


@router.post(
    "/v1/review_items/{item_id}/approve",
    response_model=schemas.ReviewItem,
    openapi_extra=openapi_body(ApproveParams),
)
def approve_item(
    item_id: str, ctx: Auth, params: Annotated[ApproveParams, Params(ApproveParams)]
) -> dict[str, Any]:
    corrections = params.model_dump(exclude_unset=True, exclude={"reviewer", "expand"}, mode="json")
    services = ctx.services
    with ctx.unit_of_work() as session:
        approve(
            session,
            item_id,
            corrections,
            scope=_scope(ctx),
            decider=_decider(ctx, params.reviewer),
            public_url=services.settings.public_url,
            now=services.clock(),
        )
    return review_item_json(load_view(ctx.session, item_id, _scope(ctx)))


@router.post(
    "/v1/review_items/{item_id}/reject",
    response_model=schemas.ReviewItem,
    openapi_extra=openapi_body(RejectParams),
)
def reject_item(
    item_id: str, ctx: Auth, params: Annotated[RejectParams, Params(RejectParams)]
) -> dict[str, Any]:
    services = ctx.services
    with ctx.unit_of_work() as session:
        reject(
            session,
            item_id,
            params.reason,
            scope=_scope(ctx),
            decider=_decider(ctx, params.reviewer),
            now=services.clock(),
        )
    return review_item_json(load_view(ctx.session, item_id, _scope(ctx)))
