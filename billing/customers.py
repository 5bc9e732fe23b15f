"""Tenants of an account."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from models.customers import Customer
from models.ids import new_id
from models.scoped import get_scoped


def create_customer(
    session: Session,
    account_id: str,
    livemode: bool,
    *,
    email: str | None,
    name: str | None,
    metadata: dict[str, str],
    now: int,
) -> Customer:
    customer = Customer(
        id=new_id("cus"),
        account_id=account_id,
        livemode=livemode,
        email=email,
        name=name,
        metadata_=metadata,
        created=now,
    )
    session.add(customer)
    session.flush()
    return customer


def get_customer(session: Session, account_id: str, livemode: bool, customer_id: str) -> Customer:
    return get_scoped(session, Customer, "customer", customer_id, account_id, livemode)


def customer_json(customer: Customer) -> dict[str, Any]:
    return {
        "id": customer.id,
        "object": "customer",
        "email": customer.email,
        "name": customer.name,
        "metadata": customer.metadata_,
        "created": customer.created,
        "livemode": customer.livemode,
    }
