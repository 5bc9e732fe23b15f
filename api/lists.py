"""Stripe list objects with cursor pagination, newest first (or oldest first where asked)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import BindParameter, ColumnElement, Connection, bindparam, select, tuple_
from sqlalchemy.orm import InstrumentedAttribute, Session

from api.errors import ApiError
from models.db import AnySelect

T = TypeVar("T")
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


@dataclass(frozen=True)
class PageQuery:
    """One list page as a statement and its bind values; `page` turns its rows into the list."""

    stmt: AnySelect
    bind: dict[str, Any]
    # Run when a page after a cursor comes back empty: does the cursor name an object at all?
    cursor_check: AnySelect | None
    params: ListParams
    url: str


def page_query(
    stmt: AnySelect,
    *,
    id_col: InstrumentedAttribute[str],
    sort_col: InstrumentedAttribute[int],
    params: ListParams,
    url: str,
    owner: tuple[str, bool] | None,
    anchor_where: Sequence[ColumnElement[bool]] = (),
    newest_first: bool = True,
    values: Mapping[str, Any] | None = None,
) -> PageQuery:
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
    # "Forward" walks in the list's order; ending_before walks back and flips the page.
    descending = newest_first == (params.ending_before is None)
    build = _page_statement_once if values is not None else _page_statement
    owned, anchor = owner is not None, tuple(anchor_where)
    bind = {**(values or {}), "page_limit": params.limit + 1}
    if owner is not None:
        bind |= {"page_account": owner[0], "page_livemode": owner[1]}
    cursor_check = None
    if cursor_id:
        bind["page_cursor"] = cursor_id
        cursor_check = _cursor_check(id_col, owned, anchor)
    page_stmt = build(stmt, id_col, sort_col, owned, anchor, bool(cursor_id), descending)
    return PageQuery(page_stmt, bind, cursor_check, params, url)


def page(
    query: PageQuery,
    rows: Sequence[Any],
    render: Callable[[Any], dict[str, Any]],
    cursor_found: bool = True,
) -> dict[str, Any]:
    """The list object of a page's rows (`cursor_found`: what `query.cursor_check` found, when
    the page after a cursor was empty)."""
    params = query.params
    if not cursor_found:
        name = "starting_after" if params.starting_after else "ending_before"
        cursor_id = query.bind["page_cursor"]
        raise ApiError(400, f"No such object: '{cursor_id}'", code="resource_missing", param=name)
    has_more = len(rows) > params.limit
    objects = [row[0] if len(row) == 1 else row for row in rows[: params.limit]]
    if params.ending_before is not None:
        objects.reverse()
    return {
        "object": "list",
        "url": query.url,
        "has_more": has_more,
        "data": [render(r) for r in objects],
    }


def paginate(
    session: Session | Connection, query: PageQuery, render: Callable[[Any], dict[str, Any]]
) -> dict[str, Any]:
    """The page `query` names, read on this thread."""
    rows: Sequence[Any] = session.execute(query.stmt, query.bind).all()
    found = True
    if query.cursor_check is not None and not rows:
        found = session.scalar(query.cursor_check, query.bind) is not None
    return page(query, rows, render, found)


RowsOf = Callable[[AnySelect, Mapping[str, Any]], Awaitable[Sequence[Any]]]


async def paginate_on_loop(
    rows_of: RowsOf, query: PageQuery, render: Callable[[Any], dict[str, Any]]
) -> dict[str, Any]:
    """The same, each statement awaited with `rows_of` (`Ctx.rows`: on the event loop)."""
    rows = await rows_of(query.stmt, query.bind)
    found = True
    if query.cursor_check is not None and not rows:
        found = bool(await rows_of(query.cursor_check, query.bind))
    return page(query, rows, render, found)


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


@lru_cache(maxsize=256)
def _cursor_check(
    id_col: InstrumentedAttribute[str], owned: bool, anchor_where: tuple[ColumnElement[bool], ...]
) -> AnySelect:
    scope = _scope(id_col, owned, anchor_where)
    return select(id_col).where(id_col == bindparam("page_cursor"), *scope)


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
