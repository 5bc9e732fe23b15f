"""The file mechanics shared by the local caches of derived data (renders, OCR readings).

Files are written aside and renamed, so a reader in another process never sees half a file; a
hit refreshes the modification time, and past the size bound the least recently used go first.
A cache that fails (a full disk, an unreadable file) logs and answers "not kept": it never fails
a document.
"""

from __future__ import annotations

import contextlib
import logging
import os
import tempfile
from pathlib import Path

log = logging.getLogger(__name__)


def read_kept(path: Path, what: str) -> bytes | None:
    """The bytes kept at `path` (refreshed as recently used), or None when there are none."""
    try:
        blob = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        log.warning("%s: cannot read %s (%s); making it again", what, path.name, exc)
        return None
    # Recently used: evicted last. Another process may have evicted it meanwhile: the bytes
    # read are still good.
    with contextlib.suppress(FileNotFoundError):
        os.utime(path)
    return blob


def keep(path: Path, blob: bytes, max_bytes: int, what: str) -> None:
    """Keep `blob` at `path`, then trim the files of its kind in its directory to `max_bytes`."""
    directory = path.parent
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=directory, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(blob)
            os.replace(tmp, path)
        finally:
            Path(tmp).unlink(missing_ok=True)  # only left when the write failed
        trim(directory, path.suffix, max_bytes)
    except OSError as exc:
        log.warning("%s: cannot keep %s in %s (%s)", what, path.name, directory, exc)


def trim(directory: Path, suffix: str, max_bytes: int) -> None:
    """Keep the `suffix` files of `directory` within `max_bytes`: the least recently used
    (oldest modification time, which a hit refreshes) go first, down to 80 % of the bound."""
    entries = []
    for entry in os.scandir(directory):
        if entry.name.endswith(suffix):
            try:
                stat = entry.stat()
            except FileNotFoundError:  # another process evicted it meanwhile
                continue
            entries.append((stat.st_mtime, stat.st_size, entry.path))
    total = sum(size for _, size, _ in entries)
    if total <= max_bytes:
        return
    for _, size, path in sorted(entries):
        Path(path).unlink(missing_ok=True)
        total -= size
        if total <= max_bytes * 0.8:
            break
