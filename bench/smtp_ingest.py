"""SMTP acceptance throughput: how many invoice mails per second the receiver stores and answers
250 for, on the embedded defaults (SQLite, local files) or on DATABASE_URL/S3_* when set.

Usage: python bench/smtp_ingest.py [--messages N] [--threads T]
(DATABASE_URL, when set, should name a scratch database: the bench migrates it and adds rows.)
Extraction is not part of this figure: the receiver only validates, stores and enqueues.
"""

from __future__ import annotations

import argparse
import os
import socket
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from billing.customers import create_customer  # noqa: E402
from ingest.aliases import create_alias  # noqa: E402
from ingest.server import start_smtp  # noqa: E402
from models.db import transaction  # noqa: E402
from models.keys import create_account  # noqa: E402
from models.migrate import upgrade  # noqa: E402
from models.services import build_services  # noqa: E402
from models.settings import load_settings  # noqa: E402
from tests.mail import mail_with_pdfs, send  # noqa: E402
from tests.pdfs import invoice_pdf  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--messages", type=int, default=400)
    parser.add_argument("--threads", type=int, default=4)
    args = parser.parse_args()
    data_dir = tempfile.mkdtemp(prefix="casapay-bench-")
    settings = load_settings({**os.environ, "CASAPAY_DATA_DIR": data_dir})
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
    port = free_port()
    controller = start_smtp(services, port=port)
    pdf = invoice_pdf()
    messages = [
        mail_with_pdfs(address, [("invoice.pdf", pdf)], message_id=f"<bench-{i}@example>")
        for i in range(args.messages)
    ]
    started = time.perf_counter()
    with ThreadPoolExecutor(args.threads) as pool:
        list(pool.map(lambda m: send(port, m, [address]), messages))
    elapsed = time.perf_counter() - started
    controller.stop()
    size = len(bytes(messages[0])) / 1024
    print(
        f"{args.messages} messages of {size:.0f} KiB from {args.threads} threads "
        f"in {elapsed:.2f} s: {args.messages / elapsed:.1f} messages/s "
        f"({settings.database_url.split(':')[0]}, "
        f"{'S3' if settings.s3_bucket else 'local files'})"
    )


if __name__ == "__main__":
    main()
