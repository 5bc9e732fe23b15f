"""Invoices: creation from items, draft edits, totals, finalization, void and uncollectible.

The results stage, the review approval and the HTTP API all bill through these functions, so the
rules (one currency, draft-only edits, the state machine, totals after every change) live here.
Payments are in billing/payments.py, items' own CRUD in billing/invoice_items.py.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from billing.invoice_states import check_editable, check_transition
from billing.money import Line, PrintedFigures, compute_totals
from billing.tax_rates import check_rate_ids, rates_by_id
from models import events
from models.customers import Customer
from models.errors import InvalidRequest
from models.events import EventType
from models.ids import new_id
from models.invoices import Invoice, InvoiceItem
from models.scoped import get_scoped
from models.unit_of_work import current

MAX_LINES = 250


@dataclass(frozen=True)
class DocumentSource:
    """The forwarded document an invoice mirrors: its issuer, number and printed figures."""

    vendor: str | None
    reference: str | None
    figures: PrintedFigures


@dataclass(frozen=True)
class NewItem:
    description: str
    unit_amount: int
    currency: str
    quantity: int = 1
    tax_rates: Sequence[str] = field(default_factory=tuple)
    metadata: dict[str, str] | None = None


def create_invoice(
    session: Session,
    *,
    account_id: str,
    livemode: bool,
    customer_id: str,
    currency: str | None,
    due_date: int | None,
    description: str | None,
    items: Sequence[NewItem],
    tax_rates: Sequence[str] = (),
    metadata: dict[str, str] | None = None,
    now: int,
    alias_invoice_id: str | None = None,
    document: DocumentSource | None = None,
) -> Invoice:
    """A draft invoice with its items; every item must share the invoice's one currency."""
    _check_customer(session, account_id, livemode, customer_id)
    currency = currency.lower() if currency else None
    for index, item in enumerate(items):
        if currency is None:
            currency = item.currency.lower()
        elif item.currency.lower() != currency:
            raise _currency_mismatch(item.currency, currency, f"line_items[{index}][currency]")
    if len(items) > MAX_LINES:
        raise InvalidRequest(f"An invoice can have at most {MAX_LINES} lines.", param="line_items")
    invoice = Invoice(
        id=new_id("inv"),
        account_id=account_id,
        livemode=livemode,
        customer_id=customer_id,
        alias_invoice_id=alias_invoice_id,
        status="draft",
        currency=currency,
        due_date=due_date,
        description=description,
        tax_rates=check_rate_ids(session, account_id, livemode, tax_rates, "tax_rates"),
        metadata_=dict(metadata or {}),
        paid_out_of_band=False,
        amount_paid=0,
        created=now,
    )
    if document is not None:
        invoice.vendor = document.vendor[:300] if document.vendor else None
        invoice.vendor_reference = document.reference[:200] if document.reference else None
        invoice.printed_tax = document.figures.tax
        invoice.printed_tax_inclusive = document.figures.tax_inclusive
        invoice.prepaid_amount = document.figures.prepaid
        invoice.rounding_amount = document.figures.rounding
    session.add(invoice)
    session.flush()
    for index, item in enumerate(items):
        rates = check_rate_ids(
            session, account_id, livemode, item.tax_rates, f"line_items[{index}][tax_rates]"
        )
        session.add(_item_row(invoice, item, rates, now, index))
    session.flush()
    recompute_totals(session, invoice)
    emit_invoice(session, invoice, EventType.INVOICE_CREATED)
    return invoice


def emit_invoice(session: Session, invoice: Invoice, event_type: EventType) -> None:
    """The invoice's event, in the transaction of its change (the caller's unit of work)."""
    obj = invoice_json(session, invoice, current(session).public_url)
    events.emit(session, event_type, obj, account_id=invoice.account_id, livemode=invoice.livemode)


def _check_customer(session: Session, account_id: str, livemode: bool, customer_id: str) -> None:
    found = session.scalar(
        select(Customer.id).where(
            Customer.id == customer_id,
            Customer.account_id == account_id,
            Customer.livemode == livemode,
            Customer.deleted_at.is_(None),
        )
    )
    if found is None:
        raise InvalidRequest(
            f"No such customer: '{customer_id}'", code="resource_missing", param="customer"
        )


def _currency_mismatch(got: str, expected: str, param: str) -> InvalidRequest:
    return InvalidRequest(
        f"All items of an invoice must share one currency: this invoice is in {expected}, "
        f"the item is in {got.lower()}.",
        code="currency_mismatch",
        param=param,
    )


def _item_row(
    invoice: Invoice, item: NewItem, rates: list[str], now: int, position: int
) -> InvoiceItem:
    return InvoiceItem(
        position=position,
        id=new_id("ii"),
        account_id=invoice.account_id,
        livemode=invoice.livemode,
        invoice_id=invoice.id,
        description=item.description,
        currency=item.currency.lower(),
        quantity=item.quantity,
        unit_amount=item.unit_amount,
        amount=item.unit_amount * item.quantity,
        tax_rates=rates,
        metadata_=dict(item.metadata or {}),
        created=now,
    )


def get_invoice(
    session: Session, account_id: str, livemode: bool, invoice_id: str, *, for_update: bool = False
) -> Invoice:
    """One invoice of the caller; `for_update` locks the row so transitions cannot race."""
    return get_scoped(
        session, Invoice, "invoice", invoice_id, account_id, livemode, for_update=for_update
    )


def items_of(session: Session, invoice_id: str) -> list[InvoiceItem]:
    stmt = select(InvoiceItem).where(InvoiceItem.invoice_id == invoice_id)
    return list(session.scalars(stmt.order_by(InvoiceItem.position, InvoiceItem.id)))


def effective_rates(invoice: Invoice, item: InvoiceItem) -> list[str]:
    """An item's own tax rates, else the invoice's (Stripe's default_tax_rates behaviour)."""
    return list(item.tax_rates) or list(invoice.tax_rates)


def recompute_totals(session: Session, invoice: Invoice) -> None:
    """Totals are derived, never edited: call after every change to items or tax rates."""
    items = items_of(session, invoice.id)
    rate_ids = {r for item in items for r in effective_rates(invoice, item)}
    rates = rates_by_id(session, rate_ids)
    totals = compute_totals(
        (
            Line(
                item.unit_amount,
                item.quantity,
                tuple(rates[r] for r in effective_rates(invoice, item)),
            )
            for item in items
        ),
        amount_paid=invoice.amount_paid or 0,
        printed=printed_figures(invoice),
    )
    invoice.subtotal = totals.subtotal
    invoice.tax = totals.tax
    invoice.total = totals.total
    invoice.amount_due = totals.amount_due
    invoice.amount_remaining = totals.amount_remaining
    session.flush()


def printed_figures(invoice: Invoice) -> PrintedFigures | None:
    if invoice.alias_invoice_id is None:
        return None
    return PrintedFigures(
        tax=invoice.printed_tax,
        tax_inclusive=bool(invoice.printed_tax_inclusive),
        prepaid=invoice.prepaid_amount or 0,
        rounding=invoice.rounding_amount or 0,
    )


def add_items(
    session: Session, invoice: Invoice, items: Sequence[NewItem], *, now: int
) -> list[InvoiceItem]:
    """New lines on a draft; the first line of a currency-less invoice sets its currency."""
    check_editable(invoice.id, invoice.status)
    existing = items_of(session, invoice.id)
    if len(existing) + len(items) > MAX_LINES:
        raise InvalidRequest(f"An invoice can have at most {MAX_LINES} lines.", param="invoice")
    rows = []
    next_position = max((i.position for i in existing), default=-1) + 1
    for offset, item in enumerate(items):
        if invoice.currency is None:
            invoice.currency = item.currency.lower()
        elif item.currency.lower() != invoice.currency:
            raise _currency_mismatch(item.currency, invoice.currency, "currency")
        rates = check_rate_ids(
            session, invoice.account_id, invoice.livemode, item.tax_rates, "tax_rates"
        )
        row = _item_row(invoice, item, rates, now, next_position + offset)
        session.add(row)
        rows.append(row)
    session.flush()
    recompute_totals(session, invoice)
    return rows


_UNSET: Any = object()


def update_invoice(
    session: Session,
    invoice: Invoice,
    *,
    due_date: int | None = _UNSET,
    description: str | None = _UNSET,
    tax_rates: Sequence[str] = _UNSET,
    metadata: dict[str, str] = _UNSET,
) -> Invoice:
    """Draft-only edits; arguments left out keep their value."""
    check_editable(invoice.id, invoice.status)
    if due_date is not _UNSET:
        invoice.due_date = due_date
    if description is not _UNSET:
        invoice.description = description
    if metadata is not _UNSET:
        invoice.metadata_ = dict(metadata)
    if tax_rates is not _UNSET:
        invoice.tax_rates = check_rate_ids(
            session, invoice.account_id, invoice.livemode, tax_rates, "tax_rates"
        )
    recompute_totals(session, invoice)
    return invoice


def delete_invoice(session: Session, invoice: Invoice) -> None:
    check_transition("delete", invoice.id, invoice.status)
    session.execute(delete(InvoiceItem).where(InvoiceItem.invoice_id == invoice.id))
    session.delete(invoice)
    session.flush()


def finalize_invoice(session: Session, invoice: Invoice, *, now: int) -> Invoice:
    """draft -> open: the money is locked; the PDF is rendered on first use (billing/invoice_pdf)
    from the locked data, so every caller gets the same document without a blob store here."""
    target = check_transition("finalize", invoice.id, invoice.status)
    items = items_of(session, invoice.id)
    if not items:
        raise InvalidRequest(
            f"Invoice {invoice.id} has no line items; add at least one before finalizing.",
            code="invoice_no_line_items",
        )
    recompute_totals(session, invoice)
    if invoice.total < 0:
        raise InvalidRequest(
            f"Invoice {invoice.id} totals {invoice.total}; a negative invoice cannot be finalized.",
            code="invoice_total_negative",
        )
    assert target is not None
    invoice.status = target
    invoice.finalized_at = now
    session.flush()
    emit_invoice(session, invoice, EventType.INVOICE_FINALIZED)
    return invoice


def void_invoice(session: Session, invoice: Invoice, *, now: int) -> Invoice:
    invoice.status = check_transition("void", invoice.id, invoice.status) or invoice.status
    invoice.voided_at = now
    session.flush()
    emit_invoice(session, invoice, EventType.INVOICE_VOIDED)
    return invoice


def mark_uncollectible(session: Session, invoice: Invoice, *, now: int) -> Invoice:
    target = check_transition("mark_uncollectible", invoice.id, invoice.status)
    invoice.status = target or invoice.status
    invoice.marked_uncollectible_at = now
    session.flush()
    emit_invoice(session, invoice, EventType.INVOICE_MARKED_UNCOLLECTIBLE)
    return invoice


def hosted_invoice_url(public_url: str, invoice: Invoice) -> str | None:
    """The pay page; the invoice id (24 random base62 characters) is the capability."""
    return f"{public_url}/i/{invoice.id}" if invoice.finalized_at else None


def pdf_url(public_url: str, invoice: Invoice) -> str | None:
    return f"{public_url}/i/{invoice.id}/pdf" if invoice.finalized_at else None


def item_json(item: InvoiceItem) -> dict[str, Any]:
    return {
        "id": item.id,
        "object": "invoice_item",
        "invoice": item.invoice_id,
        "description": item.description,
        "amount": item.amount,
        "currency": item.currency,
        "quantity": item.quantity,
        "unit_amount": item.unit_amount,
        "tax_rates": list(item.tax_rates),
        "metadata": item.metadata_,
        "created": item.created,
        "livemode": item.livemode,
    }


def items_for(session: Session, invoice_ids: Sequence[str]) -> dict[str, list[InvoiceItem]]:
    """The items of several invoices in one statement (a list page renders without N+1)."""
    grouped: dict[str, list[InvoiceItem]] = {i: [] for i in invoice_ids}
    if not invoice_ids:
        return grouped
    stmt = select(InvoiceItem).where(InvoiceItem.invoice_id.in_(invoice_ids))
    for item in session.scalars(stmt.order_by(InvoiceItem.position, InvoiceItem.id)):
        grouped[item.invoice_id].append(item)
    return grouped


def invoice_json(
    session: Session,
    invoice: Invoice,
    public_url: str,
    *,
    items: Sequence[InvoiceItem] | None = None,
) -> dict[str, Any]:
    if items is None:
        items = items_of(session, invoice.id)
    return {
        "id": invoice.id,
        "object": "invoice",
        "customer": invoice.customer_id,
        "status": invoice.status,
        "amount_due": invoice.amount_due,
        "amount_paid": invoice.amount_paid,
        "amount_remaining": invoice.amount_remaining,
        "currency": invoice.currency,
        "due_date": invoice.due_date,
        "line_items": [item_json(i) for i in items],
        "subtotal": invoice.subtotal,
        "subtotal_excluding_tax": invoice.subtotal - _included_tax(invoice),
        "tax": invoice.tax,
        "total": invoice.total,
        "total_excluding_tax": invoice.total - invoice.tax,
        "vendor": invoice.vendor,
        "vendor_reference": invoice.vendor_reference,
        "prepaid_amount": invoice.prepaid_amount or 0,
        "rounding_amount": invoice.rounding_amount or 0,
        "tax_rates": list(invoice.tax_rates),
        "description": invoice.description,
        "pdf_url": pdf_url(public_url, invoice),
        "hosted_invoice_url": hosted_invoice_url(public_url, invoice),
        "payment_intent": invoice.payment_intent,
        "paid_out_of_band": invoice.paid_out_of_band,
        # Stripe's fields, constant here: the tenant pays through a link, nothing auto-finalizes.
        "collection_method": "send_invoice",
        "auto_advance": False,
        "alias_invoice": invoice.alias_invoice_id,
        "metadata": invoice.metadata_,
        "finalized_at": invoice.finalized_at,
        "paid_at": invoice.paid_at,
        "status_transitions": {
            "finalized_at": invoice.finalized_at,
            "paid_at": invoice.paid_at,
            "voided_at": invoice.voided_at,
            "marked_uncollectible_at": invoice.marked_uncollectible_at,
        },
        "created": invoice.created,
        "livemode": invoice.livemode,
    }


def _included_tax(invoice: Invoice) -> int:
    """Tax already inside the lines (inclusive rates or a document's inclusive tax)."""
    return invoice.tax - (invoice.total - invoice.subtotal)
