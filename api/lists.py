"""Stripe list objects with cursor pagination, newest first (or oldest first where asked)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import BindParameter, ColumnElement, Connection, Select, bindparam, select, tuple_
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


# A range filter's operators: Stripe's names, and the comparisons they stand for (Python's
# comparison dunders are __ge__/__le__, not __gte__/__lte__).
_RANGE_OPS = {"eq": "__eq__", "gt": "__gt__", "gte": "__ge__", "lt": "__lt__", "lte": "__le__"}


def range_values(name: str, value: int | RangeFilter | None) -> dict[str, int]:
    """A range filter's bounds as values named `<name>_<op>` (`created_gte`), for the bind
    parameters `where_range` puts in a statement."""
    if value is None:
        return {}
    if isinstance(value, int):
        bounds = {"eq": value}
    else:
        given = {"gt": value.gt, "gte": value.gte, "lt": value.lt, "lte": value.lte}
        bounds = {op: bound for op, bound in given.items() if bound is not None}
    if any(not -(2**63) <= bound < 2**63 for bound in bounds.values()):
        # Beyond a 64-bit column: a clear 400 rather than the database's overflow error.
        raise ApiError(
            400, "Range filter values must be 64-bit integers.", code="parameter_invalid"
        )
    return {f"{name}_{op}": bound for op, bound in bounds.items()}


def where_range(stmt: SelectT, column: Any, key: str) -> SelectT:
    """The condition behind one of `range_values`' keys, on `column`, as a bind parameter."""
    op = _RANGE_OPS[key.rpartition("_")[2]]
    return stmt.where(getattr(column, op)(bindparam(key)))


def apply_range(stmt: SelectT, column: Any, value: int | RangeFilter | None) -> SelectT:
    for key, bound in range_values("range", value).items():
        op = _RANGE_OPS[key.rpartition("_")[2]]
        stmt = stmt.where(getattr(column, op)(bound))
    return stmt


def paginate(
    session: Session | Connection,
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
    values: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """One page in one statement: keyset pagination on (sort_col, id) as a row-value comparison,
    which an index on (…filters, sort_col, id) answers without scanning, however deep the cursor.

    `stmt` selects the listed model first, optionally joined with related rows, or selects
    columns (each such result row is then passed to `render` whole). The cursor is found by id
    within the account (`owner`: account id and livemode; or, for objects without those
    columns, `anchor_where`), not within the filters: an object that no longer matches them
    still marks the place.

    With `values`, `stmt` is built once per combination of filters (and `anchor_where` with it)
    and `values` fill its bind parameters: the page statement around it is then built once too.
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
    build = _page_statement_once if values is not None else _page_statement
    owned, anchor = owner is not None, tuple(anchor_where)
    bind = {**(values or {}), "page_limit": params.limit + 1}
    if owner is not None:
        bind |= {"page_account": owner[0], "page_livemode": owner[1]}
    if cursor_id:
        bind["page_cursor"] = cursor_id
    page_stmt = build(stmt, id_col, sort_col, owned, anchor, bool(cursor_id), descending)
    rows: Sequence[Any] = session.execute(page_stmt, bind).all()
    if cursor_id and not rows:
        _check_cursor(session, id_col, _scope(id_col, owned, anchor), bind, params)
    has_more = len(rows) > params.limit
    page = [row[0] if len(row) == 1 else row for row in rows[: params.limit]]
    if not forward:
        page.reverse()
    return {"object": "list", "url": url, "has_more": has_more, "data": [render(r) for r in page]}


def _scope(
    id_col: InstrumentedAttribute[str],
    owned: bool,
    anchor_where: tuple[ColumnElement[bool], ...],
) -> list[ColumnElement[bool]]:
    """Where a cursor's object is looked for: the caller's account, or `anchor_where`."""
    model = id_col.class_
    scope = [*anchor_where]
    if owned:
        scope += [
            model.account_id == bindparam("page_account"),
            model.livemode == bindparam("page_livemode"),
        ]
    return scope


def _page_statement(
    stmt: AnySelect,
    id_col: InstrumentedAttribute[str],
    sort_col: InstrumentedAttribute[int],
    owned: bool,
    anchor_where: tuple[ColumnElement[bool], ...],
    after_cursor: bool,
    descending: bool,
) -> AnySelect:
    """`stmt` ordered, limited and (after a cursor) positioned, with bind parameters
    `page_limit`, `page_cursor`, `page_account` and `page_livemode`."""
    if after_cursor:
        scope = _scope(id_col, owned, anchor_where)
        cursor: BindParameter[str] = bindparam("page_cursor")
        anchor = select(sort_col).where(id_col == cursor, *scope).scalar_subquery()
        position = tuple_(sort_col, id_col)
        bound = tuple_(anchor, cursor)
        stmt = stmt.where(position < bound if descending else position > bound)
    order = (sort_col.desc(), id_col.desc()) if descending else (sort_col.asc(), id_col.asc())
    return stmt.order_by(*order).limit(bindparam("page_limit"))


# Around a statement built once, the page statement is built once too: building and hashing
# a statement cost more than running it.
_page_statement_once = lru_cache(maxsize=256)(_page_statement)


def _check_cursor(
    session: Session | Connection,
    id_col: InstrumentedAttribute[str],
    scope: Sequence[ColumnElement[bool]],
    bind: Mapping[str, Any],
    params: ListParams,
) -> None:
    """An empty page after a cursor: say so if the cursor names no object of this account."""
    cursor_id = bind["page_cursor"]
    found = session.scalar(select(id_col).where(id_col == bindparam("page_cursor"), *scope), bind)
    if found is None:
        name = "starting_after" if params.starting_after else "ending_before"
        raise ApiError(400, f"No such object: '{cursor_id}'", code="resource_missing", param=name)
