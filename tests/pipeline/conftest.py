from __future__ import annotations

from collections.abc import Iterator

import pytest

from cli import WorkerRuntime, start_worker
from models.services import Services
from tests.ingest.conftest import smtp_port  # noqa: F401  (the SMTP receiver, for reply tests)


@pytest.fixture
def worker(services: Services) -> Iterator[WorkerRuntime]:
    runtime = start_worker(services)
    yield runtime
    runtime.stop()


def drain(services: Services) -> None:
    """Wait until every in-process queue is empty (stages enqueue each other)."""
    broker = services.queue.broker
    for _ in range(10):
        for name in ("extract", "route", "notify"):
            broker.join(name, fail_fast=True)  # type: ignore[attr-defined]
        if all(broker.queues[n].qsize() == 0 for n in ("extract", "route", "notify")):  # type: ignore[attr-defined]
            return
