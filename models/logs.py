"""Structured logs: readable lines by default, one JSON object per line with
`CASAPAY_LOG_FORMAT=json`, each carrying the ids that let one invoice be followed across the
API, SMTP and worker processes (`request_id`, `message_id`, `alias_invoice_id`).

The ids live in a context variable. The seams where work begins open a scope (`bind`): the HTTP
request (api/edge.py), an accepted SMTP message (ingest/receiver.py) and a queue
message (models/queue.py, which also carries the ids of the sender along with the message). Code
inside a scope adds what it learns (`add`); the scope's end forgets it, so a pooled thread never
leaks one message's ids into the next.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from types import MappingProxyType

IDS = ("request_id", "message_id", "alias_invoice_id")
_PREFIXES = {"req": "request_id", "msg": "message_id", "ainv": "alias_invoice_id"}
_EMPTY: Mapping[str, str] = MappingProxyType({})
_context: ContextVar[Mapping[str, str]] = ContextVar("casapay_log_ids", default=_EMPTY)
_in_scope: ContextVar[bool] = ContextVar("casapay_log_scope", default=False)

# Libraries that log routine steps at INFO; a CLI command's output must be its own.
QUIET = ("alembic", "mail.log", "botocore", "boto3", "urllib3", "pdfminer")


def ids_of(object_id: str) -> dict[str, str]:
    """The log id an object id stands for (`ainv_…` is an alias_invoice_id), if any."""
    name = _PREFIXES.get(object_id.partition("_")[0])
    return {name: object_id} if name else {}


def current() -> dict[str, str]:
    """The ids of the work in progress (what a queue message carries along)."""
    return dict(_context.get())


@contextmanager
def bind(**ids: str | None) -> Iterator[None]:
    """A scope of work: ids added inside it are forgotten when it ends."""
    token, scope = _context.set(_merged(ids)), _in_scope.set(True)
    try:
        yield
    finally:
        _in_scope.reset(scope)
        _context.reset(token)


def add(**ids: str | None) -> None:
    """Name what the current scope turned out to be about (e.g. the message it stored).
    Outside a scope (a periodic task, a test) it does nothing: nothing would ever forget it."""
    if _in_scope.get():
        _context.set(_merged(ids))


def _merged(ids: Mapping[str, str | None]) -> Mapping[str, str]:
    known = {k: v for k, v in ids.items() if k in IDS and v}
    return MappingProxyType({**_context.get(), **known}) if known else _context.get()


class ContextFilter(logging.Filter):
    """Puts the current ids (and the process role) on every record; explicit `extra=` wins."""

    def __init__(self, role: str) -> None:
        super().__init__()
        self.role = role

    def filter(self, record: logging.LogRecord) -> bool:
        ids = _context.get()
        for name in IDS:
            if getattr(record, name, None) is None:
                setattr(record, name, ids.get(name))
        record.role = self.role
        return True


class TextFormatter(logging.Formatter):
    """`time LEVEL logger: message [ids]`, for people reading a terminal."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        ids = " ".join(f"{n}={v}" for n in IDS if (v := getattr(record, n, None)))
        if not ids:
            return line
        head, newline, trace = line.partition("\n")
        return f"{head} [{ids}]{newline}{trace}"


class JsonFormatter(logging.Formatter):
    """One JSON object per line, for log shippers."""

    def format(self, record: logging.LogRecord) -> str:
        created = dt.datetime.fromtimestamp(record.created, dt.UTC)
        entry: dict[str, object] = {
            "time": created.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "process": getattr(record, "role", None),
            "pid": record.process,
        }
        entry.update({n: v for n in IDS if (v := getattr(record, n, None))})
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def configure(role: str, env: Mapping[str, str] | None = None) -> None:
    """The process's logging, from `CASAPAY_LOG_FORMAT` (text | json) and `CASAPAY_LOG_LEVEL`."""
    env = os.environ if env is None else env
    fmt = env.get("CASAPAY_LOG_FORMAT", "text").strip().lower() or "text"
    if fmt not in ("text", "json"):
        raise ValueError(f"CASAPAY_LOG_FORMAT must be text or json, not {fmt!r}")
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if fmt == "json" else TextFormatter())
    handler.addFilter(ContextFilter(role))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(env.get("CASAPAY_LOG_LEVEL", "INFO").strip().upper() or "INFO")
    for name in QUIET:
        logging.getLogger(name).setLevel(logging.WARNING)
