"""expand[]: replace an id in a response by the object it names (customer, payment_intent).

Stripe accepts `expand[]=x` and `expand[0]=x`; on list endpoints the paths start with `data.`.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy.orm import Session

from api.errors import ApiError
from billing.customers import customer_json, get_customer
from billing.payments import get_payment_intent, payment_intent_json

INVOICE_EXPANDABLE = frozenset({"customer", "payment_intent"})


def expansions(
    requested: Iterable[str] | None, allowed: frozenset[str], *, is_list: bool = False
) -> frozenset[str]:
    wanted = set()
    for path in requested or ():
        field = path.removeprefix("data.") if is_list else path
        if field not in allowed:
            raise ApiError(
                400,
                f"This property cannot be expanded ({path}).",
                code="parameter_invalid",
                param="expand",
            )
        wanted.add(field)
    return frozenset(wanted)


def expand_invoice(
    session: Session,
    body: dict[str, Any],
    fields: frozenset[str],
    account_id: str,
    livemode: bool,
) -> dict[str, Any]:
    if "customer" in fields and isinstance(body.get("customer"), str):
        body["customer"] = customer_json(
            get_customer(session, account_id, livemode, body["customer"])
        )
    if "payment_intent" in fields and isinstance(body.get("payment_intent"), str):
        body["payment_intent"] = payment_intent_json(
            get_payment_intent(session, account_id, livemode, body["payment_intent"])
        )
    return body
