"""Inbound mail, the alias invoices it produces, and their extractions."""

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


class InboundMessage(Base):
    """One accepted SMTP message; the raw bytes live in the blob store."""

    __tablename__ = "inbound_messages"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    # SHA-256 of the raw bytes: the same message delivered twice is recognised, not duplicated.
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    message_id: Mapped[str | None] = mapped_column(String(998), nullable=True)
    raw_blob_key: Mapped[str] = mapped_column(String(300))
    mail_from: Mapped[str] = mapped_column(String(320))
    sender_email: Mapped[str | None] = mapped_column(String(320), nullable=True)
    subject: Mapped[str | None] = mapped_column(Text, nullable=True)
    size: Mapped[int] = mapped_column(Integer)
    pdf_count: Mapped[int] = mapped_column(Integer)
    received_at: Mapped[int] = mapped_column(BigInteger)


class AliasInvoice(Base):
    __tablename__ = "alias_invoices"
    __table_args__ = (
        UniqueConstraint("inbound_message_id", "email_alias_id", "attachment_index"),
        # The API lists newest first by (received_at, id), filtered by account, alias, tenant or
        # status: one composite index per filter, in the list's order, so a page (a deep cursor
        # included) is an index range scan whatever the table's size.
        Index("ix_alias_invoices_account_received", "account_id", "livemode", "received_at", "id"),
        Index("ix_alias_invoices_alias_received", "email_alias_id", "received_at", "id"),
        Index("ix_alias_invoices_tenant_received", "customer_id", "received_at", "id"),
        Index(
            "ix_alias_invoices_status_received",
            "account_id",
            "livemode",
            "status",
            "received_at",
            "id",
        ),
        Index("ix_alias_invoices_phase_claimed", "phase", "claimed_at", "available_at"),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"))
    livemode: Mapped[bool] = mapped_column(Boolean)
    email_alias_id: Mapped[str] = mapped_column(ForeignKey("email_aliases.id"))
    alias_email: Mapped[str] = mapped_column(String(320))
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"))
    inbound_message_id: Mapped[str] = mapped_column(ForeignKey("inbound_messages.id"))
    attachment_index: Mapped[int] = mapped_column(Integer)  # -1 when the mail had no PDF
    pdf_blob_key: Mapped[str | None] = mapped_column(String(300), nullable=True)
    pdf_filename: Mapped[str | None] = mapped_column(String(500), nullable=True)
    # The stored document's type (application/pdf, image/jpeg, ...); the seed's pdf_* names stay.
    content_type: Mapped[str | None] = mapped_column(String(100), nullable=True)
    sender_email: Mapped[str | None] = mapped_column(String(320), nullable=True)
    subject: Mapped[str | None] = mapped_column(Text, nullable=True)
    # An AliasInvoiceStatus (models/lifecycle.py), the status the API shows.
    status: Mapped[str] = mapped_column(String(20))
    # Who sent it, as far as SPF/DKIM/DMARC can tell (ingest's sender authentication).
    sender_auth: Mapped[dict[str, Any] | None] = mapped_column(nullable=True)
    # The stage that owns a received/processing row (lifecycle.Phase); None once it settled.
    phase: Mapped[str | None] = mapped_column(String(16), nullable=True)
    error_code: Mapped[str | None] = mapped_column(String(64), nullable=True)
    error_message: Mapped[str | None] = mapped_column(Text, nullable=True)
    extracted_data: Mapped[dict[str, Any] | None] = mapped_column(nullable=True)
    payment_request_id: Mapped[str | None] = mapped_column(String(40), nullable=True)
    payment_intent: Mapped[str | None] = mapped_column(String(40), nullable=True)
    # What identifies the document among the tenant's others (review/duplicates.py Facts), and
    # the earlier alias invoice it matched, with the fields that matched (certain or probable).
    match_facts: Mapped[dict[str, Any] | None] = mapped_column(nullable=True)
    duplicate_of: Mapped[dict[str, Any] | None] = mapped_column(nullable=True)
    metadata_: Mapped[dict[str, Any]] = mapped_column("metadata", default=dict)
    # Extraction attempts ever made: numbers the Extraction rows, survives retries.
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # Attempts of the current stage since it last made progress: the poison-work budget.
    stage_attempts: Mapped[int] = mapped_column(Integer, default=0)
    # Why the last attempt did not finish (a transient error or an abandoned claim).
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    # When a worker took the row: a claim older than the lease is taken as abandoned.
    claimed_at: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    # Since when an unclaimed row waits for its stage: the sweeper re-sends it after a grace.
    available_at: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    extracted_at: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    received_at: Mapped[int] = mapped_column(BigInteger)
    processed_at: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    paid_at: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    created: Mapped[int] = mapped_column(BigInteger)


class Extraction(Base):
    """One extraction attempt's full result, with per-field evidence."""

    __tablename__ = "extractions"
    __table_args__ = (UniqueConstraint("alias_invoice_id", "attempt"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    alias_invoice_id: Mapped[str] = mapped_column(ForeignKey("alias_invoices.id"), index=True)
    attempt: Mapped[int] = mapped_column(Integer)
    result: Mapped[dict[str, Any]] = mapped_column()
    confidence_score: Mapped[float] = mapped_column(Float)
    created: Mapped[int] = mapped_column(BigInteger)
