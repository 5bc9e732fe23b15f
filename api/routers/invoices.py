"""/v1/invoices: create, read, edit drafts, list, and move invoices through their states."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path
from pydantic import ConfigDict, Field
from sqlalchemy.orm import Session

from api import schemas
from api.billing_params import (
    Currency,
    Description,
    ExpandOnly,
    LineItemParams,
    ObjectId,
    StripeInvoiceOptions,
    TaxRateIds,
    Timestamp,
    check_stripe_options,
    due_date_from,
    rate_list,
    tax_rates_from,
)
from api.context import Auth, Ctx
from api.errors import ApiError
from api.expand import INVOICE_EXPANDABLE, expand_invoice, expansions
from api.lists import ListParams, RangeFilter, apply_range, page_query, paginate
from api.metadata import MetadataParam, merge_metadata
from api.one_hop import OneHopRoute
from api.openapi import openapi_body, openapi_query
from api.params import Params
from billing.invoice_items import deleted_json
from billing.invoice_sending import send_invoice
from billing.invoices import (
    NewItem,
    create_invoice,
    delete_invoice,
    finalize_invoice,
    get_invoice,
    invoice_json,
    items_for,
    mark_uncollectible,
    update_invoice,
    void_invoice,
)
from billing.payments import pay_invoice
from models.invoices import Invoice, InvoiceItem
from models.scoped import select_scoped

router = APIRouter(tags=["invoices"], route_class=OneHopRoute)

InvoiceId = Annotated[str, Path(pattern=r"^[A-Za-z0-9_]{1,64}$")]


class InvoiceCreate(StripeInvoiceOptions):
    model_config = ConfigDict(extra="forbid")

    customer: ObjectId
    currency: Currency | None = None
    due_date: Timestamp | None = None
    description: Description | None = None
    line_items: Annotated[list[LineItemParams], Field(max_length=250)] | None = None
    tax_rates: TaxRateIds | None = None
    metadata: MetadataParam = None
    expand: list[str] | None = None


class InvoiceUpdate(StripeInvoiceOptions):
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


class FinalizeParams(ExpandOnly):
    auto_advance: bool | None = None


class PayParams(ExpandOnly):
    paid_out_of_band: bool = False


def render(
    session: Session,
    ctx: Ctx,
    invoice: Invoice,
    fields: frozenset[str],
    items: Sequence[InvoiceItem] | None = None,
) -> dict[str, Any]:
    body = invoice_json(session, invoice, ctx.services.settings.public_url, items=items)
    return expand_invoice(session, body, fields, ctx.account_id, ctx.livemode)


def _post(path: str, body: type[ExpandOnly] | type[StripeInvoiceOptions]) -> Any:
    return router.post(path, response_model=schemas.Invoice, openapi_extra=openapi_body(body))


@_post("/v1/invoices", InvoiceCreate)
def create(ctx: Auth, params: Annotated[InvoiceCreate, Params(InvoiceCreate)]) -> dict[str, Any]:
    check_stripe_options(params)
    fields = expansions(params.expand, INVOICE_EXPANDABLE)
    now = ctx.services.clock()
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
            due_date=due_date_from(params, params.due_date, now),
            description=params.description,
            items=items,
            tax_rates=rate_list(tax_rates_from(params, params.tax_rates)),
            metadata=merge_metadata({}, params.metadata),
            now=now,
        )
        return render(session, ctx, invoice, fields)


@router.get(
    "/v1/invoices/{invoice_id}",
    response_model=schemas.Invoice,
    openapi_extra=openapi_query(ExpandOnly),
)
def retrieve(
    invoice_id: InvoiceId, ctx: Auth, params: Annotated[ExpandOnly, Params(ExpandOnly)]
) -> dict[str, Any]:
    fields = expansions(params.expand, INVOICE_EXPANDABLE)
    invoice = get_invoice(ctx.session, ctx.account_id, ctx.livemode, invoice_id)
    return render(ctx.session, ctx, invoice, fields)


@_post("/v1/invoices/{invoice_id}", InvoiceUpdate)
def update(
    invoice_id: InvoiceId, ctx: Auth, params: Annotated[InvoiceUpdate, Params(InvoiceUpdate)]
) -> dict[str, Any]:
    check_stripe_options(params)
    fields = expansions(params.expand, INVOICE_EXPANDABLE)
    given = params.model_fields_set
    changes: dict[str, Any] = {}
    if "due_date" in given or "days_until_due" in given:
        due = params.due_date if params.due_date != "" else None
        changes["due_date"] = due_date_from(params, due, ctx.services.clock())
    if "description" in given:
        changes["description"] = params.description or None
    if "tax_rates" in given or "default_tax_rates" in given:
        changes["tax_rates"] = rate_list(tax_rates_from(params, params.tax_rates))
    with ctx.unit_of_work() as session:
        invoice = get_invoice(session, ctx.account_id, ctx.livemode, invoice_id, for_update=True)
        if "metadata" in given:
            changes["metadata"] = merge_metadata(invoice.metadata_, params.metadata)
        update_invoice(session, invoice, **changes)
        return render(session, ctx, invoice, fields)


@router.delete("/v1/invoices/{invoice_id}", response_model=schemas.Deleted)
def delete(invoice_id: InvoiceId, ctx: Auth) -> dict[str, Any]:
    with ctx.unit_of_work() as session:
        invoice = get_invoice(session, ctx.account_id, ctx.livemode, invoice_id, for_update=True)
        delete_invoice(session, invoice)
    return deleted_json(invoice_id, "invoice")


@router.get(
    "/v1/invoices",
    response_model=schemas.list_of(schemas.Invoice),
    openapi_extra=openapi_query(InvoiceList),
)
def list_invoices(ctx: Auth, params: Annotated[InvoiceList, Params(InvoiceList)]) -> dict[str, Any]:
    fields = expansions(params.expand, INVOICE_EXPANDABLE, is_list=True)
    stmt = select_scoped(Invoice, ctx.account_id, ctx.livemode)
    if params.customer:
        stmt = stmt.where(Invoice.customer_id == params.customer)
    if params.status:
        stmt = stmt.where(Invoice.status == params.status)
    stmt = apply_range(stmt, Invoice.due_date, params.due_date)
    stmt = apply_range(stmt, Invoice.created, params.created)
    page = paginate(
        ctx.session,
        page_query(
            stmt,
            id_col=Invoice.id,
            sort_col=Invoice.created,
            params=params,
            url="/v1/invoices",
            owner=(ctx.account_id, ctx.livemode),
        ),
        lambda inv: inv,
    )
    # The page's items in one more statement, not one per invoice.
    items = items_for(ctx.session, [inv.id for inv in page["data"]])
    page["data"] = [
        render(ctx.session, ctx, inv, fields, items.get(inv.id, [])) for inv in page["data"]
    ]
    return page


Action = Callable[[Session, Invoice, int], object]


def _act(invoice_id: str, ctx: Ctx, action: Action, params: ExpandOnly) -> dict[str, Any]:
    fields = expansions(params.expand, INVOICE_EXPANDABLE)
    with ctx.unit_of_work() as session:
        invoice = get_invoice(session, ctx.account_id, ctx.livemode, invoice_id, for_update=True)
        action(session, invoice, ctx.services.clock())
        return render(session, ctx, invoice, fields)


@_post("/v1/invoices/{invoice_id}/finalize", FinalizeParams)
def finalize(
    invoice_id: InvoiceId, ctx: Auth, params: Annotated[FinalizeParams, Params(FinalizeParams)]
) -> dict[str, Any]:
    check_stripe_options(StripeInvoiceOptions(auto_advance=params.auto_advance))

    def run(session: Session, invoice: Invoice, now: int) -> object:
        return finalize_invoice(session, invoice, now=now)

    return _act(invoice_id, ctx, run, params)


@_post("/v1/invoices/{invoice_id}/void", ExpandOnly)
def void(
    invoice_id: InvoiceId, ctx: Auth, params: Annotated[ExpandOnly, Params(ExpandOnly)]
) -> dict[str, Any]:
    def run(session: Session, invoice: Invoice, now: int) -> object:
        return void_invoice(session, invoice, now=now)

    return _act(invoice_id, ctx, run, params)


@_post("/v1/invoices/{invoice_id}/mark_uncollectible", ExpandOnly)
def uncollectible(
    invoice_id: InvoiceId, ctx: Auth, params: Annotated[ExpandOnly, Params(ExpandOnly)]
) -> dict[str, Any]:
    def run(session: Session, invoice: Invoice, now: int) -> object:
        return mark_uncollectible(session, invoice, now=now)

    return _act(invoice_id, ctx, run, params)


@_post("/v1/invoices/{invoice_id}/pay", PayParams)
def pay(
    invoice_id: InvoiceId, ctx: Auth, params: Annotated[PayParams, Params(PayParams)]
) -> dict[str, Any]:
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

    return _act(invoice_id, ctx, run, params)


@_post("/v1/invoices/{invoice_id}/send", ExpandOnly)
def send(
    invoice_id: InvoiceId, ctx: Auth, params: Annotated[ExpandOnly, Params(ExpandOnly)]
) -> dict[str, Any]:
    """Queues the mail in the invoice's transaction; the notify worker delivers it after commit."""
    services = ctx.services

    def run(session: Session, invoice: Invoice, now: int) -> object:
        return send_invoice(
            session, invoice, blobs=services.blobs, public_url=services.settings.public_url, now=now
        )

    return _act(invoice_id, ctx, run, params)
