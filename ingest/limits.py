"""The bounds on what one message may cost the receiver (issue: hostile input).

Every limit is far above what real mail needs (measured on the corpus) and far below what makes a
message expensive. A message over a limit is refused with a permanent reply saying which.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class MailLimits:
    # Nesting of multiparts and forwarded messages; real forwards of forwards stay below 10.
    max_depth: int = 20
    # MIME parts in the whole message, forwarded ones included.
    max_parts: int = 500
    # One header field (folded lines joined), and all header fields of one part together.
    max_header_bytes: int = 64 * 1024
    max_header_block_bytes: int = 256 * 1024
    # RFC 2231 pieces of one parameter (filename*0*, filename*1*, ...).
    max_param_continuations: int = 64
    # Archives: entries listed, bytes inflated in total, and the inflation ratio of a member
    # (checked past ratio_floor_bytes, so small text members may compress well).
    max_archive_entries: int = 1000
    max_archive_bytes: int = 64 * 1024 * 1024
    max_archive_ratio: int = 100
    archive_ratio_floor_bytes: int = 1024 * 1024
    # Documents (PDFs and photos) one message may turn into alias invoices.
    max_documents: int = 20
    # CPU seconds one message may take to parse; the parser is stopped past it.
    parse_cpu_seconds: float = 10.0
    # Address space of a parser process (bytes): a backstop against inflation we did not foresee.
    parser_memory_bytes: int = 1024 * 1024 * 1024
