"""Objects belong to one account and one mode (test or live): every lookup says so."""

from __future__ import annotations

from typing import Any, TypeVar

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from models.errors import NotFound

T = TypeVar("T")


def select_scoped(model: type[T], account_id: str, livemode: bool) -> Select[Any]:
    return select(model).where(
        model.account_id == account_id,  # type: ignore[attr-defined]
        model.livemode == livemode,  # type: ignore[attr-defined]
    )


def get_scoped(
    session: Session,
    model: type[T],
    kind: str,
    object_id: str,
    account_id: str,
    livemode: bool,
    *,
    for_update: bool = False,
) -> T:
    """The object, or NotFound: another account's id is as unknown as a made-up one."""
    stmt = select_scoped(model, account_id, livemode).where(
        model.id == object_id  # type: ignore[attr-defined]
    )
    if for_update:
        stmt = stmt.with_for_update()
    found: T | None = session.scalar(stmt)
    if found is None:
        raise NotFound.for_id(kind, object_id)
    return found
