"""Tax rates (txr_): immutable percentages that invoices and their items refer to by id.

Immutable on purpose, as in Stripe: a draft's totals are recomputed from the rates' current
values, so a rate that could change would silently change drafts.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from billing.money import Rate, percentage
from models.errors import InvalidRequest
from models.ids import new_id
from models.invoices import TaxRate
from models.scoped import get_scoped


def create_tax_rate(
    session: Session,
    *,
    account_id: str,
    livemode: bool,
    display_name: str,
    percentage: float,
    inclusive: bool,
    jurisdiction: str | None,
    metadata: dict[str, str],
    now: int,
) -> TaxRate:
    rate = TaxRate(
        id=new_id("txr"),
        account_id=account_id,
        livemode=livemode,
        display_name=display_name,
        percentage=percentage,
        inclusive=inclusive,
        jurisdiction=jurisdiction,
        active=True,
        metadata_=metadata,
        created=now,
    )
    session.add(rate)
    session.flush()
    return rate


def get_tax_rate(session: Session, account_id: str, livemode: bool, rate_id: str) -> TaxRate:
    return get_scoped(session, TaxRate, "tax_rate", rate_id, account_id, livemode)


def check_rate_ids(
    session: Session, account_id: str, livemode: bool, ids: Iterable[str], param: str
) -> list[str]:
    """The ids, deduplicated in order; an unknown id is a 400 naming the parameter."""
    unique = list(dict.fromkeys(ids))
    if not unique:
        return []
    found = set(
        session.scalars(
            select(TaxRate.id).where(
                TaxRate.id.in_(unique),
                TaxRate.account_id == account_id,
                TaxRate.livemode == livemode,
            )
        )
    )
    for index, rate_id in enumerate(unique):
        if rate_id not in found:
            raise InvalidRequest(
                f"No such tax_rate: '{rate_id}'", code="resource_missing", param=f"{param}[{index}]"
            )
    if len(unique) > 5:
        raise InvalidRequest("At most 5 tax rates can apply to one line.", param=param)
    return unique


def rates_by_id(session: Session, ids: Iterable[str]) -> dict[str, Rate]:
    wanted = set(ids)
    if not wanted:
        return {}
    rows = session.scalars(select(TaxRate).where(TaxRate.id.in_(wanted)))
    return {r.id: Rate(r.id, percentage(r.percentage), r.inclusive) for r in rows}


def tax_rate_json(rate: TaxRate) -> dict[str, Any]:
    return {
        "id": rate.id,
        "object": "tax_rate",
        "display_name": rate.display_name,
        "percentage": rate.percentage,
        "inclusive": rate.inclusive,
        "jurisdiction": rate.jurisdiction,
        "active": rate.active,
        "metadata": rate.metadata_,
        "created": rate.created,
        "livemode": rate.livemode,
    }
