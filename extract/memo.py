"""Per-document memory for the pure text scanners (amounts, dates, labels of a string).

The field parsers look at the same segment text many times over (every label's value search,
the loose money, the facts, the line items...), and each look ran the same regexes or the
tokenizer again. Inside `one_document()` a scanner remembers its answer per string; outside
(tests, other callers) it simply runs. Memory lives for one document only: nothing carries
over from one invoice to the next.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps
from typing import TypeVar

T = TypeVar("T")

_memo: ContextVar[dict[tuple[str, str], tuple[object, ...]] | None] = ContextVar(
    "document_memo", default=None
)


@contextmanager
def one_document() -> Iterator[None]:
    """The scope of one document's extraction: scanners remember answers inside it."""
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def per_document(scan: Callable[[str], list[T]]) -> Callable[[str], list[T]]:
    """Remember a pure scanner's answer per string for the current document; each caller gets
    its own list (callers may change it), holding the same immutable matches."""
    name = f"{scan.__module__}.{scan.__qualname__}"

    @wraps(scan)
    def remembered(text: str) -> list[T]:
        memo = _memo.get()
        if memo is None:
            return scan(text)
        key = (name, text)
        found = memo.get(key)
        if found is None:
            found = memo[key] = tuple(scan(text))
        return list(found)  # type: ignore[arg-type]

    return remembered
