"""Tenants of an account."""

from __future__ import annotations

from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from models.customers import Customer, EmailAlias
from models.errors import InvalidRequest, NotFound
from models.ids import new_id
from models.notices import LOCALES
from models.scoped import get_scoped


def check_locale(locale: str | None) -> str | None:
    """One of the six languages of tenant emails, or None (then the document's language)."""
    if locale is None or locale == "":
        return None
    value = locale.lower().replace("_", "-").split("-")[0]
    if value not in LOCALES:
        raise InvalidRequest(
            f"Invalid locale {locale!r}: use one of {', '.join(LOCALES)}.", param="locale"
        )
    return value


def create_customer(
    session: Session,
    account_id: str,
    livemode: bool,
    *,
    email: str | None,
    name: str | None,
    metadata: dict[str, str],
    now: int,
    locale: str | None = None,
) -> Customer:
    customer = Customer(
        id=new_id("cus"),
        account_id=account_id,
        livemode=livemode,
        email=email,
        name=name,
        locale=check_locale(locale),
        metadata_=metadata,
        created=now,
    )
    session.add(customer)
    session.flush()
    return customer


def get_customer(session: Session, account_id: str, livemode: bool, customer_id: str) -> Customer:
    """A live customer; a deleted one is as unknown as a made-up id."""
    customer = find_customer(session, account_id, livemode, customer_id)
    if customer.deleted_at is not None:
        raise NotFound.for_id("customer", customer_id)
    return customer


def find_customer(session: Session, account_id: str, livemode: bool, customer_id: str) -> Customer:
    """The customer, deleted or not (GET answers a deleted one with its deleted stub)."""
    return get_scoped(session, Customer, "customer", customer_id, account_id, livemode)


def delete_customer(session: Session, customer: Customer, now: int) -> None:
    """Soft delete: mail to the customer's aliases is refused from now on (they are disabled);
    invoices, payment requests and alias invoices keep pointing at the row."""
    customer.deleted_at = now
    session.execute(
        update(EmailAlias).where(EmailAlias.customer_id == customer.id).values(status="disabled")
    )


def customer_json(customer: Customer) -> dict[str, Any]:
    return {
        "id": customer.id,
        "object": "customer",
        "email": customer.email,
        "name": customer.name,
        "locale": customer.locale,
        "metadata": customer.metadata_,
        "created": customer.created,
        "livemode": customer.livemode,
    }
