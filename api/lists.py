"""Stripe list objects with cursor pagination, newest first (or oldest first where asked)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import ColumnElement, Select, literal, select, tuple_
from sqlalchemy.orm import InstrumentedAttribute, Session

from api.errors import ApiError

T = TypeVar("T")
# A select of any number of columns or entities (SQLAlchemy 2.1 types them as a tuple).
AnySelect = Select[*tuple[Any, ...]]
SelectT = TypeVar("SelectT", bound=AnySelect)


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


def apply_range(stmt: SelectT, column: Any, value: int | RangeFilter | None) -> SelectT:
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
    stmt: AnySelect,
    *,
    id_col: InstrumentedAttribute[str],
    sort_col: InstrumentedAttribute[int],
    params: ListParams,
    url: str,
    render: Callable[[Any], dict[str, Any]],
    owner: tuple[str, bool] | None,
    anchor_where: Sequence[ColumnElement[bool]] = (),
    newest_first: bool = True,
) -> dict[str, Any]:
    """One page in one statement: keyset pagination on (sort_col, id) as a row-value comparison,
    which an index on (…filters, sort_col, id) answers without scanning, however deep the cursor.

    `stmt` selects the listed model first, optionally joined with related rows (each result row
    is then passed to `render` whole). The cursor is found by id within the account (`owner`:
    account id and livemode; or, for objects without those columns, `anchor_where`), not within
    the filters: an object that no longer matches them still marks the place.
    """
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
    model = id_col.class_
    scope = [*anchor_where]
    if owner is not None:
        scope += [model.account_id == owner[0], model.livemode == owner[1]]
    if cursor_id:
        anchor = select(sort_col).where(id_col == cursor_id, *scope).scalar_subquery()
        position = tuple_(sort_col, id_col)
        bound = tuple_(anchor, literal(cursor_id))
        stmt = stmt.where(position < bound if descending else position > bound)
    order = (sort_col.desc(), id_col.desc()) if descending else (sort_col.asc(), id_col.asc())
    rows: Sequence[Any] = session.execute(stmt.order_by(*order).limit(params.limit + 1)).all()
    if cursor_id and not rows:
        _check_cursor(session, id_col, cursor_id, scope, params)
    has_more = len(rows) > params.limit
    page = [row[0] if len(row) == 1 else row for row in rows[: params.limit]]
    if not forward:
        page.reverse()
    return {"object": "list", "url": url, "has_more": has_more, "data": [render(r) for r in page]}


def _check_cursor(
    session: Session,
    id_col: InstrumentedAttribute[str],
    cursor_id: str,
    scope: Sequence[ColumnElement[bool]],
    params: ListParams,
) -> None:
    """An empty page after a cursor: say so if the cursor names no object of this account."""
    found = session.scalar(select(id_col).where(id_col == cursor_id, *scope))
    if found is None:
        name = "starting_after" if params.starting_after else "ending_before"
        raise ApiError(400, f"No such object: '{cursor_id}'", code="resource_missing", param=name)
