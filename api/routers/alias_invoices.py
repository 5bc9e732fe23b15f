"""/v1/alias_invoices: invoices that arrived by mail, as in the seed reference."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Annotated, Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict
from sqlalchemy import Row, bindparam, select

from api import schemas
from api.context import Auth, Ctx
from api.lists import (
    AnySelect,
    ListParams,
    RangeFilter,
    page_query,
    paginate_on_loop,
    range_values,
    where_range,
)
from api.one_hop import OneHopRoute
from api.openapi import openapi_body, openapi_query
from api.params import Params
from ingest.alias_invoices import get_alias_invoice, retry
from models.alias_invoices import AliasInvoice
from models.errors import NotFound
from models.lifecycle import AliasInvoiceStatus
from models.objects import (
    alias_invoice_columns,
    alias_invoice_with,
    payment_request_columns,
    payment_request_of,
)
from models.payments import PaymentRequest

router = APIRouter(tags=["alias_invoices"], route_class=OneHopRoute)


class AliasInvoiceList(ListParams):
    email_alias: str | None = None
    tenant: str | None = None
    status: AliasInvoiceStatus | None = None
    received_at: int | RangeFilter | None = None


class RetryParams(BaseModel):
    model_config = ConfigDict(extra="forbid")
    expand: list[str] | None = None


_WITH_PAYMENT_REQUEST = select(*alias_invoice_columns(), *payment_request_columns("pr_")).outerjoin(
    PaymentRequest, PaymentRequest.id == AliasInvoice.payment_request_id
)


def render(ctx: Ctx, row: Row[Any]) -> dict[str, Any]:
    services = ctx.services
    return alias_invoice_with(
        row, payment_request_of(row), blobs=services.blobs, public_url=services.settings.public_url
    )


# Built once: building and hashing this statement per request cost more than running it.
_ONE = _WITH_PAYMENT_REQUEST.where(
    AliasInvoice.id == bindparam("id"),
    AliasInvoice.account_id == bindparam("account_id"),
    AliasInvoice.livemode == bindparam("livemode"),
)


def _one_values(ctx: Ctx, alias_invoice_id: str) -> dict[str, Any]:
    return {"id": alias_invoice_id, "account_id": ctx.account_id, "livemode": ctx.livemode}


def _rendered_one(ctx: Ctx, alias_invoice_id: str, rows: Sequence[Row[Any]]) -> dict[str, Any]:
    if not rows:
        raise NotFound.for_id("alias_invoice", alias_invoice_id)
    return render(ctx, rows[0])


@router.get("/v1/alias_invoices/{alias_invoice_id}", response_model=schemas.AliasInvoice)
async def retrieve(alias_invoice_id: str, ctx: Auth) -> dict[str, Any]:
    rows = await ctx.rows(_ONE, _one_values(ctx, alias_invoice_id))
    return _rendered_one(ctx, alias_invoice_id, rows)


# The filters that compare a column with the value given.
_FILTER_COLUMNS = {
    "email_alias": AliasInvoice.email_alias_id,
    "tenant": AliasInvoice.customer_id,
    "status": AliasInvoice.status,
}


@lru_cache(maxsize=64)
def _list_statement(filters: tuple[str, ...]) -> AnySelect:
    """The list's statement for one combination of filters (`_FILTER_COLUMNS` and
    `received_at_<op>`), their values as bind parameters: built once per combination."""
    stmt = _WITH_PAYMENT_REQUEST.where(
        AliasInvoice.account_id == bindparam("account_id"),
        AliasInvoice.livemode == bindparam("livemode"),
    )
    for name in filters:
        column = _FILTER_COLUMNS.get(name)
        if column is not None:
            stmt = stmt.where(column == bindparam(name))
        else:
            stmt = where_range(stmt, AliasInvoice.received_at, name)
    return stmt


@router.get(
    "/v1/alias_invoices",
    response_model=schemas.list_of(schemas.AliasInvoice),
    openapi_extra=openapi_query(AliasInvoiceList),
)
async def list_alias_invoices(
    ctx: Auth, params: Annotated[AliasInvoiceList, Params(AliasInvoiceList)]
) -> dict[str, Any]:
    filters: dict[str, Any] = {
        name: value for name in _FILTER_COLUMNS if (value := getattr(params, name))
    }
    filters |= range_values("received_at", params.received_at)
    return await paginate_on_loop(
        ctx.rows,
        page_query(
            _list_statement(tuple(filters)),
            values={**filters, "account_id": ctx.account_id, "livemode": ctx.livemode},
            id_col=AliasInvoice.id,
            sort_col=AliasInvoice.received_at,
            params=params,
            url="/v1/alias_invoices",
            owner=(ctx.account_id, ctx.livemode),
        ),
        lambda r: render(ctx, r),
    )


@router.post(
    "/v1/alias_invoices/{alias_invoice_id}/retry",
    response_model=schemas.AliasInvoice,
    openapi_extra=openapi_body(RetryParams),
)
def retry_processing(
    alias_invoice_id: str, ctx: Auth, _params: Annotated[RetryParams, Params(RetryParams)]
) -> dict[str, Any]:
    with ctx.unit_of_work() as session:
        row = get_alias_invoice(session, ctx.account_id, ctx.livemode, alias_invoice_id)
        retry(session, row, ctx.services.clock())
    rows = ctx.reader.execute(_ONE, _one_values(ctx, alias_invoice_id)).all()
    return _rendered_one(ctx, alias_invoice_id, rows)
