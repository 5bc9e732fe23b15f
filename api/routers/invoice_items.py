"""/v1/invoice_items: lines of draft invoices, one at a time; the parent's totals follow.

Stripe's SDKs call the same resource `/v1/invoiceitems`; both paths serve it (the seed's path is
the documented one). Stripe requires `customer` on create: accepted, and it must be the invoice's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Path
from pydantic import BaseModel, ConfigDict
from sqlalchemy import select

from api import schemas
from api.billing_params import (
    Amount,
    Currency,
    Description,
    ExpandOnly,
    ObjectId,
    Quantity,
    TaxRateIds,
    rate_list,
)
from api.context import Auth
from api.errors import ApiError
from api.expand import expansions
from api.lists import ListParams, page_query, paginate
from api.metadata import MetadataParam, merge_metadata
from api.one_hop import OneHopRoute
from api.openapi import openapi_body, openapi_query
from api.params import Params
from billing.invoice_items import delete_item, deleted_json, get_item, update_item
from billing.invoices import NewItem, add_items, get_invoice, item_json
from models.invoices import Invoice, InvoiceItem
from models.scoped import select_scoped

router = APIRouter(tags=["invoice_items"], route_class=OneHopRoute)

ItemId = Annotated[str, Path(pattern=r"^[A-Za-z0-9_]{1,64}$")]
NOTHING: frozenset[str] = frozenset()
PATHS = ("/v1/invoice_items", "/v1/invoiceitems")


class ItemCreate(BaseModel):
    """`amount` is the price of one unit; the item's amount is amount x quantity."""

    model_config = ConfigDict(extra="forbid")

    invoice: ObjectId
    customer: ObjectId | None = None
    description: Description
    amount: Amount
    currency: Currency
    quantity: Quantity = 1
    tax_rates: TaxRateIds | None = None
    metadata: MetadataParam = None
    expand: list[str] | None = None


class ItemUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    description: Description | None = None
    amount: Amount | None = None
    currency: Currency | None = None
    quantity: Quantity | None = None
    tax_rates: TaxRateIds | None = None
    metadata: MetadataParam = None
    expand: list[str] | None = None


class ItemList(ListParams):
    invoice: ObjectId | None = None
    customer: ObjectId | None = None
    # Stripe's "not yet on an invoice": every item here belongs to one, so none is pending.
    pending: bool | None = None


def _route(method: str, suffix: str, **kwargs: Any) -> Callable[[Any], Any]:
    """Register a handler under the seed's path (documented) and Stripe's (an alias)."""

    def register(handler: Any) -> Any:
        for n, base in enumerate(PATHS):
            router.api_route(base + suffix, methods=[method], include_in_schema=n == 0, **kwargs)(
                handler
            )
        return handler

    return register


@_route("POST", "", response_model=schemas.InvoiceItem, openapi_extra=openapi_body(ItemCreate))
def create(ctx: Auth, params: Annotated[ItemCreate, Params(ItemCreate)]) -> dict[str, Any]:
    expansions(params.expand, NOTHING)
    item = NewItem(
        description=params.description,
        unit_amount=params.amount,
        currency=params.currency,
        quantity=params.quantity,
        tax_rates=rate_list(params.tax_rates),
        metadata=merge_metadata({}, params.metadata),
    )
    with ctx.unit_of_work() as session:
        invoice = get_invoice(
            session, ctx.account_id, ctx.livemode, params.invoice, for_update=True
        )
        if params.customer is not None and params.customer != invoice.customer_id:
            raise ApiError(
                400,
                f"Invoice {invoice.id} belongs to customer {invoice.customer_id}, "
                f"not {params.customer}.",
                code="parameter_invalid",
                param="customer",
            )
        (row,) = add_items(session, invoice, [item], now=ctx.services.clock())
        return item_json(row)


@_route(
    "GET",
    "/{item_id}",
    response_model=schemas.InvoiceItem,
    openapi_extra=openapi_query(ExpandOnly),
)
def retrieve(
    item_id: ItemId, ctx: Auth, params: Annotated[ExpandOnly, Params(ExpandOnly)]
) -> dict[str, Any]:
    expansions(params.expand, NOTHING)
    return item_json(get_item(ctx.session, ctx.account_id, ctx.livemode, item_id))


@_route(
    "POST",
    "/{item_id}",
    response_model=schemas.InvoiceItem,
    openapi_extra=openapi_body(ItemUpdate),
)
def update(
    item_id: ItemId, ctx: Auth, params: Annotated[ItemUpdate, Params(ItemUpdate)]
) -> dict[str, Any]:
    expansions(params.expand, NOTHING)
    changes: dict[str, Any] = {}
    for name in ("description", "currency", "quantity"):
        if name in params.model_fields_set and getattr(params, name) is not None:
            changes[name] = getattr(params, name)
    if params.amount is not None:
        changes["unit_amount"] = params.amount
    if "tax_rates" in params.model_fields_set:
        changes["tax_rates"] = rate_list(params.tax_rates)
    with ctx.unit_of_work() as session:
        item = get_item(session, ctx.account_id, ctx.livemode, item_id)
        if "metadata" in params.model_fields_set:
            changes["metadata"] = merge_metadata(item.metadata_, params.metadata)
        update_item(session, item, **changes)
        return item_json(item)


@_route("DELETE", "/{item_id}", response_model=schemas.Deleted)
def delete(item_id: ItemId, ctx: Auth) -> dict[str, Any]:
    with ctx.unit_of_work() as session:
        delete_item(session, get_item(session, ctx.account_id, ctx.livemode, item_id))
    return deleted_json(item_id, "invoice_item")


@_route(
    "GET",
    "",
    response_model=schemas.list_of(schemas.InvoiceItem),
    openapi_extra=openapi_query(ItemList),
)
def list_items(ctx: Auth, params: Annotated[ItemList, Params(ItemList)]) -> dict[str, Any]:
    expansions(params.expand, NOTHING, is_list=True)
    stmt = select_scoped(InvoiceItem, ctx.account_id, ctx.livemode)
    if params.invoice:
        stmt = stmt.where(InvoiceItem.invoice_id == params.invoice)
    if params.customer:
        of_customer = select(Invoice.id).where(Invoice.customer_id == params.customer)
        stmt = stmt.where(InvoiceItem.invoice_id.in_(of_customer))
    if params.pending:
        stmt = stmt.where(InvoiceItem.id.is_(None))
    return paginate(
        ctx.session,
        page_query(
            stmt,
            id_col=InvoiceItem.id,
            sort_col=InvoiceItem.created,
            params=params,
            url="/v1/invoice_items",
            owner=(ctx.account_id, ctx.livemode),
        ),
        item_json,
    )
