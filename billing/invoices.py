"""Invoices: creation from items, totals, finalization.

A first slice for the pipeline (the results stage bills through it); the billing API issue
grows it into the full Stripe-grade invoice service.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.errors import InvalidRequest, InvalidTransition
from models.ids import new_id
from models.invoices import Invoice, InvoiceItem


@dataclass(frozen=True)
class NewItem:
    description: str
    unit_amount: int
    currency: str
    quantity: int = 1
    tax_rates: Sequence[str] = field(default_factory=tuple)


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
) -> Invoice:
    currencies = {item.currency for item in items} | ({currency} if currency else set())
    if len(currencies) > 1:
        raise InvalidRequest(
            f"All items of an invoice must share one currency; got {sorted(currencies)}.",
            param="line_items",
        )
    invoice = Invoice(
        id=new_id("inv"),
        account_id=account_id,
        livemode=livemode,
        customer_id=customer_id,
        alias_invoice_id=alias_invoice_id,
        status="draft",
        currency=next(iter(currencies), None),
        due_date=due_date,
        description=description,
        tax_rates=list(tax_rates),
        metadata_=dict(metadata or {}),
        created=now,
    )
    session.add(invoice)
    session.flush()
    for item in items:
        session.add(
            InvoiceItem(
                id=new_id("ii"),
                account_id=account_id,
                livemode=livemode,
                invoice_id=invoice.id,
                description=item.description,
                currency=item.currency,
                quantity=item.quantity,
                unit_amount=item.unit_amount,
                amount=item.unit_amount * item.quantity,
                tax_rates=list(item.tax_rates),
                created=now,
            )
        )
    session.flush()
    recompute_totals(session, invoice)
    return invoice


def items_of(session: Session, invoice_id: str) -> list[InvoiceItem]:
    stmt = select(InvoiceItem).where(InvoiceItem.invoice_id == invoice_id)
    return list(session.scalars(stmt.order_by(InvoiceItem.created, InvoiceItem.id)))


def recompute_totals(session: Session, invoice: Invoice) -> None:
    subtotal = sum(item.amount for item in items_of(session, invoice.id))
    invoice.subtotal = subtotal
    invoice.tax = 0
    invoice.total = subtotal
    invoice.amount_due = subtotal
    invoice.amount_remaining = invoice.amount_due - invoice.amount_paid


def finalize_invoice(session: Session, invoice: Invoice, *, now: int) -> Invoice:
    if invoice.status != "draft":
        raise InvalidTransition.build("finalize", "invoice", invoice.id, invoice.status, ("draft",))
    invoice.status = "open"
    invoice.finalized_at = now
    session.flush()
    return invoice


def invoice_json(session: Session, invoice: Invoice, public_url: str) -> dict[str, Any]:
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
        "line_items": [
            {
                "id": i.id,
                "description": i.description,
                "amount": i.amount,
                "currency": i.currency,
                "quantity": i.quantity,
            }
            for i in items
        ],
        "subtotal": invoice.subtotal,
        "tax": invoice.tax,
        "total": invoice.total,
        "description": invoice.description,
        "pdf_url": None,
        "hosted_invoice_url": f"{public_url}/i/{invoice.id}" if invoice.finalized_at else None,
        "payment_intent": invoice.payment_intent,
        "metadata": invoice.metadata_,
        "finalized_at": invoice.finalized_at,
        "paid_at": invoice.paid_at,
        "created": invoice.created,
        "livemode": invoice.livemode,
    }
