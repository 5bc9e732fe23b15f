"""The work queue: Dramatiq over Redis, or in-process for the embedded defaults.

Stages hand work to each other by actor *name* with row ids, never by importing each other.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import dramatiq
from dramatiq.brokers.redis import RedisBroker
from dramatiq.brokers.stub import StubBroker
from dramatiq.common import dq_name
from dramatiq.middleware import CurrentMessage

from models import logs, metrics


class QueueUnavailable(Exception):
    code = "queue_unavailable"


# Queue names double as actor names: one actor per queue keeps priorities independent.
EXTRACT = "extract"
ROUTE = "route"
NOTIFY = "notify"
WEBHOOK = "webhook"


@dataclass(frozen=True)
class ActorSpec:
    """One stage's actor, as each stage's `actors` module declares it: a name (also its queue),
    the body `run(services, object_id)`, its time limit and how often Dramatiq retries it."""

    name: str
    run: Callable[[Any, str], None]
    time_limit_ms: int
    max_retries: int
    permanent: tuple[type[BaseException], ...] = ()


# A message carries the log ids of the work that sent it (models/logs.py), under this option.
LOG_IDS = "casapay_log_ids"


def make_broker(redis_url: str | None) -> dramatiq.Broker:
    broker: dramatiq.Broker = RedisBroker(url=redis_url) if redis_url else StubBroker()
    broker.add_middleware(CurrentMessage())
    return broker


class Queue:
    def __init__(self, broker: dramatiq.Broker) -> None:
        self.broker = broker
        for name in (EXTRACT, ROUTE, NOTIFY, WEBHOOK):
            broker.declare_queue(name)

    def enqueue(self, actor_name: str, *args: Any, delay_ms: int | None = None) -> None:
        """Send a message; call only after the transaction that wrote the rows has committed."""
        ids = logs.current()
        message: dramatiq.Message[Any] = dramatiq.Message(
            queue_name=actor_name,
            actor_name=actor_name,
            args=args,
            kwargs={},
            options={LOG_IDS: ids} if ids else {},
        )
        try:
            self.broker.enqueue(message, delay=delay_ms)
        except Exception as exc:  # redis errors vary by transport; all mean "not queued"
            raise QueueUnavailable(f"cannot enqueue {actor_name}: {exc}") from exc

    def register(self, spec: ActorSpec, services: Any) -> None:
        """Bind an actor to this process's services (the composition root calls this)."""

        def run(object_id: str) -> None:
            message = CurrentMessage.get_current_message()
            carried = message.options.get(LOG_IDS, {}) if message else {}
            started, outcome = time.perf_counter(), "error"
            with logs.bind(**{**carried, **logs.ids_of(object_id)}):
                try:
                    spec.run(services, object_id)
                    outcome = "ok"
                finally:
                    metrics.stage(spec.name, outcome, time.perf_counter() - started)

        self.broker.declare_queue(spec.name)
        dramatiq.Actor(
            run,
            broker=self.broker,
            actor_name=spec.name,
            queue_name=spec.name,
            priority=0,
            options={
                "time_limit": spec.time_limit_ms,
                "max_retries": spec.max_retries,
                "min_backoff": 500,
                "max_backoff": 60_000,
                "throws": spec.permanent,
            },
        )

    def pending(self, name: str) -> int:
        """Messages of a queue not yet acknowledged: waiting, delayed, or being worked on."""
        if isinstance(self.broker, RedisBroker):
            keys = [f"{self.broker.namespace}:{q}.msgs" for q in (name, dq_name(name))]
            try:
                return sum(int(self.broker.client.hlen(key)) for key in keys)
            except Exception as exc:
                raise QueueUnavailable(str(exc)) from exc
        if isinstance(self.broker, StubBroker):
            queues = self.broker.queues
            return sum(queues[q].unfinished_tasks for q in (name, dq_name(name)) if q in queues)
        return 0

    def ping(self) -> None:
        if isinstance(self.broker, RedisBroker):
            try:
                self.broker.client.ping()
            except Exception as exc:
                raise QueueUnavailable(str(exc)) from exc
