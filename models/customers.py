"""Tenants (customers) and the email aliases they forward invoices to."""

from __future__ import annotations

from typing import Any

from sqlalchemy import BigInteger, Boolean, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.db import Base


class Customer(Base):
    __tablename__ = "customers"
    __table_args__ = (
        Index("ix_customers_account_created", "account_id", "livemode", "created", "id"),
    )

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"))
    livemode: Mapped[bool] = mapped_column(Boolean)
    email: Mapped[str | None] = mapped_column(String(320), nullable=True)
    name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    # The language of the tenant's emails (en, de, fr, nl, es, it); None = the document's.
    locale: Mapped[str | None] = mapped_column(String(8), nullable=True)
    metadata_: Mapped[dict[str, Any]] = mapped_column("metadata", default=dict)
    created: Mapped[int] = mapped_column(BigInteger, index=True)
    # Stripe's delete: the customer is gone from the API, its invoices and mail history stay.
    deleted_at: Mapped[int | None] = mapped_column(BigInteger, nullable=True)


class EmailAlias(Base):
    __tablename__ = "email_aliases"
    # An address routes mail to exactly one alias, whatever the mode or account.
    __table_args__ = (UniqueConstraint("local_part", "domain"),)

    id: Mapped[str] = mapped_column(String(40), primary_key=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("accounts.id"), index=True)
    livemode: Mapped[bool] = mapped_column(Boolean)
    customer_id: Mapped[str] = mapped_column(ForeignKey("customers.id"), index=True)
    local_part: Mapped[str] = mapped_column(String(64))
    domain: Mapped[str] = mapped_column(String(253))
    status: Mapped[str] = mapped_column(String(16), default="active")  # active | disabled
    metadata_: Mapped[dict[str, Any]] = mapped_column("metadata", default=dict)
    created: Mapped[int] = mapped_column(BigInteger, index=True)

    @property
    def email(self) -> str:
        return f"{self.local_part}@{self.domain}"


def locale_for_alias_invoice(session: Any, alias_invoice_id: str) -> str | None:
    """The locale of the tenant a document was sent for (None when they have not set one)."""
    from sqlalchemy import select

    from models.alias_invoices import AliasInvoice

    return session.scalars(
        select(Customer.locale)
        .join(AliasInvoice, AliasInvoice.customer_id == Customer.id)
        .where(AliasInvoice.id == alias_invoice_id)
    ).first()
