"""The bulk DATA reader answers exactly as aiosmtpd's line-by-line loop does.

Two servers on real sockets, stock aiosmtpd and the receiver's `BulkDataSMTP`, get the same bytes
from a raw socket client (smtplib would repair what we want to send as is), cut into the same
random pieces, with the next command pipelined right behind the end marker. They must give the
same replies and keep the same content.
"""

from __future__ import annotations

import random
import socket
from collections.abc import Iterator
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.data_reader import CHUNK_LIMIT, BulkDataSMTP
from tests.conftest import free_port

SIZE_LIMIT = 3 * CHUNK_LIMIT  # room for a section that crosses the bulk reader's chunk limit


class Keep:
    def __init__(self) -> None:
        self.kept: list[bytes] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.kept.append(envelope.original_content)
        return "250 OK kept"


class Server(Controller):
    def __init__(self, smtp: type[SMTP], data_size_limit: int) -> None:
        self.smtp, self.keep = smtp, Keep()
        super().__init__(
            self.keep, hostname="127.0.0.1", port=free_port(), data_size_limit=data_size_limit
        )

    def factory(self) -> SMTP:
        return self.smtp(self.handler, **self.SMTP_kwargs)


@pytest.fixture(scope="module")
def servers() -> Iterator[dict[int, tuple[Server, Server]]]:
    """(stock, bulk) pairs by size limit; small limits make the 552 path cheap to reach."""
    pairs = {
        limit: (Server(SMTP, limit), Server(BulkDataSMTP, limit)) for limit in (5000, SIZE_LIMIT)
    }
    for pair in pairs.values():
        for server in pair:
            server.start()
    yield pairs
    for pair in pairs.values():
        for server in pair:
            server.stop()


def converse(server: Server, section: bytes, pieces: list[int]) -> tuple[list[bytes], bytes | None]:
    """Send one DATA section (with its end marker) cut at `pieces`, then a pipelined NOOP.
    Returns the replies after 354 and what the handler kept (None: nothing)."""
    kept_before = len(server.keep.kept)
    with socket.create_connection(("127.0.0.1", server.port), timeout=30) as sock:
        reader = sock.makefile("rb")
        reader.readline()  # greeting
        sock.sendall(b"HELO client\r\n")
        reader.readline()
        sock.sendall(b"MAIL FROM:<a@example.com>\r\n")
        reader.readline()
        sock.sendall(b"RCPT TO:<b@example.com>\r\n")
        reader.readline()
        sock.sendall(b"DATA\r\n")
        assert reader.readline().startswith(b"354")
        stream = section + b"NOOP\r\n"
        start = 0
        for cut in [*sorted(pieces), len(stream)]:
            if cut > start:
                sock.sendall(stream[start:cut])
                start = cut
        replies = [reader.readline().strip(), reader.readline().strip()]
        sock.sendall(b"QUIT\r\n")
        reader.readline()
    kept = server.keep.kept[kept_before:]
    return replies, kept[0] if kept else None


def same_answer(servers: dict[int, tuple[Server, Server]], section: bytes, seed: int) -> None:
    cuts = random.Random(seed)
    for stock, bulk in servers.values():
        pieces = [cuts.randrange(len(section) + 1) for _ in range(cuts.randrange(0, 12))]
        expected = converse(stock, section, pieces)
        assert converse(bulk, section, pieces) == expected


def lines(*texts: bytes) -> bytes:
    return b"".join(t + b"\r\n" for t in texts) + b".\r\n"


CASES = {
    "plain": lines(b"Subject: hi", b"", b"body"),
    "empty": b".\r\n",
    "dot stuffed": lines(b"..", b"..leading", b"...", b"x", b". not stuffed"),
    "dot first": lines(b"..first line", b"second"),
    "line ending in a dot": lines(b"Regards.", b"x.", b"a"),
    "bare LF and CR": lines(b"a\nb", b"c\rd", b"\n.\r", b"e\n"),
    "line of 999": lines(b"x" * 999),
    "line of 1000": lines(b"x" * 1000),
    "line of 5000": lines(b"a", b"x" * 5000, b"b"),
    "over the small limit": lines(*[b"y" * 70] * 100),
    "long line, then over the small limit": lines(b"z" * 2000, *[b"y" * 70] * 100),
    "over the small limit, then a long line": lines(*[b"y" * 70] * 100, b"z" * 2000),
    "past the chunk limit": lines(*[b"q" * 76] * (CHUNK_LIMIT // 78 + 50)),
    "marker-like bytes across the chunk limit": lines(*[b"r" * 76 + b"."] * (CHUNK_LIMIT // 78)),
    "over the large limit": lines(*[b"s" * 998] * (SIZE_LIMIT // 1000 + 10)),
}


@pytest.mark.parametrize("name", CASES)
def test_the_bulk_reader_answers_as_aiosmtpd_does(
    servers: dict[int, tuple[Server, Server]], name: str
) -> None:
    for seed in range(3):
        same_answer(servers, CASES[name], seed)


# Any line a client may send: a lone "." would end the section, a client sends it as "..".
line = st.sampled_from([b"", b"..", b"a.", b".a", b"\n", b"\r", b"x" * 998, b"x" * 1000])
line |= st.binary(max_size=40).filter(lambda b: b"\r\n" not in b and b != b".")


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(line, max_size=30), st.integers(0, 2**32))
def test_any_section_gets_the_same_answer(
    servers: dict[int, tuple[Server, Server]], texts: list[bytes], seed: int
) -> None:
    same_answer(servers, lines(*texts), seed)
