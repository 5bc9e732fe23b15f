"""Parsing mail off the event loop, in child processes with a CPU budget and a memory cap.

A thread would hold the GIL while a hostile message is parsed and stall every other SMTP session;
a child process does not, and it can be stopped. Each child parses one message at a time:
- past `parse_cpu_seconds` of CPU (ITIMER_VIRTUAL) the parse stops: the message is refused;
- past `parser_memory_bytes` (RLIMIT_AS) a MemoryError stops it: refused too;
- past a wall-clock deadline (the machine is overloaded, or the child hangs in C code) the child
  is killed and replaced, and the sender is asked to try later (our transient failure).
"""

from __future__ import annotations

import asyncio
import fcntl
import logging
import multiprocessing
import resource
import signal
from concurrent.futures import ThreadPoolExecutor
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from types import FrameType
from typing import Any

from ingest.limits import MailLimits
from ingest.mime import ParsedMail, parse_mail
from ingest.refusals import MailRefused, TooComplex

log = logging.getLogger(__name__)


class ParserUnavailable(Exception):
    """The parse could not finish in time for reasons of ours: the sender should retry."""


class _CpuBudgetSpent(Exception):
    pass


def _on_budget_spent(signum: int, frame: FrameType | None) -> None:
    raise _CpuBudgetSpent


def _serve(requests: Connection, replies: Connection, limits: MailLimits) -> None:
    """A child's loop: bytes in, ("ok", ParsedMail) | ("refused", MailRefused) out."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when children stop
    memory = limits.parser_memory_bytes
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    signal.signal(signal.SIGVTALRM, _on_budget_spent)
    while True:
        try:
            raw = requests.recv_bytes()
        except (EOFError, OSError):
            return
        outcome: tuple[str, Any]
        signal.setitimer(signal.ITIMER_VIRTUAL, limits.parse_cpu_seconds)
        try:
            outcome = ("ok", parse_mail(raw, limits))
        except MailRefused as refused:
            outcome = ("refused", refused)
        except _CpuBudgetSpent:
            outcome = ("refused", TooComplex("Message too complex: it takes too long to parse"))
        except MemoryError:
            outcome = ("refused", TooComplex("Message too complex: it needs too much memory"))
        finally:
            signal.setitimer(signal.ITIMER_VIRTUAL, 0)
        del raw
        replies.send(outcome)


# A pipe holds 64 KiB by default: a message of a few hundred KiB then crossed it in steps, each
# waiting for the other process to be scheduled (on a busy machine that doubled the parse's
# wall time). Linux lets any process grow a pipe to 1 MiB (fs.pipe-max-size), which carries a
# typical invoice mail, and its parsed documents back, in one write.
PIPE_BYTES = 1 << 20


class _Child:
    def __init__(self, context: Any, limits: MailLimits) -> None:
        # Two one-way pipes (a duplex Pipe is a socket pair, whose buffer only root can grow).
        child_requests, self.requests = context.Pipe(duplex=False)
        self.replies, child_replies = context.Pipe(duplex=False)
        for end in (self.requests, self.replies):
            _widen(end)
        self.process: BaseProcess = context.Process(
            target=_serve,
            args=(child_requests, child_replies, limits),
            name="casapay-mime",
            daemon=True,
        )
        self.process.start()
        child_requests.close()
        child_replies.close()

    def parse(self, raw: bytes, timeout: float) -> tuple[str, Any]:
        self.requests.send_bytes(raw)
        if not self.replies.poll(timeout):
            raise TimeoutError
        result: tuple[str, Any] = self.replies.recv()
        return result

    def stop(self) -> None:
        self.requests.close()
        self.replies.close()
        self.process.join(2)
        if self.process.is_alive():
            self.process.kill()
            self.process.join(2)


def _widen(end: Connection) -> None:
    """Grow the pipe under `end` to PIPE_BYTES where the system allows it (Linux); elsewhere,
    or past the system's limit, it keeps its size and works as before, in steps."""
    setpipe = getattr(fcntl, "F_SETPIPE_SZ", None)
    if setpipe is None:
        return
    try:
        fcntl.fcntl(end.fileno(), setpipe, PIPE_BYTES)
    except OSError as exc:
        log.debug("mail parser pipe keeps its size: %s", exc)


class ParserPool:
    """`await pool.parse(raw)` from the event loop; waiting messages are served first come."""

    def __init__(self, limits: MailLimits, workers: int = 2, timeout: float = 60.0) -> None:
        self.limits = limits
        self.timeout = timeout
        self._context = multiprocessing.get_context("forkserver")
        self._context.set_forkserver_preload(["ingest.parser_pool"])  # children start warm
        self._children = [_Child(self._context, limits) for _ in range(max(1, workers))]
        self._threads = ThreadPoolExecutor(len(self._children), thread_name_prefix="mime")
        self._idle: asyncio.Queue[_Child] | None = None

    async def parse(self, raw: bytes) -> ParsedMail:
        """The parsed mail; raises MailRefused (permanent) or ParserUnavailable (try later)."""
        idle = self._idle_queue()
        child = await idle.get()
        loop = asyncio.get_running_loop()
        try:
            status, value = await loop.run_in_executor(
                self._threads, child.parse, raw, self.timeout
            )
        except (TimeoutError, EOFError, OSError) as exc:
            log.warning("mail parser did not answer (%s); replacing it", type(exc).__name__)
            child = await loop.run_in_executor(self._threads, self._replace, child)
            raise ParserUnavailable("the mail parser did not finish in time") from exc
        finally:
            idle.put_nowait(child)
        if status == "refused":
            raise value
        parsed: ParsedMail = value
        return parsed

    def _idle_queue(self) -> asyncio.Queue[_Child]:
        if self._idle is None:  # made on the event loop that uses it
            self._idle = asyncio.Queue()
            for child in self._children:
                self._idle.put_nowait(child)
        return self._idle

    def _replace(self, child: _Child) -> _Child:
        child.process.kill()
        child.stop()
        fresh = _Child(self._context, self.limits)
        self._children[self._children.index(child)] = fresh
        return fresh

    def close(self) -> None:
        for child in self._children:
            child.stop()
        self._threads.shutdown(wait=False)
