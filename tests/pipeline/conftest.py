from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from cli import WorkerRuntime, start_worker
from models.services import Services
from models.unit_of_work import unit_of_work
from review.service import Decider, approve
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


def approve_as_ops(
    services: Services, item_id: str, corrections: dict[str, Any] | None = None
) -> None:
    """A reviewer approves the item (with corrections), as the workbench would."""
    with unit_of_work(services) as session:
        approve(
            session,
            item_id,
            corrections or {},
            scope=None,
            decider=Decider("ops:maria", "ops_user:1"),
            public_url="http://testserver",
            now=services.clock(),
        )
