"""Stripe list objects with cursor pagination, newest first (or oldest first where asked)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Select, and_, or_
from sqlalchemy.orm import InstrumentedAttribute, Session

from api.errors import ApiError

T = TypeVar("T")


class ListParams(BaseModel):
    model_config = ConfigDict(extra="forbid")

    limit: int = Field(default=10, ge=1, le=100)
    starting_after: str | None = None
    ending_before: str | None = None
    expand: list[str] | None = None


class RangeFilter(BaseModel):
    model_config = ConfigDict(extra="forbid")

    gt: int | None = None
    gte: int | None = None
    lt: int | None = None
    lte: int | None = None


def apply_range(stmt: Select[Any], column: Any, value: int | RangeFilter | None) -> Select[Any]:
    if value is None:
        return stmt
    bounds = [value] if isinstance(value, int) else [value.gt, value.gte, value.lt, value.lte]
    if any(b is not None and not -(2**63) <= b < 2**63 for b in bounds):
        # Beyond a 64-bit column: a clear 400 rather than the database's overflow error.
        raise ApiError(
            400, "Range filter values must be 64-bit integers.", code="parameter_invalid"
        )
    if isinstance(value, int):
        return stmt.where(column == value)
    # Python's comparison dunders are __ge__/__le__, not __gte__/__lte__.
    for op, bound in (("gt", value.gt), ("ge", value.gte), ("lt", value.lt), ("le", value.lte)):
        if bound is not None:
            stmt = stmt.where(getattr(column, f"__{op}__")(bound))
    return stmt


def paginate(
    session: Session,
    stmt: Select[Any],
    *,
    id_col: InstrumentedAttribute[str],
    sort_col: InstrumentedAttribute[int],
    params: ListParams,
    url: str,
    render: Callable[[Any], dict[str, Any]],
    newest_first: bool = True,
) -> dict[str, Any]:
    if params.starting_after and params.ending_before:
        raise ApiError(
            400,
            "You may only specify one of these parameters: starting_after, ending_before.",
            code="parameters_exclusive",
        )
    cursor_id = params.starting_after or params.ending_before
    forward = params.ending_before is None
    # "Forward" walks in the list's order; ending_before walks back and flips the page.
    descending = newest_first == forward
    if cursor_id:
        anchor = session.execute(
            stmt.with_only_columns(sort_col, id_col).where(id_col == cursor_id)
        ).first()
        if anchor is None:
            name = "starting_after" if params.starting_after else "ending_before"
            raise ApiError(
                400, f"No such object: '{cursor_id}'", code="resource_missing", param=name
            )
        value, anchor_id = anchor
        if descending:
            stmt = stmt.where(or_(sort_col < value, and_(sort_col == value, id_col < anchor_id)))
        else:
            stmt = stmt.where(or_(sort_col > value, and_(sort_col == value, id_col > anchor_id)))
    order = (sort_col.desc(), id_col.desc()) if descending else (sort_col.asc(), id_col.asc())
    rows: Sequence[Any] = session.scalars(stmt.order_by(*order).limit(params.limit + 1)).all()
    has_more = len(rows) > params.limit
    page = list(rows[: params.limit])
    if not forward:
        page.reverse()
    return {"object": "list", "url": url, "has_more": has_more, "data": [render(r) for r in page]}
