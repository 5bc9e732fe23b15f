"""The one boundary where every exception a parser can raise becomes a permanent, coded failure.

pypdf, pdfminer, pdfium, Pillow, zlib and tesseract each raise their own types (and plain
ValueError/KeyError/RecursionError from deep inside). Retrying the same bytes never helps, so
they all end here as ExtractionFailed; only missing tesseract data (our deployment, not the
document) stays transient.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from extract.result import ExtractionFailed

log = logging.getLogger(__name__)


@contextmanager
def failure_boundary(kind: str = "pdf") -> Iterator[None]:
    """Translate any exception raised while reading a document of `kind` ("pdf" | "image")."""
    try:
        yield
    except ExtractionFailed:
        raise
    except MemoryError as exc:
        raise ExtractionFailed(
            f"{kind}_too_large", "reading the document needs more memory than allowed"
        ) from exc
    except RecursionError as exc:
        raise ExtractionFailed(
            f"{kind}_too_complex", "the document's structure is nested too deeply"
        ) from exc
    except Exception as exc:
        failure = _known(exc, kind)
        if failure is None:
            raise
        log.info("%s reader failed: %s: %s", kind, type(exc).__name__, exc, exc_info=True)
        raise failure from exc


def _known(exc: Exception, kind: str) -> ExtractionFailed | None:
    from pypdf.errors import LimitReachedError

    from extract.tesseract import TesseractUnavailable

    if isinstance(exc, TesseractUnavailable):
        return None  # a broken installation: transient for the document
    if isinstance(exc, LimitReachedError):
        return ExtractionFailed(f"{kind}_too_complex", f"a parser limit was reached: {exc}")
    return ExtractionFailed(
        f"{kind}_unreadable", f"the document cannot be read ({type(exc).__name__}: {exc})"
    )
