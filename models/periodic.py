"""The worker's clock-driven duties (Dramatiq has no cron): one thread runs each task every
`CASAPAY_SWEEP_INTERVAL_SECONDS`. Tasks read what is due from the database, with the injected
clock, so they are idempotent and tests drive them with a fake clock."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence

from models.services import Services

log = logging.getLogger(__name__)

Task = Callable[[Services], object]


class Periodic(threading.Thread):
    def __init__(self, services: Services, tasks: Sequence[Task]) -> None:
        super().__init__(name="casapay-periodic", daemon=True)
        self.services = services
        self.tasks = tuple(tasks)
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(self.services.settings.sweep_interval_seconds):
            self.run_once()

    def run_once(self) -> None:
        for task in self.tasks:
            try:
                task(self.services)
            except Exception:  # each duty must outlive a database blip; it runs again soon
                log.exception("periodic task %s failed", getattr(task, "__name__", task))

    def stop(self) -> None:
        self.stopped.set()
