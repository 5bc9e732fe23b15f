"""Documents inside ZIP archives, read within the message's limits.

Declared sizes can lie, so members are inflated in chunks and the real bytes counted: a zip bomb
is refused after at most `max_archive_bytes` of work, never expanded in memory or in storage.
"""

from __future__ import annotations

import io
import lzma
import struct
import zipfile
import zlib

from ingest.documents import DOCUMENT_NAMES
from ingest.limits import MailLimits
from ingest.refusals import MalformedContent, TooComplex

ZIP_TYPES = {"application/zip", "application/x-zip-compressed", "application/x-zip"}
ZIP_MAGIC = b"PK\x03\x04"
_CHUNK = 64 * 1024


class ArchiveBudget:
    """Inflated bytes left for all the archives of one message."""

    def __init__(self, limits: MailLimits) -> None:
        self.limits = limits
        self.left = limits.max_archive_bytes

    def spend(self, amount: int) -> None:
        """Count `amount` inflated bytes (or a member's declared size, to refuse it unread)."""
        self.left -= amount
        if self.left < 0:
            raise TooComplex(
                "Message too complex: its archives expand beyond "
                f"{self.limits.max_archive_bytes // (1024 * 1024)} MB"
            )


def members_in_zip(data: bytes, budget: ArchiveBudget) -> list[tuple[str, bytes]]:
    """(name, bytes) of every member named like a document; [] when it is not a readable zip."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, NotImplementedError, struct.error):
        return []  # not an archive after all (e.g. PK bytes in an octet stream): no documents
    limits = budget.limits
    found = []
    with archive:
        infos = archive.infolist()
        if len(infos) > limits.max_archive_entries:
            raise TooComplex(
                f"Message too complex: an archive lists {len(infos)} entries "
                f"(at most {limits.max_archive_entries})"
            )
        for info in infos:
            if info.is_dir() or not info.filename.lower().rstrip().endswith(DOCUMENT_NAMES):
                continue
            member = _read(archive, info, budget)
            if member is not None:
                found.append((info.filename, member))
                if len(found) > limits.max_documents:
                    raise TooComplex(
                        f"Too many documents in one message: at most {limits.max_documents}; "
                        "send them in several messages"
                    )
    return found


def _read(archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: ArchiveBudget) -> bytes | None:
    limits = budget.limits
    if info.file_size > budget.left:
        budget.spend(info.file_size)  # its declared size alone is over the budget
    chunks: list[bytes] = []
    size = 0
    try:
        with archive.open(info) as member:
            while chunk := member.read(_CHUNK):
                size += len(chunk)
                budget.spend(len(chunk))
                ratio = size / max(info.compress_size, 1)
                if size > limits.archive_ratio_floor_bytes and ratio > limits.max_archive_ratio:
                    raise TooComplex(
                        "Message too complex: an archive member expands more than "
                        f"{limits.max_archive_ratio} times"
                    )
                chunks.append(chunk)
    except (RuntimeError, NotImplementedError):
        return None  # encrypted, or a compression method we cannot read: nothing to bill
    except (
        zlib.error,
        lzma.LZMAError,
        zipfile.BadZipFile,
        EOFError,
        OSError,
        ValueError,  # a damaged local header makes zipfile seek before the start
        struct.error,
    ) as exc:
        raise MalformedContent(f"Malformed content: a damaged archive member ({exc})") from exc
    return b"".join(chunks)
