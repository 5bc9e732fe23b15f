"""Imports every table module so that Base.metadata is complete (for Alembic and tests)."""

from models import (
    accounts,
    alias_invoices,
    customers,
    events,
    idempotency,
    invoices,
    ops,
    payments,
    rate_limits,
    review,
    webhooks,
)
from models.db import Base

__all__ = [
    "Base",
    "accounts",
    "alias_invoices",
    "customers",
    "events",
    "idempotency",
    "invoices",
    "ops",
    "payments",
    "rate_limits",
    "review",
    "webhooks",
]
metadata = Base.metadata
