"""/v1/invoices: create, read, edit drafts, list, and move invoices through their states."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Request
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from api.billing_params import (
    Currency,
    Description,
    ExpandOnly,
    LineItemParams,
    ObjectId,
    TaxRateIds,
    Timestamp,
    rate_list,
)
from api.billing_schemas import DeletedOut, InvoiceOut, documented, list_of
from api.context import Auth, Ctx
from api.errors import ApiError
from api.expand import INVOICE_EXPANDABLE, expand_invoice, expansions
from api.lists import ListParams, RangeFilter, apply_range, paginate
from api.metadata import MetadataParam, merge_metadata
from api.params import parse_model, read_params
from billing.invoice_items import deleted_json
from billing.invoice_sending import send_invoice
from billing.invoices import (
    NewItem,
    create_invoice,
    delete_invoice,
    finalize_invoice,
    get_invoice,
    invoice_json,
    mark_uncollectible,
    update_invoice,
    void_invoice,
)
from billing.payments import pay_invoice
from models.invoices import Invoice
from models.scoped import select_scoped

router = APIRouter(tags=["invoices"])

InvoiceId = Annotated[str, Path(pattern=r"^[A-Za-z0-9_]{1,64}$")]


class InvoiceCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    customer: ObjectId
    currency: Currency | None = None
    due_date: Timestamp | None = None
    description: Description | None = None
    line_items: Annotated[list[LineItemParams], Field(max_length=250)] | None = None
    tax_rates: TaxRateIds | None = None
    metadata: MetadataParam = None
    expand: list[str] | None = None


class InvoiceUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    due_date: Timestamp | Literal[""] | None = None
    description: Description | None = None
    tax_rates: TaxRateIds | None = None
    metadata: MetadataParam = None
    expand: list[str] | None = None


Status = Literal["draft", "open", "paid", "void", "uncollectible"]
BoundedInt = Annotated[int, Field(ge=0, le=253_402_300_799)]


class BoundedRange(RangeFilter):
    gt: BoundedInt | None = None
    gte: BoundedInt | None = None
    lt: BoundedInt | None = None
    lte: BoundedInt | None = None


class InvoiceList(ListParams):
    customer: ObjectId | None = None
    status: Status | None = None
    due_date: BoundedInt | BoundedRange | None = None
    created: BoundedInt | BoundedRange | None = None


class PayParams(ExpandOnly):
    paid_out_of_band: bool = False


def render(session: Session, ctx: Ctx, invoice: Invoice, fields: frozenset[str]) -> dict[str, Any]:
    body = invoice_json(session, invoice, ctx.services.settings.public_url)
    return expand_invoice(session, body, fields, ctx.account_id, ctx.livemode)


@router.post("/v1/invoices", openapi_extra=documented(InvoiceOut, body=InvoiceCreate))
async def create(request: Request, ctx: Auth) -> dict[str, Any]:
    raw, stringly = await read_params(request)
    params = parse_model(InvoiceCreate, raw, stringly=stringly)
    fields = expansions(params.expand, INVOICE_EXPANDABLE)
    items = [
        NewItem(
            description=li.description,
            unit_amount=li.amount,
            currency=li.currency,
            quantity=li.quantity,
            tax_rates=rate_list(li.tax_rates),
            metadata=merge_metadata({}, li.metadata),
        )
        for li in params.line_items or []
    ]
    with ctx.unit_of_work() as session:
        invoice = create_invoice(
            session,
            account_id=ctx.account_id,
            livemode=ctx.livemode,
            customer_id=params.customer,
            currency=params.currency,
            due_date=params.due_date,
            description=params.description,
            items=items,
            tax_rates=rate_list(params.tax_rates),
            metadata=merge_metadata({}, params.metadata),
            now=ctx.services.clock(),
        )
        return render(session, ctx, invoice, fields)


@router.get("/v1/invoices/{invoice_id}", openapi_extra=documented(InvoiceOut, query=ExpandOnly))
async def retrieve(invoice_id: InvoiceId, request: Request, ctx: Auth) -> dict[str, Any]:
    raw, _ = await read_params(request)
    fields = expansions(parse_model(ExpandOnly, raw, stringly=True).expand, INVOICE_EXPANDABLE)
    with ctx.services.sessions() as session:
        invoice = get_invoice(session, ctx.account_id, ctx.livemode, invoice_id)
        return render(session, ctx, invoice, fields)


@router.post("/v1/invoices/{invoice_id}", openapi_extra=documented(InvoiceOut, body=InvoiceUpdate))
async def update(invoice_id: InvoiceId, request: Request, ctx: Auth) -> dict[str, Any]:
    raw, stringly = await read_params(request)
    params = parse_model(InvoiceUpdate, raw, stringly=stringly)
    fields = expansions(params.expand, INVOICE_EXPANDABLE)
    given = params.model_fields_set
    changes: dict[str, Any] = {}
    if "due_date" in given:
        changes["due_date"] = params.due_date if params.due_date != "" else None
    if "description" in given:
        changes["description"] = params.description or None
    if "tax_rates" in given:
        changes["tax_rates"] = rate_list(params.tax_rates)
    with ctx.unit_of_work() as session:
        invoice = get_invoice(session, ctx.account_id, ctx.livemode, invoice_id, for_update=True)
        if "metadata" in given:
            changes["metadata"] = merge_metadata(invoice.metadata_, params.metadata)
        update_invoice(session, invoice, **changes)
        return render(session, ctx, invoice, fields)


@router.delete("/v1/invoices/{invoice_id}", openapi_extra=documented(DeletedOut))
def delete(invoice_id: InvoiceId, ctx: Auth) -> dict[str, Any]:
    with ctx.unit_of_work() as session:
        invoice = get_invoice(session, ctx.account_id, ctx.livemode, invoice_id, for_update=True)
        delete_invoice(session, invoice)
    return deleted_json(invoice_id, "invoice")


@router.get("/v1/invoices", openapi_extra=documented(list_of(InvoiceOut), query=InvoiceList))
async def list_invoices(request: Request, ctx: Auth) -> dict[str, Any]:
    raw, _ = await read_params(request)
    params = parse_model(InvoiceList, raw, stringly=True)
    fields = expansions(params.expand, INVOICE_EXPANDABLE, is_list=True)
    stmt = select_scoped(Invoice, ctx.account_id, ctx.livemode)
    if params.customer:
        stmt = stmt.where(Invoice.customer_id == params.customer)
    if params.status:
        stmt = stmt.where(Invoice.status == params.status)
    stmt = apply_range(stmt, Invoice.due_date, params.due_date)
    stmt = apply_range(stmt, Invoice.created, params.created)
    with ctx.services.sessions() as session:
        return paginate(
            session,
            stmt,
            id_col=Invoice.id,
            sort_col=Invoice.created,
            params=params,
            url="/v1/invoices",
            render=lambda inv: render(session, ctx, inv, fields),
        )


Action = Callable[[Session, Invoice, int], object]


async def _act(
    invoice_id: str, request: Request, ctx: Auth, action: Action, model: type[ExpandOnly]
) -> tuple[dict[str, Any], ExpandOnly]:
    raw, stringly = await read_params(request)
    params = parse_model(model, raw, stringly=stringly)
    fields = expansions(params.expand, INVOICE_EXPANDABLE)
    with ctx.unit_of_work() as session:
        invoice = get_invoice(session, ctx.account_id, ctx.livemode, invoice_id, for_update=True)
        action(session, invoice, ctx.services.clock())
        return render(session, ctx, invoice, fields), params


@router.post(
    "/v1/invoices/{invoice_id}/finalize", openapi_extra=documented(InvoiceOut, body=ExpandOnly)
)
async def finalize(invoice_id: InvoiceId, request: Request, ctx: Auth) -> dict[str, Any]:
    def run(session: Session, invoice: Invoice, now: int) -> object:
        return finalize_invoice(session, invoice, now=now)

    body, _ = await _act(invoice_id, request, ctx, run, ExpandOnly)
    return body


@router.post(
    "/v1/invoices/{invoice_id}/void", openapi_extra=documented(InvoiceOut, body=ExpandOnly)
)
async def void(invoice_id: InvoiceId, request: Request, ctx: Auth) -> dict[str, Any]:
    def run(session: Session, invoice: Invoice, now: int) -> object:
        return void_invoice(session, invoice, now=now)

    body, _ = await _act(invoice_id, request, ctx, run, ExpandOnly)
    return body


@router.post(
    "/v1/invoices/{invoice_id}/mark_uncollectible",
    openapi_extra=documented(InvoiceOut, body=ExpandOnly),
)
async def uncollectible(invoice_id: InvoiceId, request: Request, ctx: Auth) -> dict[str, Any]:
    def run(session: Session, invoice: Invoice, now: int) -> object:
        return mark_uncollectible(session, invoice, now=now)

    body, _ = await _act(invoice_id, request, ctx, run, ExpandOnly)
    return body


@router.post("/v1/invoices/{invoice_id}/pay", openapi_extra=documented(InvoiceOut, body=PayParams))
async def pay(invoice_id: InvoiceId, request: Request, ctx: Auth) -> dict[str, Any]:
    raw, stringly = await read_params(request)
    params = parse_model(PayParams, raw, stringly=stringly)
    if ctx.livemode and not params.paid_out_of_band:
        raise ApiError(
            402,
            "Live-mode card payments are not available yet: no payment processor is connected. "
            "Record a payment made elsewhere with paid_out_of_band=true.",
            type_="card_error",
            code="payment_method_unavailable",
        )

    def run(session: Session, invoice: Invoice, now: int) -> object:
        return pay_invoice(
            session, invoice, now=now, source="api", out_of_band=params.paid_out_of_band
        )

    body, _ = await _act(invoice_id, request, ctx, run, PayParams)
    return body


@router.post(
    "/v1/invoices/{invoice_id}/send", openapi_extra=documented(InvoiceOut, body=ExpandOnly)
)
async def send(invoice_id: InvoiceId, request: Request, ctx: Auth) -> dict[str, Any]:
    """Queues the mail in the invoice's transaction; the notify worker delivers it after commit."""
    services = ctx.services

    def run(session: Session, invoice: Invoice, now: int) -> object:
        return send_invoice(
            session, invoice, blobs=services.blobs, public_url=services.settings.public_url, now=now
        )

    body, _ = await _act(invoice_id, request, ctx, run, ExpandOnly)
    return body
