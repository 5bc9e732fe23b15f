"""End-to-end throughput: invoice documents per minute from SMTP to routed, on the real stack
(PostgreSQL, Redis, an S3 server (moto) over HTTP, and separate `casapay smtp` / `casapay worker`
processes), with 1 and then 2 worker processes.

Each run mails N distinct one-page text invoices over SMTP (4 client threads) and stops the clock
when every alias invoice of the run has left received/processing (processed, requires_review or
failed). The floor is the bare extraction engine reading the same documents in one process, so
the ratio shows what the pipeline (mail parsing, storage, queue, database, billing) costs on top.

Usage: python bench/pipeline_throughput.py [--documents N] [--workers 1 2] [--redis-url URL]
Needs PostgreSQL at CASAPAY_TEST_DATABASE_URL's server (a scratch database is made and dropped)
and Redis (the bench flushes the database it is given: default db 15, or CASAPAY_TEST_REDIS_URL).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import httpx  # noqa: E402
import redis  # noqa: E402
from sqlalchemy import create_engine, func, select, text  # noqa: E402

from bench.report import row  # noqa: E402
from billing.customers import create_customer  # noqa: E402
from extract import ExtractConfig, extract_document  # noqa: E402
from ingest.aliases import create_alias  # noqa: E402
from models.alias_invoices import AliasInvoice  # noqa: E402
from models.db import make_engine, make_session_factory, transaction  # noqa: E402
from models.keys import create_account  # noqa: E402
from models.migrate import upgrade  # noqa: E402
from tests.mail import mail_with_pdfs, send  # noqa: E402
from tests.metrics import Scrape  # noqa: E402
from tests.pdfs import invoice_pdf  # noqa: E402

ADMIN_URL = os.environ.get(
    "CASAPAY_TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
REDIS_URL = os.environ.get("CASAPAY_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
OPEN = ("received", "processing")
BASELINE = {1: 132, 2: 230}  # documents/min measured before issue 13 (its "Why")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def documents(count: int) -> list[bytes]:
    """Distinct invoices (vendor, reference, amounts), so no two are the same document."""
    out = []
    for i in range(count):
        rent = 900 + (i * 37) % 700
        out.append(
            invoice_pdf(
                vendor=f"Harbour Lettings {i % 7} Ltd",
                reference=f"BENCH-{i:05d}",
                lines=((f"Monthly rent - Unit {i}", f"{rent:,}.00"), ("Service charge", "45.00")),
                total=f"{rent + 45:,}.00",
            )
        )
    return out


@contextmanager
def moto_server(logs: Path) -> Iterator[str]:
    port = free_port()
    with (logs / "moto.log").open("wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        url = f"http://127.0.0.1:{port}"
        try:
            wait(lambda: _answers(url), 30, "moto S3 server")
            yield url
        finally:
            proc.terminate()
            proc.wait(10)


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code < 500
    except httpx.HTTPError:
        return False


def wait(check: object, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():  # type: ignore[operator]
            return
        time.sleep(0.1)
    raise SystemExit(f"timed out waiting for {what}")


@contextmanager
def scratch_database() -> Iterator[str]:
    name = f"casapay_bench_{os.getpid()}_{secrets.token_hex(3)}"
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


class Stack:
    """The SMTP receiver and N worker processes, as an operator runs them."""

    def __init__(self, env: dict[str, str], logs: Path) -> None:
        self.env = env
        self.logs = logs
        self.procs: list[subprocess.Popen[bytes]] = []

    def start(self, role: str, name: str, **env: str) -> None:
        log = (self.logs / f"{name}.log").open("ab")
        self.procs.append(
            subprocess.Popen(
                [sys.executable, "-m", "cli", role],
                env={**self.env, **env},
                cwd=REPO,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        )

    def pause_workers(self) -> None:
        for proc in self.procs[1:]:  # the SMTP receiver keeps accepting
            proc.send_signal(signal.SIGSTOP)

    def resume_workers(self) -> None:
        for proc in self.procs[1:]:
            proc.send_signal(signal.SIGCONT)

    def stop(self) -> None:
        for proc in self.procs:
            proc.terminate()
        for proc in self.procs:
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                proc.kill()
        self.procs.clear()


def new_alias(database_url: str, domain: str) -> tuple[str, str]:
    engine = make_engine(database_url)
    with transaction(make_session_factory(engine)) as session:
        account = create_account(session, "bench", 0)
        customer = create_customer(
            session,
            account.id,
            False,
            email="tenant@bench.example",
            name="Bench Tenant",
            metadata={},
            now=0,
        )
        alias = create_alias(
            session,
            customer,
            domain=domain,
            local_part=f"bench.{secrets.token_hex(4)}",
            metadata={},
            now=0,
        )
        result = (alias.id, alias.email)
    engine.dispose()
    return result


def statuses(database_url: str, alias_id: str) -> dict[str, int]:
    engine = make_engine(database_url)
    with engine.connect() as conn:
        rows = conn.execute(
            select(AliasInvoice.status, func.count())
            .where(AliasInvoice.email_alias_id == alias_id)
            .group_by(AliasInvoice.status)
        ).all()
    engine.dispose()
    return {status: int(count) for status, count in rows}


def mail_all(port: int, address: str, pdfs: list[bytes], tag: str) -> None:
    messages = [
        mail_with_pdfs(address, [("invoice.pdf", pdf)], message_id=f"<{tag}-{i}@bench.example>")
        for i, pdf in enumerate(pdfs)
    ]
    with ThreadPoolExecutor(4) as pool:
        refused = list(pool.map(lambda m: send(port, m, [address]), messages))
    assert not any(refused), refused


def routed(database_url: str, alias_id: str, expected: int) -> dict[str, int] | None:
    counts = statuses(database_url, alias_id)
    done = sum(n for status, n in counts.items() if status not in OPEN)
    return counts if done >= expected else None


def run(env: dict[str, str], logs: Path, workers: int, pdfs: list[bytes]) -> tuple[float, float]:
    """Documents/min for one worker count, after a warm-up that loads each worker's models:
    end to end (the clock starts at the first mail), and the workers' drain rate (the same
    number of mails accepted while the workers are paused, the clock starts when they resume)."""
    database_url = env["DATABASE_URL"]
    stack = Stack(env, logs)
    stack.start("smtp", f"smtp-{workers}")
    metrics_ports = [free_port() for _ in range(workers)]
    for i, metrics_port in enumerate(metrics_ports):
        stack.start(
            "worker", f"worker-{workers}-{i}", CASAPAY_WORKER_METRICS_PORT=str(metrics_port)
        )
    port = int(env["CASAPAY_SMTP_PORT"])
    domain = env["CASAPAY_ALIAS_DOMAIN"]
    try:
        wait(lambda: _port_open(port), 60, "the SMTP receiver")
        warm_alias, warm_address = new_alias(database_url, domain)
        warm = documents(2 * workers * int(env["CASAPAY_WORKER_THREADS"]))
        mail_all(port, warm_address, warm, f"warm-{workers}")
        wait(lambda: routed(database_url, warm_alias, len(warm)), 300, "the warm-up")

        alias_id, address = new_alias(database_url, domain)
        started = time.perf_counter()
        mail_all(port, address, pdfs, f"run-{workers}")
        sent = time.perf_counter() - started
        counts = until_routed(database_url, alias_id, len(pdfs), started)
        elapsed = time.perf_counter() - started

        drain_alias, drain_address = new_alias(database_url, domain)
        stack.pause_workers()
        mail_all(port, drain_address, pdfs, f"drain-{workers}")
        resumed = time.perf_counter()
        stack.resume_workers()
        drained = until_routed(database_url, drain_alias, len(pdfs), resumed)
        drain_elapsed = time.perf_counter() - resumed
        time_split = where_the_time_goes(metrics_ports)
    finally:
        stack.stop()
    per_min, drain_per_min = len(pdfs) / elapsed * 60, len(pdfs) / drain_elapsed * 60
    threads = env["CASAPAY_WORKER_THREADS"]
    print(
        f"{workers} worker process(es) x {threads} threads: {len(pdfs)} documents routed in "
        f"{elapsed:.1f} s = {per_min:.0f} documents/min end to end (all mailed in {sent:.1f} s; "
        f"outcomes {counts}); drained from the queue in {drain_elapsed:.1f} s = "
        f"{drain_per_min:.0f} documents/min (outcomes {drained})",
        flush=True,
    )
    print(f"  mean per message, from the workers' metrics (warm-up included): {time_split}")
    return per_min, drain_per_min


def until_routed(database_url: str, alias_id: str, expected: int, since: float) -> dict[str, int]:
    while True:
        if time.perf_counter() - since > 1800:
            raise SystemExit(f"not routed after 30 min: {statuses(database_url, alias_id)}")
        counts = routed(database_url, alias_id, expected)
        if counts is not None:
            return counts
        time.sleep(0.1)


def where_the_time_goes(ports: list[int]) -> str:
    """Mean time per queue message of each stage, and of reading the document, over workers."""
    scrapes = [Scrape(httpx.get(f"http://127.0.0.1:{p}/metrics", timeout=10).text) for p in ports]

    def mean(name: str, **labels: str) -> str:
        total = sum(m.value(f"{name}_sum", **labels) for m in scrapes)
        count = sum(m.value(f"{name}_count", **labels) for m in scrapes)
        return f"{total / count * 1000:.0f} ms" if count else "-"

    stages = ", ".join(
        f"{stage} {mean('casapay_stage_seconds', stage=stage)}"
        for stage in ("extract", "route", "notify", "webhook")
    )
    return f"{stages}; reading the document {mean('casapay_extraction_seconds')}"


def _port_open(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(1)
        return s.connect_ex(("127.0.0.1", port)) == 0


def bare_floor(pdfs: list[bytes]) -> float:
    """The extraction engine alone, in this process, on the same documents: documents/min."""
    config = ExtractConfig(reference_date=dt.date(2026, 1, 15))
    extract_document(pdfs[0], config)  # warm-up: lazy imports and language data
    started = time.perf_counter()
    for pdf in pdfs:
        extract_document(pdf, config)
    per_min = len(pdfs) / (time.perf_counter() - started) * 60
    print(f"bare extraction, one process: {per_min:.0f} documents/min", flush=True)
    return per_min


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=100)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--threads", type=int, default=2, help="threads per worker process")
    parser.add_argument("--redis-url", default=REDIS_URL)
    args = parser.parse_args()
    pdfs = documents(args.documents)
    logs = Path(tempfile.mkdtemp(prefix="casapay-pipeline-bench-"))
    redis.Redis.from_url(args.redis_url).flushdb()
    results: dict[int, tuple[float, float]] = {}
    with scratch_database() as database_url, moto_server(logs) as s3:
        upgrade(database_url)
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("CASAPAY_", "S3_"))},
            "DATABASE_URL": database_url,
            "REDIS_URL": args.redis_url,
            "S3_ENDPOINT_URL": s3,
            "S3_BUCKET": "casapay-bench",
            "AWS_ACCESS_KEY_ID": "bench",
            "AWS_SECRET_ACCESS_KEY": "bench",
            "AWS_DEFAULT_REGION": "us-east-1",
            "CASAPAY_DATA_DIR": str(logs / "var"),
            "CASAPAY_SMTP_PORT": str(free_port()),
            "CASAPAY_API_PORT": str(free_port()),
            "CASAPAY_ALIAS_DOMAIN": "casapay.me",
            "CASAPAY_WORKER_THREADS": str(args.threads),
            "CASAPAY_SMTP_METRICS_PORT": "0",
            "CASAPAY_WORKER_METRICS_PORT": "0",
            # No per-sender or per-alias rate limit: the bench is one sender mailing one alias.
            "CASAPAY_SMTP_CLIENT_MESSAGES_PER_MINUTE": "0",
            "CASAPAY_SMTP_ALIAS_MESSAGES_PER_HOUR": "0",
            "OMP_THREAD_LIMIT": "1",
        }
        for workers in args.workers:
            results[workers] = run(env, logs, workers, pdfs)
    floor = bare_floor(pdfs[: min(len(pdfs), 40)])
    for workers, (per_min, drain_per_min) in results.items():
        baseline = BASELINE.get(workers)
        plural = "s" if workers > 1 else ""
        row(
            f"end to end, {workers} worker{plural}: SMTP in → routed (documents/min)",
            f"{per_min:.0f}/min",
            f"{floor * workers:.0f}/min (bare extraction x{workers})",
            per_min / (floor * workers),
            f"> {baseline}/min (before issue 13)" if baseline else "—",
            per_min > baseline if baseline else None,
        )
        row(
            f"queue drain, {workers} worker{plural}: queued → routed (documents/min)",
            f"{drain_per_min:.0f}/min",
            f"{floor * workers:.0f}/min (bare extraction x{workers})",
            drain_per_min / (floor * workers),
            "—",
        )
    print(f"logs: {logs}")


if __name__ == "__main__":
    main()
