"""One unit of work: a transaction, and the queue messages it decided to send after commit.

Code that changes rows calls `enqueue_after_commit(session, actor, id)`; the message is held
until the transaction commits, so a worker never looks for a row that does not exist yet, and a
rolled-back transaction sends nothing. One policy when the queue is down after the commit: the
rows are already the truth, so the message is dropped with a warning naming it and the reason,
and the sweeper re-sends the work from the rows. Callers never see the queue's failure.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from models.queue import Queue, QueueUnavailable

if TYPE_CHECKING:
    from models.services import Services

log = logging.getLogger(__name__)

_KEY = "casapay.unit_of_work"


@dataclass(frozen=True)
class Job:
    actor: str
    args: tuple[Any, ...]
    delay_ms: int | None = None


@dataclass(frozen=True)
class RequestInfo:
    """The API request that caused a change (Stripe's event `request`); None for workers."""

    id: str | None = None
    idempotency_key: str | None = None


@dataclass
class UnitOfWork:
    session: Session
    services: Services
    request: RequestInfo = field(default_factory=RequestInfo)
    jobs: list[Job] = field(default_factory=list)
    # What to note once the change is durable (metrics, log lines): a rollback drops it.
    committed: list[Callable[[], None]] = field(default_factory=list)

    def enqueue(self, actor: str, *args: Any, delay_ms: int | None = None) -> None:
        self.jobs.append(Job(actor, args, delay_ms))

    def after_commit(self, note: Callable[[], None]) -> None:
        self.committed.append(note)

    @property
    def public_url(self) -> str:
        return self.services.settings.public_url


@contextmanager
def unit_of_work(services: Services, request: RequestInfo | None = None) -> Iterator[Session]:
    """A session in a transaction; messages enqueued in it are sent once it has committed."""
    with services.sessions() as session, work_in(session, services, request):
        yield session


@contextmanager
def work_in(
    session: Session, services: Services, request: RequestInfo | None = None
) -> Iterator[Session]:
    """The same, on a session that already exists (the API's one session per request): the
    transaction it is in, begun or not yet, commits when the block ends."""
    work = UnitOfWork(session, services, request or RequestInfo())
    session.info[_KEY] = work
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.info.pop(_KEY, None)
    send(services.queue, work.jobs)
    for note in work.committed:
        note()


def current(session: Session) -> UnitOfWork:
    """The unit of work a session belongs to; writing code must run inside one."""
    work = session.info.get(_KEY)
    if not isinstance(work, UnitOfWork):
        raise RuntimeError(
            "this change needs a unit of work (models.unit_of_work.unit_of_work), "
            "so that its messages and events follow the transaction"
        )
    return work


def enqueue_after_commit(
    session: Session, actor: str, *args: Any, delay_ms: int | None = None
) -> None:
    current(session).enqueue(actor, *args, delay_ms=delay_ms)


def send(queue: Queue, jobs: Sequence[Job]) -> int:
    """Send committed work; returns how many messages the queue took. At the first refusal the
    rest are not tried (each would wait for the same dead broker): one warning names them."""
    for sent, job in enumerate(jobs):
        try:
            queue.enqueue(job.actor, *job.args, delay_ms=job.delay_ms)
        except QueueUnavailable as exc:
            unsent = ", ".join(f"{j.actor}{list(j.args)}" for j in jobs[sent:])
            log.warning(
                "queue unavailable (%s); not queued: %s. The rows are committed: the sweeper "
                "re-sends this work when the queue is back",
                exc,
                unsent,
            )
            return sent
    return len(jobs)
