"""/v1/invoice_items: lines of draft invoices, one at a time; the parent's totals follow."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from pydantic import BaseModel, ConfigDict

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
from api.billing_schemas import DeletedOut, InvoiceItemOut, documented, list_of
from api.context import Auth
from api.expand import expansions
from api.lists import ListParams, paginate
from api.metadata import MetadataParam, merge_metadata
from api.params import parse_model, read_params
from billing.invoice_items import delete_item, deleted_json, get_item, update_item
from billing.invoices import NewItem, add_items, get_invoice, item_json
from models.invoices import InvoiceItem
from models.scoped import select_scoped

router = APIRouter(tags=["invoice_items"])

ItemId = Annotated[str, Path(pattern=r"^[A-Za-z0-9_]{1,64}$")]
NOTHING: frozenset[str] = frozenset()


class ItemCreate(BaseModel):
    """`amount` is the price of one unit; the item's amount is amount x quantity."""

    model_config = ConfigDict(extra="forbid")

    invoice: ObjectId
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


@router.post("/v1/invoice_items", openapi_extra=documented(InvoiceItemOut, body=ItemCreate))
async def create(request: Request, ctx: Auth) -> dict[str, Any]:
    raw, stringly = await read_params(request)
    params = parse_model(ItemCreate, raw, stringly=stringly)
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
        (row,) = add_items(session, invoice, [item], now=ctx.services.clock())
        return item_json(row)


@router.get(
    "/v1/invoice_items/{item_id}", openapi_extra=documented(InvoiceItemOut, query=ExpandOnly)
)
async def retrieve(item_id: ItemId, request: Request, ctx: Auth) -> dict[str, Any]:
    raw, _ = await read_params(request)
    expansions(parse_model(ExpandOnly, raw, stringly=True).expand, NOTHING)
    with ctx.services.sessions() as session:
        return item_json(get_item(session, ctx.account_id, ctx.livemode, item_id))


@router.post(
    "/v1/invoice_items/{item_id}", openapi_extra=documented(InvoiceItemOut, body=ItemUpdate)
)
async def update(item_id: ItemId, request: Request, ctx: Auth) -> dict[str, Any]:
    raw, stringly = await read_params(request)
    params = parse_model(ItemUpdate, raw, stringly=stringly)
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


@router.delete("/v1/invoice_items/{item_id}", openapi_extra=documented(DeletedOut))
def delete(item_id: ItemId, ctx: Auth) -> dict[str, Any]:
    with ctx.unit_of_work() as session:
        delete_item(session, get_item(session, ctx.account_id, ctx.livemode, item_id))
    return deleted_json(item_id, "invoice_item")


@router.get("/v1/invoice_items", openapi_extra=documented(list_of(InvoiceItemOut), query=ItemList))
async def list_items(request: Request, ctx: Auth) -> dict[str, Any]:
    raw, _ = await read_params(request)
    params = parse_model(ItemList, raw, stringly=True)
    expansions(params.expand, NOTHING, is_list=True)
    stmt = select_scoped(InvoiceItem, ctx.account_id, ctx.livemode)
    if params.invoice:
        stmt = stmt.where(InvoiceItem.invoice_id == params.invoice)
    with ctx.services.sessions() as session:
        return paginate(
            session,
            stmt,
            id_col=InvoiceItem.id,
            sort_col=InvoiceItem.created,
            params=params,
            url="/v1/invoice_items",
            render=item_json,
        )
