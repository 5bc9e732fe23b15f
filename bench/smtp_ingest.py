"""SMTP acceptance against its floor, side by side in one run: the project's receiver (parse in
its parser processes, store raw + documents, commit rows, queue) and a bare aiosmtpd whose
handler only keeps the bytes, both driven by the same client. A third server, the same bare
handler behind the receiver's bulk DATA reader, shows what the store path costs on its own.

Usage: python bench/smtp_ingest.py [--messages N] [--threads T] [--rounds R] [--serial S]
Runs on the embedded defaults (SQLite, local files) or on DATABASE_URL / S3_* when set
(DATABASE_URL should name a scratch database: the bench migrates it and adds rows).
Prints messages/s of each, the p50 of DATA, and the ratio project / bare (target ≥ 0.8).

Throughput on a shared machine swings with the other processes' load, so the bench also
prints a figure that load hardly moves: S messages stored one at a time by accept_message
(already parsed), their median CPU and wall time per message, beside the same blob writes
alone (the floor: storing the bytes durably).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import smtplib
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from aiosmtpd.controller import Controller  # noqa: E402

from bench.report import row  # noqa: E402
from billing.customers import create_customer  # noqa: E402
from ingest.aliases import create_alias  # noqa: E402
from ingest.data_reader import BulkDataSMTP  # noqa: E402
from ingest.mime import parse_mail  # noqa: E402
from ingest.receiver import accept_message, document_key, raw_blob_key, uploads  # noqa: E402
from ingest.server import start_smtp  # noqa: E402
from models.db import transaction  # noqa: E402
from models.keys import create_account  # noqa: E402
from models.migrate import upgrade  # noqa: E402
from models.services import Services, build_services  # noqa: E402
from models.settings import load_settings  # noqa: E402
from tests.conftest import free_port  # noqa: E402
from tests.mail import crlf, mail_with_pdfs  # noqa: E402
from tests.pdfs import invoice_pdf  # noqa: E402


class KeepBytes:
    """The floor: a handler that accepts every recipient and keeps the bytes in memory."""

    def __init__(self) -> None:
        self.kept: list[bytes] = []

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.kept.append(envelope.original_content)
        return "250 OK"


class BulkController(Controller):
    """The same floor, reading DATA as the receiver does (`ingest.data_reader`)."""

    def factory(self) -> BulkDataSMTP:
        return BulkDataSMTP(self.handler, **self.SMTP_kwargs)


def drive(port: int, address: str, messages: list[bytes], threads: int) -> tuple[float, float]:
    """(messages/s, p50 seconds of DATA) for one run of the same client."""
    data_times: list[float] = []

    def one(raw: bytes) -> None:
        with smtplib.SMTP("127.0.0.1", port, timeout=60) as client:
            client.ehlo("bench.example")
            client.mail("billing@northside.example")
            client.rcpt(address)
            started = time.perf_counter()
            code, reply = client.data(raw)
            data_times.append(time.perf_counter() - started)
            assert code == 250, reply

    started = time.perf_counter()
    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(one, messages))
    elapsed = time.perf_counter() - started
    return len(messages) / elapsed, statistics.median(data_times)


def serial_costs(services: Services, address: str, messages: list[bytes]) -> dict[str, float]:
    """Median ms per message, one message at a time: accept_message's CPU (every thread of the
    process: the blob writes run beside the rows) and wall time, and the same for writing the
    message's blobs alone, side by side as accept_message writes them."""
    parsed = [parse_mail(raw) for raw in messages]  # the parser's work, not timed here
    costs: dict[str, list[float]] = {"cpu": [], "wall": [], "floor_cpu": [], "floor_wall": []}
    for raw, mail in zip(messages, parsed, strict=True):
        blobs = [(raw_blob_key(hashlib.sha256(raw).hexdigest()), raw, "message/rfc822")]
        blobs += [(document_key(d), d.data, d.content_type) for d in mail.documents]
        cpu, wall = time.process_time(), time.perf_counter()
        for put in [uploads().submit(services.blobs.put, *blob) for blob in blobs]:
            put.result()
        costs["floor_cpu"].append(time.process_time() - cpu)
        costs["floor_wall"].append(time.perf_counter() - wall)
        cpu, wall = time.process_time(), time.perf_counter()
        accept_message(services, "billing@northside.example", [address], raw, mail)
        costs["cpu"].append(time.process_time() - cpu)
        costs["wall"].append(time.perf_counter() - wall)
    return {key: statistics.median(values) * 1000 for key, values in costs.items()}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=300)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--kib", type=int, default=256, help="size of the attached PDF")
    parser.add_argument(
        "--serial", type=int, default=100, help="messages for the serial cost (0: skip it)"
    )
    args = parser.parse_args()
    env = {
        **os.environ,
        "CASAPAY_DATA_DIR": os.environ.get("CASAPAY_DATA_DIR") or tempfile.mkdtemp("-bench"),
        "CASAPAY_SMTP_CLIENT_MESSAGES_PER_MINUTE": "0",
        "CASAPAY_SMTP_ALIAS_MESSAGES_PER_HOUR": "0",
        "CASAPAY_SMTP_CLIENT_SESSIONS": "0",
    }
    settings = load_settings(env)
    upgrade(settings.database_url)
    services = build_services(settings)
    with transaction(services.sessions) as session:
        account = create_account(session, "bench", 0)
        customer = create_customer(
            session, account.id, False, email=None, name="Bench", metadata={}, now=0
        )
        alias = create_alias(
            session,
            customer,
            domain=settings.alias_domain,
            local_part=f"bench.{os.getpid()}",
            metadata={},
            now=0,
        )
        address = alias.email
    pdf = invoice_pdf()
    # A scanned invoice's size: the invoice padded with incompressible bytes (a PDF comment).
    pdf += b"%" + os.urandom(max(0, args.kib * 1024 - len(pdf)))

    def batch(label: str) -> list[bytes]:
        return [
            crlf(
                bytes(
                    mail_with_pdfs(
                        address, [("invoice.pdf", pdf)], message_id=f"<{label}-{i}@bench>"
                    )
                )
            )
            for i in range(args.messages)
        ]

    bare_port, bulk_port, project_port = free_port(), free_port(), free_port()
    bare = Controller(KeepBytes(), hostname="127.0.0.1", port=bare_port)
    bare.start()
    bulk = BulkController(KeepBytes(), hostname="127.0.0.1", port=bulk_port)
    bulk.start()
    project = start_smtp(services, port=project_port)
    bare_rounds, bulk_rounds, project_rounds = [], [], []
    try:
        for round_ in range(args.rounds):  # interleaved, so all see the same machine load
            bare_rounds.append(drive(bare_port, address, batch(f"b{round_}"), args.threads))
            bulk_rounds.append(drive(bulk_port, address, batch(f"k{round_}"), args.threads))
            project_rounds.append(drive(project_port, address, batch(f"p{round_}"), args.threads))
    finally:
        project.stop()
        bulk.stop()
        bare.stop()
    bare_rate, bare_p50 = max(r[0] for r in bare_rounds), min(r[1] for r in bare_rounds)
    bulk_rate, bulk_p50 = max(r[0] for r in bulk_rounds), min(r[1] for r in bulk_rounds)
    rate, p50 = max(r[0] for r in project_rounds), min(r[1] for r in project_rounds)
    size = len(batch("size")[0]) / 1024
    stack = (
        f"{settings.database_url.split(':')[0]}, {'S3' if settings.s3_bucket else 'local files'}"
    )
    print(
        f"{args.messages} messages of {size:.0f} KiB from {args.threads} client threads, "
        f"best of {args.rounds} interleaved rounds ({stack})"
    )
    print(f"{'':22}{'messages/s':>12}{'DATA p50 ms':>14}")
    print(f"{'bare aiosmtpd':22}{bare_rate:12.1f}{bare_p50 * 1000:14.1f}")
    print(f"{'bare, bulk DATA read':22}{bulk_rate:12.1f}{bulk_p50 * 1000:14.1f}")
    print(f"{'casapay receiver':22}{rate:12.1f}{p50 * 1000:14.1f}")
    print(f"ratio casapay / bare: {rate / bare_rate:.2f} (target >= 0.8)")
    # The receiver reads DATA in bulk, which alone is faster than aiosmtpd's loop: this ratio is
    # what parsing, storing and recording cost on their own.
    print(f"ratio casapay / bare with the same DATA reader: {rate / bulk_rate:.2f}")
    row(
        f"SMTP accept, {size:.0f} KiB mails from {args.threads} clients (messages/s)",
        f"{rate:.1f}/s (DATA p50 {p50 * 1000:.0f} ms)",
        f"{bare_rate:.1f}/s (bare aiosmtpd, DATA p50 {bare_p50 * 1000:.0f} ms)",
        rate / bare_rate,
        "≥ 0.8 of bare",
        rate / bare_rate >= 0.8,
    )
    if args.serial:
        # The blob writes of the floor land on the same keys accept_message then rewrites.
        costs = serial_costs(services, address, batch("s")[: args.serial])
        print(
            f"serial accept_message per message: {costs['cpu']:.2f} ms CPU, "
            f"{costs['wall']:.2f} ms wall; its blob writes alone: {costs['floor_cpu']:.2f} ms "
            f"CPU, {costs['floor_wall']:.2f} ms wall (medians of {args.serial})"
        )
        row(
            f"SMTP accept_message, one {size:.0f} KiB mail at a time (ms per message)",
            f"{costs['cpu']:.2f} ms CPU, {costs['wall']:.2f} ms wall",
            f"{costs['floor_cpu']:.2f} ms CPU, {costs['floor_wall']:.2f} ms wall (blob writes)",
            None,
            "close to the blob writes",
        )


if __name__ == "__main__":
    main()
