"""Reading untrusted documents in warm child processes with hard CPU, memory and time limits.

A Dramatiq time limit cannot interrupt C code in pdfium, zlib or tesseract, and a page that asks
for 8 GB takes the whole worker down with it. Each document is therefore read by a child process
(`python -m extract.sandbox_child`) under an address-space rlimit, a CPU-time rlimit per document
and a wall-clock kill. A limit that is hit is a permanent `*_too_large`/`*_too_complex` failure,
never a retry. Children are kept warm (imports and spaCy loaded once) and reused; a pool of two
lets one worker use both cores.
"""

from __future__ import annotations

import contextlib
import logging
import os
import pickle
import queue
import select
import signal
import struct
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from typing import Any

from extract.config import ExtractConfig
from extract.result import Extraction, ExtractionFailed

log = logging.getLogger(__name__)

_HEADER = struct.Struct("!Q")
# Deaths that come from outside (a shutdown, an operator): the document is not to blame.
_TRANSIENT_SIGNALS = {signal.SIGTERM, signal.SIGINT, signal.SIGHUP}


@dataclass(frozen=True)
class SandboxLimits:
    """Per child process: address space; per document: CPU seconds and wall-clock seconds."""

    memory_bytes: int = 1536 * 2**20
    cpu_seconds: int = 120
    wall_seconds: float = 240.0
    processes: int = 2
    documents_per_child: int = 200  # then a fresh child: no slow growth over days


class SandboxCrashed(RuntimeError):
    """The child died for a reason that is not the document's (transient: retry later)."""


class _Child:
    """One warm child process and its pipes."""

    def __init__(self, limits: SandboxLimits) -> None:
        env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
        env["CASAPAY_SANDBOX_MEMORY_BYTES"] = str(limits.memory_bytes)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "extract.sandbox_child"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
            start_new_session=True,  # its own process group: tesseract dies with it
        )
        self.documents = 0
        assert self.proc.stdout is not None
        ready = self._read(self.proc.stdout.fileno(), _HEADER.size, time.monotonic() + 120)
        if ready is None:
            self.kill()
            raise SandboxCrashed("the reader process did not start")

    def peak_rss_bytes(self) -> int:
        """The child's peak resident memory so far (VmHWM), 0 when unknown."""
        try:
            with open(f"/proc/{self.proc.pid}/status", encoding="ascii") as status:
                for line in status:
                    if line.startswith("VmHWM:"):
                        return int(line.split()[1]) * 1024
        except OSError:
            pass
        return 0

    def send(self, payload: bytes) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write(_HEADER.pack(len(payload)) + payload)
        self.proc.stdin.flush()

    def receive(self, deadline: float) -> bytes | None:
        """The child's answer, or None when the deadline passed or the child died."""
        assert self.proc.stdout is not None
        fd = self.proc.stdout.fileno()
        header = self._read(fd, _HEADER.size, deadline)
        if header is None:
            return None
        (size,) = _HEADER.unpack(header)
        return self._read(fd, size, deadline)

    @staticmethod
    def _read(fd: int, size: int, deadline: float) -> bytes | None:
        chunks: list[bytes] = []
        remaining = size
        while remaining:
            timeout = deadline - time.monotonic()
            if timeout <= 0 or not select.select([fd], [], [], timeout)[0]:
                return None
            chunk = os.read(fd, min(remaining, 1 << 20))
            if not chunk:
                return None  # EOF: the child died
            chunks.append(chunk)
            remaining -= len(chunk)
        return b"".join(chunks)

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()
        for pipe in (self.proc.stdin, self.proc.stdout):
            if pipe is not None:
                pipe.close()

    def stop(self) -> None:
        """Ask politely (EOF on stdin), then kill."""
        try:
            if self.proc.stdin is not None:
                self.proc.stdin.close()
            self.proc.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            pass
        self.kill()


class Sandbox:
    """A pool of warm children; `extract` blocks the calling thread until its document is read."""

    def __init__(self, limits: SandboxLimits | None = None) -> None:
        self.limits = limits or SandboxLimits()
        self._idle: queue.LifoQueue[_Child] = queue.LifoQueue()
        self._slots = threading.BoundedSemaphore(self.limits.processes)
        self._lock = threading.Lock()
        self._children: set[_Child] = set()
        self._closed = False

    def extract(self, data: bytes, config: ExtractConfig) -> Extraction:
        """Read one document in a child; raises ExtractionFailed or SandboxCrashed."""
        with self._slots:
            child = self._take()
            try:
                outcome = self._run(child, data, config)
            except BaseException:
                self._discard(child)
                raise
            self._give_back(child)
        if isinstance(outcome, ExtractionFailed):
            raise outcome
        return outcome

    def _run(self, child: _Child, data: bytes, config: ExtractConfig) -> Any:
        child.documents += 1
        payload = pickle.dumps((data, config, self.limits.cpu_seconds), protocol=5)
        deadline = time.monotonic() + self.limits.wall_seconds
        with contextlib.suppress(OSError):  # it died before reading: the answer tells why
            child.send(payload)
        answer = child.receive(deadline)
        if answer is not None:
            result: Extraction | Exception = pickle.loads(answer)  # our own child's bytes
            if isinstance(result, Extraction | ExtractionFailed):
                return result
            raise SandboxCrashed(f"the reader failed: {result}")
        timed_out = child.proc.poll() is None
        child.kill()
        if timed_out:
            raise ExtractionFailed(
                "pdf_too_complex",
                f"reading the document took longer than {self.limits.wall_seconds:.0f} s",
            )
        return _death(child.proc.returncode, self.limits)

    def _take(self) -> _Child:
        with self._lock:
            if self._closed:
                raise SandboxCrashed("the sandbox is shut down")
        try:
            return self._idle.get_nowait()
        except queue.Empty:
            child = _Child(self.limits)
            with self._lock:
                self._children.add(child)
            return child

    def _give_back(self, child: _Child) -> None:
        if child.documents >= self.limits.documents_per_child or child.proc.poll() is not None:
            self._discard(child)
            return
        self._idle.put(child)

    def _discard(self, child: _Child) -> None:
        child.kill()
        with self._lock:
            self._children.discard(child)

    def peak_rss_bytes(self) -> int:
        """The largest peak resident memory among the live children."""
        with self._lock:
            children = list(self._children)
        return max((child.peak_rss_bytes() for child in children), default=0)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            children = list(self._children)
            self._children.clear()
        for child in children:
            child.stop()


def _death(returncode: int | None, limits: SandboxLimits) -> ExtractionFailed:
    """Why a child died, as the document's permanent failure (or a transient crash)."""
    code = -(returncode or 0)
    if code in _TRANSIENT_SIGNALS:
        raise SandboxCrashed(f"the reader process was stopped by signal {code}")
    if code == signal.SIGXCPU:
        return ExtractionFailed(
            "pdf_too_complex", f"reading the document needs more than {limits.cpu_seconds} s of CPU"
        )
    log.warning("sandbox child died with status %s", returncode)
    return ExtractionFailed(
        "pdf_too_large",
        f"reading the document exceeded the reader's limits (exit status {returncode})",
    )


_default: Sandbox | None = None
_default_lock = threading.Lock()


def default_sandbox() -> Sandbox:
    """The process's sandbox, started on first use and stopped at exit."""
    global _default
    with _default_lock:
        if _default is None:
            import atexit

            _default = Sandbox()
            atexit.register(_default.close)
        return _default


def extract_in_sandbox(data: bytes, config: ExtractConfig) -> Extraction:
    """`extract_document` behind the process's sandbox (what the extract stage calls)."""
    return default_sandbox().extract(data, config)
