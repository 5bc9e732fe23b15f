"""Imports every table module so that Base.metadata is complete (for Alembic and tests)."""

from models import (
    accounts,
    alias_invoices,
    customers,
    idempotency,
    invoices,
    ops,
    payments,
    rate_limits,
    review,
)
from models.db import Base

__all__ = [
    "Base",
    "accounts",
    "alias_invoices",
    "customers",
    "idempotency",
    "invoices",
    "ops",
    "payments",
    "rate_limits",
    "review",
]
metadata = Base.metadata
