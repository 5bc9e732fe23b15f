"""/v1/alias_invoices: invoices that arrived by mail, as in the seed reference."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict
from sqlalchemy import Select, select

from api import schemas
from api.context import Auth, Ctx
from api.lists import ListParams, RangeFilter, apply_range, paginate
from api.openapi import openapi_body, openapi_query
from api.params import Params
from ingest.alias_invoices import get_alias_invoice, retry
from models.alias_invoices import AliasInvoice
from models.errors import NotFound
from models.lifecycle import AliasInvoiceStatus
from models.objects import alias_invoice_with
from models.payments import PaymentRequest

router = APIRouter(tags=["alias_invoices"])


class AliasInvoiceList(ListParams):
    email_alias: str | None = None
    tenant: str | None = None
    status: AliasInvoiceStatus | None = None
    received_at: int | RangeFilter | None = None


class RetryParams(BaseModel):
    model_config = ConfigDict(extra="forbid")
    expand: list[str] | None = None


def with_payment_request(ctx: Ctx) -> Select[AliasInvoice, PaymentRequest]:
    """Alias invoices of the caller's account joined with their payment requests: one statement
    renders a whole page."""
    return (
        select(AliasInvoice, PaymentRequest)
        .outerjoin(PaymentRequest, PaymentRequest.id == AliasInvoice.payment_request_id)
        .where(AliasInvoice.account_id == ctx.account_id, AliasInvoice.livemode == ctx.livemode)
    )


def render(ctx: Ctx, row: AliasInvoice, pr: PaymentRequest | None) -> dict[str, Any]:
    services = ctx.services
    return alias_invoice_with(
        row, pr, blobs=services.blobs, public_url=services.settings.public_url
    )


def _one(ctx: Ctx, alias_invoice_id: str) -> dict[str, Any]:
    found = ctx.session.execute(
        with_payment_request(ctx).where(AliasInvoice.id == alias_invoice_id)
    ).first()
    if found is None:
        raise NotFound.for_id("alias_invoice", alias_invoice_id)
    return render(ctx, *found)


@router.get("/v1/alias_invoices/{alias_invoice_id}", response_model=schemas.AliasInvoice)
def retrieve(alias_invoice_id: str, ctx: Auth) -> dict[str, Any]:
    return _one(ctx, alias_invoice_id)


@router.get(
    "/v1/alias_invoices",
    response_model=schemas.list_of(schemas.AliasInvoice),
    openapi_extra=openapi_query(AliasInvoiceList),
)
def list_alias_invoices(
    ctx: Auth, params: Annotated[AliasInvoiceList, Params(AliasInvoiceList)]
) -> dict[str, Any]:
    stmt = with_payment_request(ctx)
    if params.email_alias:
        stmt = stmt.where(AliasInvoice.email_alias_id == params.email_alias)
    if params.tenant:
        stmt = stmt.where(AliasInvoice.customer_id == params.tenant)
    if params.status:
        stmt = stmt.where(AliasInvoice.status == params.status)
    stmt = apply_range(stmt, AliasInvoice.received_at, params.received_at)
    return paginate(
        ctx.session,
        stmt,
        id_col=AliasInvoice.id,
        sort_col=AliasInvoice.received_at,
        params=params,
        url="/v1/alias_invoices",
        render=lambda r: render(ctx, *r),
        owner=(ctx.account_id, ctx.livemode),
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
    return _one(ctx, alias_invoice_id)
