"""PDFs inside Outlook containers: .msg files (OLE) and winmail.dat (TNEF).

Outlook users drag a mail onto a new one (a .msg attachment), and Outlook's rich-text mail wraps
every attachment in winmail.dat. Both hide invoices a plain MIME walk never sees.
"""

from __future__ import annotations

import io
import logging

import olefile
from tnefparse import TNEF

log = logging.getLogger(__name__)

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
TNEF_MAGIC = b"\x78\x9f\x3e\x22"
_DATA = "__substg1.0_37010102"  # PR_ATTACH_DATA_BIN
_NAMES = ("__substg1.0_3707001F", "__substg1.0_3704001F")  # long, then 8.3 file name


def pdfs_in_msg(data: bytes) -> list[tuple[str, bytes]]:
    """Every attachment of a .msg (and of the messages embedded in it) that is a PDF."""
    found = []
    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            for path in ole.listdir(streams=True, storages=False):
                if path[-1] != _DATA:
                    continue
                payload = ole.openstream(path).read()
                name = _stream_text(ole, [*path[:-1]])
                if payload[:5] == b"%PDF-" or name.lower().endswith(".pdf"):
                    found.append((name, payload))
    except (OSError, ValueError) as exc:  # olefile reports damage as OSError
        log.info("unreadable .msg attachment: %s", exc)
    return found


def _stream_text(ole: olefile.OleFileIO, storage: list[str]) -> str:
    for stream in _NAMES:
        path = [*storage, stream]
        if ole.exists("/".join(path)):
            return ole.openstream(path).read().decode("utf-16-le", "replace").rstrip("\x00")
    return ""


def pdfs_in_tnef(data: bytes) -> list[tuple[str, bytes]]:
    try:
        tnef = TNEF(data)
    except Exception as exc:  # tnefparse raises bare ValueError/struct.error on damage
        log.info("unreadable winmail.dat: %s", exc)
        return []
    found = []
    for attachment in tnef.attachments:
        payload = attachment.data or b""
        name = attachment.long_filename() or attachment.name or ""
        if isinstance(name, bytes):
            name = name.decode("latin-1")
        if payload[:5] == b"%PDF-" or str(name).lower().endswith(".pdf"):
            found.append((str(name), bytes(payload)))
    return found
