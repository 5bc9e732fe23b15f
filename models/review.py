"""Review items: extractions a person must confirm before money is requested, and their audit
trail (who changed which field from what to what, and when)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from models.db import Base

REVIEW_STATUSES = ("pending", "approved", "rejected")


class ReviewItem(Base):
    __tablename__ = "review_items"
    __table_args__ = (Index("ix_review_items_status_created", "status", "created"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), index=True)
    livemode: Mapped[bool] = mapped_column(Boolean)
    alias_invoice_id: Mapped[str] = mapped_column(ForeignKey("alias_invoices.id"), index=True)
    # One review item per extraction: routing twice cannot queue it twice.
    extraction_id: Mapped[str] = mapped_column(ForeignKey("extractions.id"), unique=True)
    status: Mapped[str] = mapped_column(String(16), index=True)  # pending | approved | rejected
    reasons: Mapped[list[Any]] = mapped_column(default=list)
    # {field: {"from": extracted, "to": corrected}}: kept so accuracy can be measured later.
    corrections: Mapped[dict[str, Any] | None] = mapped_column(nullable=True)
    reviewer: Mapped[str | None] = mapped_column(String(200), nullable=True)
    rejection_reason: Mapped[str | None] = mapped_column(Text, nullable=True)
    decided_at: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    created: Mapped[int] = mapped_column(BigInteger, index=True)


class ReviewEvent(Base):
    """One line of an item's audit trail; append-only."""

    __tablename__ = "review_events"

    # Insertion order: several events share a second (corrections, then the decision).
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[str] = mapped_column(String(40), unique=True)
    review_item_id: Mapped[str] = mapped_column(ForeignKey("review_items.id"), index=True)
    # created | field_corrected | approved | rejected
    kind: Mapped[str] = mapped_column(String(32))
    # The person recorded as reviewer, and the credential that made the call (api_key:…,
    # ops_user:…): a caller may name any reviewer, but not hide which key it used.
    actor: Mapped[str | None] = mapped_column(String(200), nullable=True)
    via: Mapped[str | None] = mapped_column(String(80), nullable=True)
    field: Mapped[str | None] = mapped_column(String(40), nullable=True)
    old_value: Mapped[Any | None] = mapped_column(JSON, nullable=True)
    new_value: Mapped[Any | None] = mapped_column(JSON, nullable=True)
    message: Mapped[str | None] = mapped_column(Text, nullable=True)
    created: Mapped[int] = mapped_column(BigInteger)
