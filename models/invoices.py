"""Invoices, their items and tax rates (the billing aggregate)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from models.db import Base


class Invoice(Base):
    __tablename__ = "invoices"
    # Lists go newest first by (created, id), filtered by account, customer or status.
    __table_args__ = (
        Index("ix_invoices_account_created", "account_id", "livemode", "created", "id"),
        Index("ix_invoices_customer_created", "customer_id", "created", "id"),
        Index("ix_invoices_status_created", "account_id", "livemode", "status", "created", "id"),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"))
    livemode: Mapped[bool] = mapped_column(Boolean)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"))
    # Set when the invoice was made from a forwarded PDF; unique, so routing twice bills once.
    alias_invoice_id: Mapped[str | None] = mapped_column(
        ForeignKey("alias_invoices.id"), unique=True, nullable=True
    )
    status: Mapped[str] = mapped_column(String(16))
    currency: Mapped[str | None] = mapped_column(String(3), nullable=True)
    due_date: Mapped[int | None] = mapped_column(BigInteger, nullable=True, index=True)
    description: Mapped[str | None] = mapped_column(Text, nullable=True)
    tax_rates: Mapped[list[Any]] = mapped_column(default=list)
    subtotal: Mapped[int] = mapped_column(BigInteger, default=0)
    tax: Mapped[int] = mapped_column(BigInteger, default=0)
    total: Mapped[int] = mapped_column(BigInteger, default=0)
    amount_due: Mapped[int] = mapped_column(BigInteger, default=0)
    amount_paid: Mapped[int] = mapped_column(BigInteger, default=0)
    amount_remaining: Mapped[int] = mapped_column(BigInteger, default=0)
    # Invoices made from a forwarded document mirror it: who issued it, their number, the tax
    # they printed (instead of tax rates), and a prepayment or rounding before the amount due.
    vendor: Mapped[str | None] = mapped_column(String(300), nullable=True)
    vendor_reference: Mapped[str | None] = mapped_column(String(200), nullable=True)
    printed_tax: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    printed_tax_inclusive: Mapped[bool] = mapped_column(Boolean, default=False)
    prepaid_amount: Mapped[int] = mapped_column(BigInteger, default=0)
    rounding_amount: Mapped[int] = mapped_column(BigInteger, default=0)
    pdf_blob_key: Mapped[str | None] = mapped_column(String(300), nullable=True)
    payment_intent: Mapped[str | None] = mapped_column(String(40), nullable=True)
    # Paid outside CasaPay (bank transfer, cash): marked paid by the integrator, no pi_ recorded.
    paid_out_of_band: Mapped[bool] = mapped_column(Boolean, default=False)
    metadata_: Mapped[dict[str, Any]] = mapped_column("metadata", default=dict)
    finalized_at: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    paid_at: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    voided_at: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    marked_uncollectible_at: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    created: Mapped[int] = mapped_column(BigInteger, index=True)


class InvoiceItem(Base):
    __tablename__ = "invoice_items"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), index=True)
    livemode: Mapped[bool] = mapped_column(Boolean)
    invoice_id: Mapped[str] = mapped_column(ForeignKey("invoices.id"), index=True)
    # Line number on the invoice: lines keep the order they were given in.
    position: Mapped[int] = mapped_column(Integer, default=0)
    description: Mapped[str] = mapped_column(Text)
    currency: Mapped[str] = mapped_column(String(3))
    quantity: Mapped[int] = mapped_column(Integer, default=1)
    unit_amount: Mapped[int] = mapped_column(BigInteger)
    amount: Mapped[int] = mapped_column(BigInteger)
    tax_rates: Mapped[list[Any]] = mapped_column(default=list)
    metadata_: Mapped[dict[str, Any]] = mapped_column("metadata", default=dict)
    created: Mapped[int] = mapped_column(BigInteger, index=True)


class TaxRate(Base):
    __tablename__ = "tax_rates"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), index=True)
    livemode: Mapped[bool] = mapped_column(Boolean)
    display_name: Mapped[str] = mapped_column(String(100))
    percentage: Mapped[float] = mapped_column(Float)
    inclusive: Mapped[bool] = mapped_column(Boolean)
    jurisdiction: Mapped[str | None] = mapped_column(String(100), nullable=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    metadata_: Mapped[dict[str, Any]] = mapped_column("metadata", default=dict)
    created: Mapped[int] = mapped_column(BigInteger, index=True)


class InvoiceReminder(Base):
    """One step of an invoice's reminder schedule, done once: sent, or skipped (too late, paid,
    no address). The unique pair is what makes a reminder happen once even if workers race."""

    __tablename__ = "invoice_reminders"
    __table_args__ = (UniqueConstraint("invoice_id", "offset_days"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    invoice_id: Mapped[str] = mapped_column(ForeignKey("invoices.id"), index=True)
    offset_days: Mapped[int] = mapped_column(Integer)  # -3 = three days before the due date
    status: Mapped[str] = mapped_column(String(16))  # sent | skipped
    notification_id: Mapped[str | None] = mapped_column(String(40), nullable=True)
    created: Mapped[int] = mapped_column(BigInteger)
