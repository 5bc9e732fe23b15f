"""Attachments inside Outlook containers: .msg files (OLE) and winmail.dat (TNEF).

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
MSG_TYPES = {"application/vnd.ms-outlook", "application/x-msg"}
TNEF_TYPES = {"application/ms-tnef", "application/vnd.ms-tnef"}
_DATA = "__substg1.0_37010102"  # PR_ATTACH_DATA_BIN
_NAMES = ("__substg1.0_3707001F", "__substg1.0_3704001F")  # long, then 8.3 file name


def attachments_in_msg(data: bytes) -> list[tuple[str, bytes]]:
    """Every attachment of a .msg, and of the messages embedded in it, with its file name."""
    found = []
    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            for path in ole.listdir(streams=True, storages=False):
                if path[-1] != _DATA:
                    continue
                payload = ole.openstream(path).read()
                found.append((_stream_text(ole, [*path[:-1]]), payload))
    except (OSError, ValueError) as exc:  # olefile reports damage as OSError
        log.info("unreadable .msg attachment: %s", exc)
    return found


def _stream_text(ole: olefile.OleFileIO, storage: list[str]) -> str:
    for stream in _NAMES:
        path = [*storage, stream]
        if ole.exists("/".join(path)):
            return ole.openstream(path).read().decode("utf-16-le", "replace").rstrip("\x00")
    return ""


def attachments_in_tnef(data: bytes) -> list[tuple[str, bytes]]:
    try:
        tnef = TNEF(data)
    except Exception as exc:  # tnefparse raises bare ValueError/struct.error/... on damage
        log.info("unreadable winmail.dat: %s", exc)
        return []
    found = []
    for attachment in tnef.attachments:
        name = attachment.long_filename() or attachment.name or ""
        if isinstance(name, bytes):
            name = name.decode("latin-1")
        found.append((str(name), bytes(attachment.data or b"")))
    return found
