"""Query strings, form bodies and JSON bodies decoded into one dict, at bounded cost.

Stripe clients send Rack bracket notation (`line_items[0][amount]=5`, `expand[]=x`). Decoding is
linear in the input: 40,000 `a[]=` pairs once froze the whole server for 71 s because each append
counted the existing keys. Limits on the number of parameters and on nesting depth make every body
cost the same order as reading it; a body over them is a 400, never a 500 or a stall.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any
from urllib.parse import parse_qsl

from api.errors import ApiError

# 250 invoice lines of four fields each fit with room to spare; 40,000 keys do not.
MAX_PARAMS = 4096
# `line_items[0][metadata][key]` is depth 4; nothing legitimate is deeper than 8.
MAX_DEPTH = 8
# Array indexes beyond this are not list positions but attempts at huge sparse lists.
MAX_INDEX_DIGITS = 5
FORM_TYPES = frozenset({"application/x-www-form-urlencoded", ""})


def too_complex(message: str) -> ApiError:
    return ApiError(400, message, code="parameters_too_complex")


def _too_many() -> ApiError:
    return too_complex(f"Too many parameters: at most {MAX_PARAMS} are accepted.")


def _too_deep() -> ApiError:
    return too_complex(f"Parameters are nested too deeply: at most {MAX_DEPTH} levels.")


def media_type(content_type: str) -> str:
    return content_type.split(";")[0].strip().lower()


def decode_query(query: str) -> dict[str, Any]:
    return rack_parse(_pairs(query))


def decode_body(raw: bytes, content_type: str) -> tuple[dict[str, Any], bool]:
    """The body's parameters, and whether they came as strings (form) rather than typed JSON."""
    if not raw.strip():
        return {}, True
    media = media_type(content_type)
    if media == "application/json":
        return decode_json(raw), False
    if media in FORM_TYPES:
        return rack_parse(_pairs(raw.decode("utf-8", errors="replace"))), True
    raise ApiError(
        400,
        f"Unsupported Content-Type {media!r}: send application/x-www-form-urlencoded or "
        "application/json.",
        code="parameter_invalid",
    )


def decode_json(raw: bytes) -> dict[str, Any]:
    try:
        body = json.loads(raw)
    except RecursionError as exc:  # the C decoder stops at the interpreter's recursion limit
        raise _too_deep() from exc
    except ValueError as exc:
        raise ApiError(400, f"Invalid JSON body: {exc}.", code="parameter_invalid") from exc
    if not isinstance(body, dict):
        raise ApiError(400, "The JSON body must be an object.", code="parameter_invalid")
    _check_json_shape(body)
    return body


def _check_json_shape(body: dict[str, Any]) -> None:
    """Iterative, so a deep document cannot exhaust the stack of the code that walks it next."""
    stack: list[tuple[Any, int]] = [(body, 1)]
    leaves = 0
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise _too_deep()
        children = node.values() if isinstance(node, dict) else node
        for child in children:
            if isinstance(child, dict | list):
                stack.append((child, depth + 1))
            else:
                leaves += 1
        if leaves > MAX_PARAMS:
            raise _too_many()


def _pairs(text: str) -> list[tuple[str, str]]:
    try:
        # max_num_fields counts separators before splitting: the check is cheap and up front.
        return parse_qsl(text, keep_blank_values=True, max_num_fields=MAX_PARAMS)
    except ValueError as exc:
        raise _too_many() from exc


def rack_parse(pairs: Iterable[tuple[str, str]]) -> dict[str, Any]:
    """Turn `a[b][0][c]=v` pairs into nested dicts; integer-keyed maps become lists.

    `a[]` appends: its index is the number of integer keys the node has so far, kept in a
    counter per node rather than recounted (which was quadratic).
    """
    root: dict[str, Any] = {}
    counters: dict[int, int] = {}  # id(node) -> integer keys in it; nodes live as long as root
    for count, (key, value) in enumerate(pairs, start=1):
        if count > MAX_PARAMS:
            raise _too_many()
        path = _split_key(key)
        if len(path) > MAX_DEPTH:
            raise _too_deep()
        node = root
        last = len(path) - 1
        for i, part in enumerate(path):
            if part == "":
                part = str(counters.get(id(node), 0))
            if _is_index(part):
                if len(part) > MAX_INDEX_DIGITS:
                    raise too_complex(f"Array index {part[:20]} in {key[:100]!r} is too large.")
                if part not in node:
                    counters[id(node)] = counters.get(id(node), 0) + 1
            if i == last:
                node[part] = value
            else:
                child = node.get(part)
                if not isinstance(child, dict):
                    child = {}
                    node[part] = child
                node = child
    # The top level is always a map of names, even when every name is a number (`0=a&1=b`).
    return {key: _listify(value) for key, value in root.items()}


def _is_index(part: str) -> bool:
    return part.isascii() and part.isdigit()


def _split_key(key: str) -> list[str]:
    head, bracket, rest = key.partition("[")
    if not bracket:
        return [key]
    parts = [head]
    for chunk in rest.split("["):
        parts.append(chunk.rstrip("]") if chunk.endswith("]") else chunk)
        if len(parts) > MAX_DEPTH:  # stop splitting early: the caller refuses the key anyway
            break
    return parts


def _listify(node: Any) -> Any:
    if not isinstance(node, dict):
        return node
    converted = {k: _listify(v) for k, v in node.items()}
    if converted and all(_is_index(k) for k in converted):
        return [converted[k] for k in sorted(converted, key=int)]
    return converted
