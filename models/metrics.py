"""Prometheus metrics: what each process counts and times, and how it is scraped.

The seams record into the process's default registry through the small functions below (label
values are bounded here, never taken raw from the outside). The API serves `/metrics`; the SMTP
receiver and the worker serve the same text on a port of their own (`serve_port`); `casapay
serve` is one process, so its `/metrics` shows all three. API worker processes
(`CASAPAY_API_WORKERS` > 1) share one listening socket, so a scrape reaches only one of them:
they write their samples to files in `PROMETHEUS_MULTIPROC_DIR` (prometheus-client's multiprocess
mode) and every scrape sums them (`exposition`). The state of the pipeline (backlogs, ages, the
review queue) is read from the database at scrape time (models/pipeline_gauges.py).
"""

from __future__ import annotations

import functools
import logging
import os
import re
import shutil
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from threading import Thread
from typing import Any, ParamSpec

from prometheus_client import (
    CONTENT_TYPE_PLAIN_0_0_4,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
    start_http_server,
)
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

log = logging.getLogger(__name__)
P = ParamSpec("P")

CONTENT_TYPE = CONTENT_TYPE_PLAIN_0_0_4
MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"

_FAST = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
_SLOW = (0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 15.0, 30.0, 60.0, 120.0, 300.0)

SMTP_REPLIES = Counter(
    "casapay_smtp_replies", "SMTP replies sent by the receiver, by reply code.", ["code"]
)
SMTP_ACCEPT_SECONDS = Histogram(
    "casapay_smtp_accept_seconds",
    "From the end of DATA to the reply: parse, store, commit and queue (accepted), or the "
    "refusal of a defective message (refused), or our own failure (deferred).",
    ["outcome"],
    buckets=_FAST,
)
EXTRACTION_SECONDS = Histogram(
    "casapay_extraction_seconds",
    "Time to read one document, by where its fields came from (xml, text, ocr).",
    ["source"],
    buckets=_SLOW,
)
STAGE_SECONDS = Histogram(
    "casapay_stage_seconds",
    "Time one queue message took in its stage's actor, by stage and outcome (ok, error).",
    ["stage", "outcome"],
    buckets=_SLOW,
)
ROUTED = Counter(
    "casapay_routed",
    "Alias invoices decided by the results stage: billed without review, or sent to review. "
    "The straight-through share is billed / (billed + review).",
    ["outcome"],
)
TRANSITIONS = Counter(
    "casapay_alias_invoice_transitions",
    "Alias invoices that entered a status (committed changes only).",
    ["status"],
)
FAILURES = Counter(
    "casapay_alias_invoice_failures", "Alias invoices that failed, by error code.", ["code"]
)
WEBHOOK_ATTEMPTS = Counter(
    "casapay_webhook_attempts",
    "Webhook POSTs, by result (succeeded: a 2xx within the timeout; failed: anything else).",
    ["result"],
)
WEBHOOK_GIVEN_UP = Counter(
    "casapay_webhook_deliveries_given_up",
    "Webhook deliveries abandoned after failing for the whole retry window.",
)
EMAIL_ATTEMPTS = Counter(
    "casapay_email_attempts",
    "Tenant email send attempts, by result (sent, failed).",
    ["result"],
)
EMAIL_GIVEN_UP = Counter(
    "casapay_emails_given_up", "Tenant emails marked failed after their last attempt."
)
HTTP_SECONDS = Histogram(
    "casapay_http_request_seconds",
    "HTTP requests by method, route template and status code.",
    ["method", "route", "status"],
    buckets=_FAST,
)

EXTRACTION_SOURCES = ("xml", "text", "ocr")
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
_CODE = re.compile(rb"^([2-5][0-9][0-9])[ \r\n]|^([2-5][0-9][0-9])$")


def smtp_reply(line: str | bytes) -> None:
    """Count one reply; continuation lines (`250-…`) belong to the reply they precede."""
    raw = line.encode("utf-8", "replace") if isinstance(line, str) else line
    if match := _CODE.match(raw):
        SMTP_REPLIES.labels((match.group(1) or match.group(2)).decode()).inc()


def timed_accept(handle_data: Callable[P, Awaitable[str]]) -> Callable[P, Awaitable[str]]:
    """Wraps the receiver's DATA handler: the time to its reply, by what the reply was."""

    @functools.wraps(handle_data)
    async def timed(*args: P.args, **kwargs: P.kwargs) -> str:
        started = time.perf_counter()
        reply = await handle_data(*args, **kwargs)
        outcome = {"2": "accepted", "4": "deferred"}.get(reply[:1], "refused")
        SMTP_ACCEPT_SECONDS.labels(outcome).observe(time.perf_counter() - started)
        return reply

    return timed


def extraction(source: str, seconds: float) -> None:
    EXTRACTION_SECONDS.labels(source if source in EXTRACTION_SOURCES else "text").observe(seconds)


def stage(name: str, outcome: str, seconds: float) -> None:
    STAGE_SECONDS.labels(name, outcome).observe(seconds)


def transition(status: str, error_code: str | None = None) -> None:
    TRANSITIONS.labels(status).inc()
    if error_code:
        FAILURES.labels(error_code).inc()


def routed(billed: bool) -> None:
    ROUTED.labels("billed" if billed else "review").inc()


def webhook_attempt(succeeded: bool) -> None:
    WEBHOOK_ATTEMPTS.labels("succeeded" if succeeded else "failed").inc()


def webhook_given_up() -> None:
    WEBHOOK_GIVEN_UP.inc()


def email_attempt(sent: bool) -> None:
    EMAIL_ATTEMPTS.labels("sent" if sent else "failed").inc()


def email_given_up() -> None:
    EMAIL_GIVEN_UP.inc()


def http_request(method: str, route: str, status: int, seconds: float) -> None:
    """`route` is the matched template (`/v1/invoices/{id}`), never the raw path."""
    method = method if method in _METHODS else "OTHER"
    HTTP_SECONDS.labels(method, route, str(status)).observe(seconds)


# --- exposition ----------------------------------------------------------------------------


class _ThisProcess(Collector):
    """The process's default registry, as one collector of a per-scrape registry."""

    def collect(self) -> Iterable[Any]:
        return REGISTRY.collect()


def multiprocess() -> bool:
    return bool(os.environ.get(MULTIPROC_ENV))


@contextmanager
def shared_by(workers: int) -> Iterator[None]:
    """Around starting `workers` API processes: with more than one, each writes its samples to
    a fresh directory (inherited through the environment) that every scrape sums, and the
    directory goes when they stop. An operator's own PROMETHEUS_MULTIPROC_DIR is used as is."""
    if workers <= 1 or multiprocess():
        yield
        return
    path = tempfile.mkdtemp(prefix="casapay-metrics-")
    os.environ[MULTIPROC_ENV] = path
    try:
        yield
    finally:
        del os.environ[MULTIPROC_ENV]
        shutil.rmtree(path, ignore_errors=True)


def exposition(*extra: Collector) -> bytes:
    """The text a scrape gets: this process's samples (or, in multiprocess mode, the sum over
    every process writing to the shared directory), plus `extra` collectors."""
    registry = CollectorRegistry(auto_describe=False)
    if multiprocess():
        MultiProcessCollector(registry)
    else:
        registry.register(_ThisProcess())
    for collector in extra:
        registry.register(collector)
    return generate_latest(registry)


@dataclass
class MetricsServer:
    """A process's own metrics port (SMTP receiver, worker)."""

    server: Any
    thread: Thread
    port: int

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)


def serve_port(host: str, port: int, role: str) -> MetricsServer | None:
    """Serve this process's metrics on `host:port` (0 = not at all). A port already taken is
    logged and skipped: the process's real work matters more than its metrics, and a scrape
    that fails shows as `up == 0` in Prometheus."""
    if port == 0:
        return None
    try:
        server, thread = start_http_server(port, addr=host)
    except OSError as exc:
        log.error(
            "%s metrics not served: cannot listen on %s:%s (%s); set its metrics port to a "
            "free one, or 0 for none",
            role,
            host,
            port,
            exc,
        )
        return None
    bound = int(server.server_address[1])
    log.info("%s metrics on http://%s:%s/metrics", role, host, bound)
    return MetricsServer(server, thread, bound)
