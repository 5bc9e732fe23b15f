"""The cheap structural pass: build the part tree by finding boundaries, not by reading lines.

The standard feed parser looks at every line of every part (a 260 KB attachment is 3,500 lines
of base64); multipart bodies only need their delimiters found. This builds the same compat32
`Message` tree for well-formed mail (CRLF lines, delimiters where RFC 2046 puts them, a closing
delimiter) and answers None for anything else, which the full parser then handles.
"""

from __future__ import annotations

import itertools
import re
from email import policy
from email.message import Message
from email.parser import BytesHeaderParser

_HEADERS = BytesHeaderParser(policy=policy.compat32)
MAX_SPLIT_DEPTH = 64  # deeper trees go to the full parser, which reports the nesting


def split_message(raw: bytes) -> Message | None:
    """The message's part tree, or None when it needs the full parser."""
    return _build(raw, 0)


def _build(data: bytes, depth: int) -> Message | None:
    if depth > MAX_SPLIT_DEPTH:
        return None
    if data.startswith(b"\r\n"):
        head, body = b"", data[2:]
    else:
        end = data.find(b"\r\n\r\n")
        if end < 0:
            return None
        head, body = data[: end + 2], data[end + 4 :]
    if b"\n" in head.replace(b"\r\n", b"") or b"\r" in head.replace(b"\r\n", b""):
        return None  # bare LF or CR line ends: the full parser's job
    message = _HEADERS.parsebytes(head)
    content_type = message.get_content_type()
    if content_type == "message/rfc822":
        return None
    if not content_type.startswith("multipart/"):
        message.set_payload(body.decode("ascii", "surrogateescape"))
        return message
    boundary = message.get_boundary()
    if not boundary:
        return None
    token = re.escape(boundary.encode("utf-8", "surrogateescape"))
    delimiters = list(re.finditer(rb"\r\n--" + token + rb"(--)?[ \t]*(?=\r\n|$)", b"\r\n" + body))
    if len(delimiters) < 2 or not delimiters[-1].group(1):
        return None  # no parts, or no closing delimiter
    body = b"\r\n" + body
    children: list[Message | str] = []
    for opening, closing in itertools.pairwise(delimiters):
        if opening.group(1):
            return None  # a closing delimiter before the last one
        start = opening.end() + 2  # past the delimiter line's CRLF
        child = _build(body[start : closing.start()], depth + 1)
        if child is None:
            return None
        children.append(child)
    message.set_payload(children)
    return message
