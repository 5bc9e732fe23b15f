"""Review items: extractions a person must confirm before money is requested."""

from __future__ import annotations

from typing import Any

from sqlalchemy import BigInteger, Boolean, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from models.db import Base


class ReviewItem(Base):
    __tablename__ = "review_items"

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), index=True)
    livemode: Mapped[bool] = mapped_column(Boolean)
    alias_invoice_id: Mapped[str] = mapped_column(ForeignKey("alias_invoices.id"), index=True)
    # One review item per extraction: routing twice cannot queue it twice.
    extraction_id: Mapped[str] = mapped_column(ForeignKey("extractions.id"), unique=True)
    status: Mapped[str] = mapped_column(String(16), index=True)  # pending | approved | rejected
    reasons: Mapped[list[Any]] = mapped_column(default=list)
    corrections: Mapped[dict[str, Any] | None] = mapped_column(nullable=True)
    reviewer: Mapped[str | None] = mapped_column(String(200), nullable=True)
    decided_at: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    created: Mapped[int] = mapped_column(BigInteger, index=True)
