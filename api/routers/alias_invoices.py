"""/v1/alias_invoices: invoices that arrived by mail, as in the seed reference."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.context import Auth, Ctx
from api.lists import ListParams, RangeFilter, apply_range, paginate
from api.params import openapi_query, parse_model, read_params
from ingest.alias_invoices import get_alias_invoice, retry
from models.alias_invoices import AliasInvoice
from models.objects import alias_invoice_object
from models.scoped import select_scoped

router = APIRouter(tags=["alias_invoices"])

Status = Literal["received", "processing", "requires_review", "processed", "failed", "paid"]


class AliasInvoiceList(ListParams):
    email_alias: str | None = None
    tenant: str | None = None
    status: Status | None = None
    received_at: int | RangeFilter | None = None


def render(session: Session, ctx: Ctx, row: AliasInvoice) -> dict[str, Any]:
    services = ctx.services
    return alias_invoice_object(
        session, row, blobs=services.blobs, public_url=services.settings.public_url
    )


@router.get("/v1/alias_invoices/{alias_invoice_id}")
def retrieve(alias_invoice_id: str, ctx: Auth) -> dict[str, Any]:
    with ctx.services.sessions() as session:
        row = get_alias_invoice(session, ctx.account_id, ctx.livemode, alias_invoice_id)
        return render(session, ctx, row)


@router.get("/v1/alias_invoices", openapi_extra=openapi_query(AliasInvoiceList))
async def list_alias_invoices(request: Request, ctx: Auth) -> dict[str, Any]:
    raw, _ = await read_params(request)
    params = parse_model(AliasInvoiceList, raw, stringly=True)
    stmt = select_scoped(AliasInvoice, ctx.account_id, ctx.livemode)
    if params.email_alias:
        stmt = stmt.where(AliasInvoice.email_alias_id == params.email_alias)
    if params.tenant:
        stmt = stmt.where(AliasInvoice.customer_id == params.tenant)
    if params.status:
        stmt = stmt.where(AliasInvoice.status == params.status)
    stmt = apply_range(stmt, AliasInvoice.received_at, params.received_at)
    with ctx.services.sessions() as session:
        return paginate(
            session,
            stmt,
            id_col=AliasInvoice.id,
            sort_col=AliasInvoice.received_at,
            params=params,
            url="/v1/alias_invoices",
            render=lambda r: render(session, ctx, r),
        )


class RetryParams(BaseModel):
    model_config = {"extra": "forbid"}
    expand: list[str] | None = None


@router.post("/v1/alias_invoices/{alias_invoice_id}/retry")
async def retry_processing(alias_invoice_id: str, request: Request, ctx: Auth) -> dict[str, Any]:
    raw, stringly = await read_params(request)
    parse_model(RetryParams, raw, stringly=stringly)
    with ctx.unit_of_work() as session:
        row = get_alias_invoice(session, ctx.account_id, ctx.livemode, alias_invoice_id)
        retry(session, row, ctx.services.clock())
    with ctx.services.sessions() as session:
        fresh = session.scalar(select(AliasInvoice).where(AliasInvoice.id == alias_invoice_id))
        assert fresh is not None
        return render(session, ctx, fresh)
