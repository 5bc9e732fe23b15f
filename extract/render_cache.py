"""Page renders kept between attempts at the same document, in a bounded local directory.

A retry (a crashed reader, a database that was down when the result was saved) renders the same
pages again; a scanned page's render costs 70-150 ms (decoding the scan's image), reading it back
from here about 10 ms. Keyed by the document's SHA-256, the page and the dpi asked for, so a
changed document never meets an old render.

A local directory, not the blob store: a render is derived data, rebuilt in a moment, so it needs
neither the store's durability nor a network round trip that costs as much as rendering again;
a retry that lands on another host simply renders. Files are zlib'd raw grayscale (a 300 dpi
page is 8.7 MB raw, 0.2-0.3 MB stored), kept as `cache_dir` keeps files: bounded, least
recently used first out, and a damaged or unwritable file means rendering, never a failure.
"""

from __future__ import annotations

import hashlib
import logging
import os
import struct
import zlib
from pathlib import Path
from typing import Any

from extract.cache_dir import keep, read_kept

log = logging.getLogger(__name__)

_MAGIC = b"CPR1"
_HEADER = struct.Struct("!4sIIf")  # magic, width, height, dpi actually rendered at
DEFAULT_MAX_BYTES = 256 * 2**20  # about a thousand pages


def document_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class RenderCache:
    """Renders of pages by (document hash, page index, dpi asked for)."""

    def __init__(self, directory: str | os.PathLike[str], max_bytes: int = DEFAULT_MAX_BYTES):
        self.directory = Path(directory)
        self.max_bytes = max_bytes

    def path(self, digest: str, index: int, dpi: int) -> Path:
        return self.directory / f"{digest}-p{index}-{dpi}dpi.render"

    def get(self, digest: str, index: int, dpi: int) -> Any | None:
        """The cached grayscale image (its dpi in `info`), or None."""
        from PIL import Image

        path = self.path(digest, index, dpi)
        blob = read_kept(path, "render cache")
        if blob is None:
            return None
        try:
            magic, width, height, real_dpi = _HEADER.unpack_from(blob)
            if magic != _MAGIC:
                raise ValueError("not a render file")
            pixels = zlib.decompress(blob[_HEADER.size :])
            image = Image.frombytes("L", (width, height), pixels)
        except (ValueError, struct.error, zlib.error) as exc:
            log.warning("render cache: %s is damaged (%s); rendering instead", path.name, exc)
            path.unlink(missing_ok=True)
            return None
        image.info["dpi"] = (real_dpi, real_dpi)
        return image

    def put(self, digest: str, index: int, dpi: int, image: Any) -> None:
        """Keep a render (grayscale, dpi in `info`), within the directory's bound."""
        real_dpi = float(image.info.get("dpi", (dpi, dpi))[0])
        blob = _HEADER.pack(_MAGIC, image.width, image.height, real_dpi) + zlib.compress(
            image.tobytes(), 1
        )
        keep(self.path(digest, index, dpi), blob, self.max_bytes, "render cache")
