"""The sandbox's child process: read documents sent on stdin, answer on a private pipe.

Limits are set on itself before any document arrives: an address-space rlimit for its whole
life, and per document a CPU-time soft limit (SIGXCPU ends it) counted from what it had used.
Its stdout is moved to stderr so a library's stray print cannot corrupt the answers.
"""

from __future__ import annotations

import os
import pickle
import resource
import struct
import sys

_HEADER = struct.Struct("!Q")


def _read_exact(fd: int, size: int) -> bytes | None:
    chunks: list[bytes] = []
    while size:
        chunk = os.read(fd, min(size, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def _cpu_used() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _warm_up() -> None:
    """Load the engine's libraries and rules once, before the first document."""
    import pdfplumber  # noqa: F401
    import pypdf  # noqa: F401
    import pypdfium2  # noqa: F401

    from extract.nlp import find_labels

    find_labels("total")


def main() -> int:
    answers = os.dup(1)
    os.dup2(2, 1)  # anything printed goes to stderr, not into the answer pipe
    memory = int(os.environ.get("CASAPAY_SANDBOX_MEMORY_BYTES", "0"))
    if memory:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    _warm_up()
    from extract import ExtractionFailed, extract_document

    _write_all(answers, _HEADER.pack(0))  # ready: the parent's clock starts with the document

    requests = sys.stdin.fileno()
    while True:
        header = _read_exact(requests, _HEADER.size)
        if header is None:
            return 0  # the parent closed the pipe or died
        body = _read_exact(requests, _HEADER.unpack(header)[0])
        if body is None:
            return 0
        data, config, cpu_seconds = pickle.loads(body)  # from our own parent
        soft = int(_cpu_used()) + int(cpu_seconds)
        resource.setrlimit(resource.RLIMIT_CPU, (soft, resource.RLIM_INFINITY))
        try:
            outcome: object = extract_document(data, config)
        except ExtractionFailed as failure:
            outcome = failure
        except Exception as exc:  # not the document's fault (guard.py): the parent retries
            outcome = RuntimeError(f"{type(exc).__name__}: {exc}")
        answer = pickle.dumps(outcome, protocol=5)
        try:
            _write_all(answers, _HEADER.pack(len(answer)) + answer)
        except BrokenPipeError:
            return 0  # the parent is gone (shut down or killed): nobody to answer


if __name__ == "__main__":
    sys.exit(main())
