"""Fault and hostile-input soak on the real stack, with services of its own so that restarting
them hurts no one else: a PostgreSQL instance (initdb), a redis-server, moto's S3 server, and
separate `casapay api`, `casapay smtp` and two `casapay worker` processes.

While N invoice mails are delivered (by a client that retries 4xx like a mail server does),
workers are SIGKILLed, Redis is restarted (its queue is lost: the sweeper must recover) and
PostgreSQL is crash-stopped and restarted. A hostile set rides along: the hostile mail of
tests/hostile.py (each must get its 5xx) and the poison PDFs of tests/poison_pdfs.py (each must
end `failed` with a code within its attempt budget).

Usage: python bench/soak.py [--mails N] [--worker-kills K] [--settle-seconds S]
Prints sent, accepted, lost, stuck, duplicated, 5xx and the workers' peak RSS.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import signal
import smtplib
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import httpx  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402

from tests.conftest import free_port  # noqa: E402
from tests.e2e.stack import Stack, base_env, casapay, wait_for  # noqa: E402
from tests.hostile import HOSTILE_MAIL  # noqa: E402
from tests.mail import crlf, mail_with_pdfs  # noqa: E402
from tests.pdfs import invoice_pdf  # noqa: E402
from tests.poison_pdfs import (  # noqa: E402
    flate_bomb,
    huge_declared_image,
    huge_user_unit_page,
    nested_page_tree,
)

POISON: dict[str, Callable[[], bytes]] = {
    "nested_page_tree": nested_page_tree,
    "huge_user_unit_page": huge_user_unit_page,
    "flate_bomb": flate_bomb,
    "huge_declared_image": huge_declared_image,
}
PG_BIN = next(Path("/usr/lib/postgresql").glob("*/bin"), Path("/usr/local/bin"))


def as_postgres(*command: str) -> list[str]:
    """PostgreSQL will not run as root: its commands run as the postgres user."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else list(command)


class Postgres:
    def __init__(self, root: Path) -> None:
        self.data, self.port = root / "pg", free_port()
        self.socket_dir = root / "pgsock"
        for path in (root, self.data, self.socket_dir):
            path.mkdir(exist_ok=True)
            if os.geteuid() == 0:
                shutil.chown(path, "postgres")
        subprocess.run(
            as_postgres(str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "postgres",
                        "--auth=trust", "-E", "UTF8"),
            check=True, capture_output=True,
        )  # fmt: skip
        self.url = f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def start(self) -> None:
        options = f"-p {self.port} -k {self.socket_dir} -c listen_addresses=127.0.0.1"
        subprocess.run(
            as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-o", options,
                        "-l", str(self.data / "log"), "-w", "start"),
            check=True, capture_output=True,
        )  # fmt: skip

    def crash(self) -> None:
        subprocess.run(
            as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"),
            check=True, capture_output=True,
        )  # fmt: skip


class Redis:
    def __init__(self) -> None:
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )
        time.sleep(0.5)

    def crash(self) -> None:
        assert self.proc is not None
        self.proc.kill()
        self.proc.wait(10)


class Rss:
    """Samples the resident memory of the worker processes and their children (sandboxes)."""

    def __init__(self, stack: Stack) -> None:
        self.stack = stack
        self.peak_process = 0
        self.peak_tree = 0
        self._stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self._stop.wait(0.2):
            for name, proc in list(self.stack.procs.items()):
                if name.startswith("worker"):
                    sizes = [_rss(pid) for pid in _tree(proc.pid)]
                    self.peak_process = max([self.peak_process, *sizes])
                    self.peak_tree = max(self.peak_tree, sum(sizes))

    def stop(self) -> None:
        self._stop.set()
        self.thread.join(5)


def _tree(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*/children"):
            with contextlib.suppress(OSError):  # the process ended while we looked
                todo.extend(int(c) for c in task.read_text().split())
    return found


def _rss(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


class Sender:
    """Delivers like a mail server: 4xx and dropped connections are retried, 5xx is final."""

    def __init__(self, port: int, deadline: float) -> None:
        self.port = port
        self.deadline = deadline
        self.retries = 0
        self.lock = threading.Lock()

    def deliver(self, raw: bytes, to: str) -> int:
        while True:
            try:
                with smtplib.SMTP("127.0.0.1", self.port, timeout=120) as client:
                    client.sendmail("billing@northside.example", [to], raw)
                return 250
            except smtplib.SMTPResponseException as exc:
                code = exc.smtp_code
            except smtplib.SMTPRecipientsRefused as exc:
                code = next(iter(exc.recipients.values()))[0]
            except (OSError, smtplib.SMTPException):
                code = 421
            if 500 <= code < 600 or time.monotonic() > self.deadline:
                return code
            with self.lock:
                self.retries += 1
            time.sleep(1)


def soak_invoice(i: int) -> bytes:
    """A bill of its own: another reference and amount, so the duplicate check (same vendor and
    amount in one period) lets it through to billing, as a real tenant's distinct bills are."""
    amount = f"{1000 + i:,}.{i % 100:02d}"
    return invoice_pdf(
        reference=f"SOAK-{i:05d}", lines=(("Repairs and service", amount),), total=amount
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mails", type=int, default=200)
    parser.add_argument("--worker-kills", type=int, default=6)
    parser.add_argument("--settle-seconds", type=int, default=600)
    parser.add_argument("--rate", type=float, default=4.0, help="mails per second offered")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="casapay-soak-"))
    os.chmod(root, 0o755)
    pg, redis = Postgres(root / "db"), Redis()
    pg.start()
    redis.start()
    moto = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(s3 := free_port())],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wait_for(lambda: _answers(f"http://127.0.0.1:{s3}"), 30, "moto")
    stack = Stack(
        env=base_env(
            root,
            DATABASE_URL=pg.url,
            REDIS_URL=redis.url,
            S3_ENDPOINT_URL=f"http://127.0.0.1:{s3}",
            S3_BUCKET="casapay-soak",
            AWS_ACCESS_KEY_ID="soak",
            AWS_SECRET_ACCESS_KEY="soak",
            AWS_DEFAULT_REGION="us-east-1",
            CASAPAY_PROCESSING_LEASE_SECONDS="20",
            CASAPAY_SMTP_CLIENT_MESSAGES_PER_MINUTE="0",
            CASAPAY_SMTP_ALIAS_MESSAGES_PER_HOUR="0",
            CASAPAY_SMTP_CLIENT_SESSIONS="0",
        ),
        logs=root,
    )
    casapay("migrate", env=stack.env)
    stack.key = casapay("keys", "create", env=stack.env).stdout.strip()
    for role in ("api", "smtp", "worker1", "worker2"):
        stack.start(role, role.rstrip("12"))
    rss = Rss(stack)
    try:
        stack.wait_ready(timeout=300)  # a loaded two-core machine starts five processes slowly
        report = soak(stack, pg, redis, args)
    finally:
        rss.stop()
        stack.stop()
        moto.terminate()
        redis.crash()
        pg.crash()
    report["worker peak RSS, one process (MB)"] = rss.peak_process // 2**20
    report["worker peak RSS, worker + children (MB)"] = rss.peak_tree // 2**20
    width = max(len(k) for k in report)
    for key, value in report.items():
        print(f"{key:<{width}}  {value}")
    shutil.rmtree(root, ignore_errors=True)


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code < 500
    except httpx.HTTPError:
        return False


def soak(stack: Stack, pg: Postgres, redis: Redis, args: argparse.Namespace) -> dict[str, object]:
    with stack.client() as api:
        customer = api.post("/v1/customers", data={"name": "Soak Tenant"}).json()
        alias = api.post(
            "/v1/email_aliases", data={"customer": customer["id"], "local_part": "soak.tenant"}
        ).json()
    to = alias["email"]
    good = {
        f"<soak-{i}@northside.example>": crlf(
            bytes(
                mail_with_pdfs(
                    to,
                    [("invoice.pdf", soak_invoice(i))],
                    message_id=f"<soak-{i}@northside.example>",
                )
            )
        )
        for i in range(args.mails)
    }
    poison = {
        f"<poison-{name}@northside.example>": crlf(
            bytes(
                mail_with_pdfs(
                    to, [(f"{name}.pdf", build())], message_id=f"<poison-{name}@northside.example>"
                )
            )
        )
        for name, build in POISON.items()
    }
    hostile = {name: build() for name, (build, _, _) in HOSTILE_MAIL.items()}
    sender = Sender(stack.smtp_port, time.monotonic() + 900)
    faults: list[str] = []

    def inject() -> None:
        plan = ["kill"] * args.worker_kills
        pause = max(3.0, len(good) / args.rate / (args.worker_kills + 3))
        plan.insert(len(plan) // 3, "redis")
        plan.insert(2 * len(plan) // 3, "postgres")
        for step in plan:
            time.sleep(pause)
            if step == "kill":
                name = "worker1" if len(faults) % 2 == 0 else "worker2"
                stack.kill(name)
                stack.start(name, "worker")
            elif step == "redis":
                redis.crash()
                time.sleep(2)
                redis.start()
            else:
                pg.crash()
                time.sleep(3)
                pg.start()
            faults.append(step)

    started = time.monotonic()
    injector = threading.Thread(target=inject, daemon=True)
    injector.start()
    mail = {**good, **poison, **hostile}
    with ThreadPoolExecutor(8) as pool:
        pending = {}
        for i, (key, raw) in enumerate(mail.items()):  # paced, so faults land mid-delivery too
            time.sleep(max(0.0, started + i / args.rate - time.monotonic()))
            pending[key] = pool.submit(sender.deliver, raw, to)
        replies = {key: future.result() for key, future in pending.items()}
    codes = {key: replies[key] for key in (*good, *poison)}
    hostile_codes = {key: replies[key] for key in hostile}
    injector.join()
    settled = wait_settled(pg.url, args.settle_seconds)
    elapsed = time.monotonic() - started
    return tally(pg.url, good, poison, codes, hostile_codes, sender, faults, settled, elapsed)


def wait_settled(url: str, timeout: float) -> bool:
    engine = create_engine(url)
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            try:
                with engine.connect() as conn:
                    open_rows = conn.scalar(
                        text(
                            "SELECT count(*) FROM alias_invoices "
                            "WHERE status IN ('received', 'processing')"
                        )
                    )
                if open_rows == 0:
                    return True
            except Exception:  # the database may be restarting: ask again
                pass
            time.sleep(2)
        return False
    finally:
        engine.dispose()


def tally(
    url: str,
    good: dict[str, bytes],
    poison: dict[str, bytes],
    codes: dict[str, int],
    hostile_codes: dict[str, int],
    sender: Sender,
    faults: list[str],
    settled: bool,
    elapsed: float,
) -> dict[str, object]:
    engine = create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT m.message_id, a.id, a.status, a.error_code, a.attempts "
                "FROM inbound_messages m JOIN alias_invoices a ON a.inbound_message_id = m.id"
            )
        ).all()
        duplicated_invoices = conn.scalar(
            text(
                "SELECT count(*) FROM (SELECT alias_invoice_id FROM invoices "
                "WHERE alias_invoice_id IS NOT NULL GROUP BY alias_invoice_id "
                "HAVING count(*) > 1) d"
            )
        )
        duplicated_messages = conn.scalar(
            text(
                "SELECT count(*) FROM (SELECT message_id FROM inbound_messages "
                "GROUP BY message_id HAVING count(*) > 1) d"
            )
        )
    engine.dispose()
    by_message: dict[str, list[tuple[str, str, str | None, int]]] = {}
    for message_id, ainv, status, error_code, attempts in rows:
        by_message.setdefault(message_id, []).append((ainv, status, error_code, attempts))
    accepted = [m for m, code in codes.items() if code == 250]
    lost = [m for m in accepted if m not in by_message]
    stuck = [r for rs in by_message.values() for r in rs if r[1] in ("received", "processing")]
    outcomes = {}
    for message_id in poison:
        name = message_id.split("-", 1)[1].split("@")[0]
        found = by_message.get(message_id, [])
        outcomes[name] = ", ".join(f"{s}/{e} after {a} attempt(s)" for _, s, e, a in found) or (
            f"not accepted ({codes.get(message_id)})"
        )
    statuses: dict[str, int] = {}
    for message_id in good:
        for _, status, _, _ in by_message.get(message_id, []):
            statuses[status] = statuses.get(status, 0) + 1
    expected_hostile = {name: code for name, (_, code, _) in HOSTILE_MAIL.items()}
    report: dict[str, object] = {
        "sent (invoice + poison + hostile mails)": len(codes) + len(hostile_codes),
        "accepted (250)": len(accepted),
        "5xx (hostile mails refused)": sum(1 for c in hostile_codes.values() if 500 <= c < 600),
        "5xx on invoice or poison mails": sum(1 for c in codes.values() if 500 <= c < 600),
        "hostile mails with the wrong reply": {
            n: c for n, c in hostile_codes.items() if c != expected_hostile[n]
        },
        "4xx / dropped connections retried": sender.retries,
        "lost": len(lost),
        "stuck": len(stuck),
        "duplicated (invoices per alias invoice, stored messages per Message-ID)": (
            f"{duplicated_invoices}, {duplicated_messages}"
        ),
        "invoice mails by outcome": statuses,
        "faults injected": ", ".join(faults),
        "settled": settled,
        "elapsed (s)": round(elapsed),
    }
    for name, outcome in outcomes.items():
        report[f"poison {name}"] = outcome
    return report


if __name__ == "__main__":
    signal.signal(signal.SIGINT, signal.default_int_handler)
    main()
