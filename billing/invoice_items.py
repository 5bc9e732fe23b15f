"""Invoice items (ii_) on their own: read, change and remove lines of a draft invoice.

Every change recomputes the parent's totals in the same transaction, so the invoice a client
reads next is always right.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from billing.invoice_states import check_editable
from billing.invoices import _UNSET, recompute_totals
from billing.tax_rates import check_rate_ids
from models.errors import InvalidRequest
from models.invoices import Invoice, InvoiceItem
from models.scoped import get_scoped


def get_item(session: Session, account_id: str, livemode: bool, item_id: str) -> InvoiceItem:
    return get_scoped(session, InvoiceItem, "invoice_item", item_id, account_id, livemode)


def parent_for_update(session: Session, item: InvoiceItem) -> Invoice:
    """The item's invoice, locked: item edits and finalize serialise on the invoice row."""
    invoice = session.scalar(select(Invoice).where(Invoice.id == item.invoice_id).with_for_update())
    assert invoice is not None  # foreign key
    return invoice


def update_item(
    session: Session,
    item: InvoiceItem,
    *,
    description: str = _UNSET,
    unit_amount: int = _UNSET,
    quantity: int = _UNSET,
    currency: str = _UNSET,
    tax_rates: Sequence[str] = _UNSET,
    metadata: dict[str, str] = _UNSET,
) -> InvoiceItem:
    invoice = parent_for_update(session, item)
    check_editable(invoice.id, invoice.status)
    if currency is not _UNSET and currency.lower() != (invoice.currency or currency.lower()):
        others = [
            i
            for i in session.scalars(
                select(InvoiceItem.id).where(InvoiceItem.invoice_id == invoice.id)
            )
            if i != item.id
        ]
        if others:
            raise InvalidRequest(
                f"All items of an invoice must share one currency: this invoice is in "
                f"{invoice.currency}, the item is in {currency.lower()}.",
                code="currency_mismatch",
                param="currency",
            )
        invoice.currency = currency.lower()
    if currency is not _UNSET:
        item.currency = currency.lower()
    if description is not _UNSET:
        item.description = description
    if unit_amount is not _UNSET:
        item.unit_amount = unit_amount
    if quantity is not _UNSET:
        item.quantity = quantity
    item.amount = item.unit_amount * item.quantity
    if tax_rates is not _UNSET:
        item.tax_rates = check_rate_ids(
            session, item.account_id, item.livemode, tax_rates, "tax_rates"
        )
    if metadata is not _UNSET:
        item.metadata_ = dict(metadata)
    session.flush()
    recompute_totals(session, invoice)
    return item


def delete_item(session: Session, item: InvoiceItem) -> None:
    invoice = parent_for_update(session, item)
    check_editable(invoice.id, invoice.status)
    session.delete(item)
    session.flush()
    recompute_totals(session, invoice)


def deleted_json(object_id: str, kind: str) -> dict[str, Any]:
    return {"id": object_id, "object": kind, "deleted": True}
