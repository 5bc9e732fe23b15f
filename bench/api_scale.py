"""The API at 1,000,000 alias invoices: p99 per route, next to a bare FastAPI endpoint.

Seeds a throwaway PostgreSQL database with generate_series (a minute or two), starts one
`casapay api` process and one bare FastAPI app under the same uvicorn settings, and drives each
route with wrk (16 connections, installed with apt when missing). Prints one table: the bare
constant endpoint first, then retrieve, every list filter and a deep `starting_after` page.
Target: p99 <= 30 ms per route on one process.

    .venv/bin/python bench/api_scale.py [--rows 1000000] [--seconds 10] [--connections 16]
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.report import row  # noqa: E402
from models.db import transaction  # noqa: E402
from models.keys import create_key  # noqa: E402
from models.migrate import upgrade  # noqa: E402
from models.services import build_services  # noqa: E402
from models.settings import load_settings  # noqa: E402

ADMIN_URL = os.environ.get(
    "CASAPAY_TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
DB_NAME = "casapay_bench_api"
ALIASES = 1000
BASE_TIME = 1_700_000_000
BARE_APP = """
from fastapi import FastAPI
app = FastAPI()

@app.get("/constant")
def constant() -> dict[str, str]:
    return {"object": "constant", "status": "ok"}
"""

SEED = [
    """INSERT INTO accounts (id, name, review_threshold, acknowledge_receipts, automation_rules,
                            created)
       VALUES ('acct_bench', 'Bench Lettings', NULL, false, '{{}}', {t})""",
    """INSERT INTO customers (id, account_id, livemode, email, name, metadata, created)
       SELECT 'cus_b' || lpad(g::text, 6, '0'), 'acct_bench', false,
              'tenant' || g || '@example.com', 'Tenant ' || g, '{{}}', {t} + g
       FROM generate_series(1, {aliases} + 1) g""",
    """INSERT INTO email_aliases (id, account_id, livemode, customer_id, local_part, domain,
                                 status, metadata, created)
       SELECT 'alias_b' || lpad(g::text, 6, '0'), 'acct_bench', false,
              'cus_b' || lpad(g::text, 6, '0'), 'tenant.' || g, 'casapay.me', 'active', '{{}}',
              {t} + g
       FROM generate_series(1, {aliases} + 1) g""",
    """INSERT INTO inbound_messages (id, sha256, message_id, raw_blob_key, mail_from,
                                    sender_email, subject, size, pdf_count, received_at)
       SELECT 'msg_b' || lpad(g::text, 6, '0'), md5(g::text) || md5(g::text), NULL,
              'messages/' || g || '.eml', 'landlord@example.com', 'landlord@example.com',
              'Rent', 1000, 1, {t}
       FROM generate_series(1, {aliases}) g""",
    # Every tenth alias invoice was billed: it has an invoice and a payment request.
    """INSERT INTO alias_invoices (id, account_id, livemode, email_alias_id, alias_email,
                                  customer_id, inbound_message_id, attachment_index, pdf_blob_key,
                                  pdf_filename, sender_email, subject, status, extracted_data,
                                  payment_request_id, metadata, attempts, stage_attempts,
                                  received_at, processed_at, created)
       SELECT 'ainv_b' || lpad(g::text, 8, '0'), 'acct_bench', false,
              'alias_b' || lpad((1 + g % {aliases})::text, 6, '0'),
              'tenant.' || (1 + g % {aliases}) || '@casapay.me',
              'cus_b' || lpad((1 + g % {aliases})::text, 6, '0'),
              'msg_b' || lpad((1 + g % {aliases})::text, 6, '0'), g,
              'pdfs/' || md5(g::text) || '.pdf', 'rent.pdf', 'landlord@example.com', 'Rent',
              CASE WHEN g % 10 = 0 THEN 'processed' WHEN g % 10 = 1 THEN 'failed'
                   WHEN g % 10 = 2 THEN 'requires_review' ELSE 'paid' END,
              '{{"total_amount": 125000, "currency": "eur", "due_date": "2026-02-01",
                 "reference": "R-1", "line_items": [], "tax_amount": 0,
                 "confidence_score": 0.93}}'::json,
              CASE WHEN g % 10 = 0 THEN 'pr_b' || lpad(g::text, 8, '0') END,
              '{{}}', 1, 0, {t} + g / 2, {t} + g / 2 + 60, {t} + g / 2
       FROM generate_series(1, {rows}) g""",
    """INSERT INTO invoices (id, account_id, livemode, customer_id, alias_invoice_id, status,
                            currency, due_date, tax_rates, subtotal, tax, total, amount_due,
                            amount_paid, amount_remaining, printed_tax_inclusive,
                            prepaid_amount, rounding_amount, paid_out_of_band, metadata,
                            finalized_at, created)
       SELECT 'inv_b' || lpad(g::text, 8, '0'), 'acct_bench', false,
              'cus_b' || lpad((1 + g % {aliases})::text, 6, '0'),
              'ainv_b' || lpad(g::text, 8, '0'), 'open', 'eur', {t} + 86400 * 30, '[]',
              125000, 0, 125000, 125000, 0, 125000, false, 0, 0, false, '{{}}', {t} + g / 2,
              {t} + g / 2
       FROM generate_series(10, {rows}, 10) g""",
    """INSERT INTO payment_requests (id, account_id, livemode, invoice_id, customer_id, amount,
                                    currency, status, sent_via, sent_at, created)
       SELECT 'pr_b' || lpad(g::text, 8, '0'), 'acct_bench', false,
              'inv_b' || lpad(g::text, 8, '0'),
              'cus_b' || lpad((1 + g % {aliases})::text, 6, '0'), 125000, 'eur', 'sent',
              '["email", "wallet"]', {t} + g / 2, {t} + g / 2
       FROM generate_series(10, {rows}, 10) g""",
    "ANALYZE",
]


def seed(url: str, rows: int) -> float:
    admin = create_engine(ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{DB_NAME}"'))
    admin.dispose()
    upgrade(url)
    started = time.monotonic()
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        for statement in SEED:
            conn.execute(text(statement.format(t=BASE_TIME, rows=rows, aliases=ALIASES)))
    engine.dispose()
    return time.monotonic() - started


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_until_up(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"server exited with {process.returncode}")
        try:
            if httpx.get(url, timeout=1).status_code < 500:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"{url} did not come up")


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    print("installing wrk (apt)", flush=True)
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    lock = ["-o", "DPkg::Lock::Timeout=600"]
    subprocess.run([*sudo, "apt-get", *lock, "update", "-qq"], check=True)
    subprocess.run(
        [*sudo, "apt-get", *lock, "install", "-y", "-qq", "wrk"],
        check=True,
        env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
    )
    return shutil.which("wrk") or "wrk"


UNIT_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (/proc/<pid>/stat, fields 14 and 15)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_wrk(
    wrk: str, url: str, key: str | None, seconds: int, connections: int, server: int
) -> dict[str, float]:
    """wrk's p50, p99 and requests/s, and the server's CPU per request: unlike the latencies,
    that one hardly moves when other work shares the machine."""
    cmd = [wrk, "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url]
    if key:
        cmd[1:1] = ["-H", f"Authorization: Bearer {key}"]
    cpu_before = cpu_seconds(server)
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    cpu = cpu_seconds(server) - cpu_before
    figures = {}
    for label in ("50%", "99%"):
        match = re.search(rf"^\s+{re.escape(label)}\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        assert match, out
        figures[label] = float(match.group(1)) * UNIT_MS[match.group(2)]
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    figures["rps"] = float(rps.group(1)) if rps else 0.0
    figures["errors"] = float(non2xx.group(1)) if non2xx else 0.0
    requests = re.search(r"(\d+) requests in", out)
    figures["cpu_ms"] = 1000 * cpu / int(requests.group(1)) if requests else 0.0
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--no-seed", action="store_true", help="reuse the seeded database")
    args = parser.parse_args()
    wrk = ensure_wrk()
    url = ADMIN_URL.rsplit("/", 1)[0] + f"/{DB_NAME}"
    if not args.no_seed:
        print(f"seeding {args.rows:,} alias invoices ...", flush=True)
        print(f"seeded in {seed(url, args.rows):.0f} s", flush=True)
    data_dir = Path(tempfile.mkdtemp(prefix="casapay-bench-"))
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "CASAPAY_DATA_DIR": str(data_dir),
        "CASAPAY_SECRET": "bench",
        "CASAPAY_API_WORKERS": "1",
    }
    services = build_services(load_settings(env))
    with transaction(services.sessions) as session:
        key = create_key(session, "acct_bench", livemode=False, now=BASE_TIME)
    services.engine.dispose()

    api_port, bare_port = free_port(), free_port()
    api = subprocess.Popen(
        [str(REPO / ".venv/bin/casapay"), "api"],
        env={**env, "CASAPAY_API_PORT": str(api_port)},
        stderr=subprocess.DEVNULL,
    )
    (data_dir / "bare_app.py").write_text(BARE_APP)
    bare = subprocess.Popen(
        [
            *(sys.executable, "-m", "uvicorn", "bare_app:app", "--port", str(bare_port)),
            *("--loop", "uvloop", "--http", "httptools", "--no-access-log"),
            *("--log-level", "warning"),
        ],
        cwd=data_dir,
        stderr=subprocess.DEVNULL,
    )
    try:
        api_url, bare_url = f"http://127.0.0.1:{api_port}", f"http://127.0.0.1:{bare_port}"
        wait_until_up(api_url + "/healthz", api)
        wait_until_up(bare_url + "/constant", bare)
        quiet_alias = f"alias_b{ALIASES + 1:06d}"  # an alias that never received mail
        deep = f"ainv_b{20:08d}"  # the 20th oldest of a million: the last pages
        routes = [
            ("bare FastAPI constant", bare_url + "/constant", None),
            ("GET /v1/alias_invoices/:id", f"{api_url}/v1/alias_invoices/ainv_b00500000", key),
            ("list (account)", f"{api_url}/v1/alias_invoices", key),
            (
                "list email_alias=busy",
                f"{api_url}/v1/alias_invoices?email_alias=alias_b000007",
                key,
            ),
            (
                "list email_alias=quiet",
                f"{api_url}/v1/alias_invoices?email_alias={quiet_alias}",
                key,
            ),
            ("list tenant=", f"{api_url}/v1/alias_invoices?tenant=cus_b000042", key),
            ("list status=failed", f"{api_url}/v1/alias_invoices?status=failed", key),
            (
                "list status=processed limit=100",
                f"{api_url}/v1/alias_invoices?status=processed&limit=100",
                key,
            ),
            ("list starting_after=deep", f"{api_url}/v1/alias_invoices?starting_after={deep}", key),
            (
                "list email_alias+status+deep cursor",
                f"{api_url}/v1/alias_invoices?email_alias=alias_b000011&status=failed"
                f"&starting_after=ainv_b{1010:08d}",
                key,
            ),
        ]
        for _, route_url, route_key in routes:  # warm up, and fail loudly on a broken route
            headers = {"Authorization": f"Bearer {route_key}"} if route_key else {}
            response = httpx.get(route_url, headers=headers, timeout=30)
            assert response.status_code == 200, (route_url, response.text[:300])
        print(
            f"\n{args.rows:,} alias invoices, PostgreSQL, one `casapay api` process, wrk -t2 "
            f"-c{args.connections} -d{args.seconds}s\n"
        )
        print("| route | p50 ms | p99 ms | req/s | p99 / bare | server CPU ms/request |")
        print("|---|---:|---:|---:|---:|---:|")
        bare_p99 = None
        for label, route_url, route_key in routes:
            server = (api if route_key else bare).pid
            # Steady state: a short run at the same concurrency first fills the connection
            # pools (16 new database connections would otherwise land in the measured tail).
            run_wrk(wrk, route_url, route_key, 2, args.connections, server)
            figures = run_wrk(wrk, route_url, route_key, args.seconds, args.connections, server)
            bare_p99 = bare_p99 or figures["99%"]
            errors = f" ({figures['errors']:.0f} non-2xx)" if figures["errors"] else ""
            print(
                f"| {label} | {figures['50%']:.1f} | {figures['99%']:.1f} | "
                f"{figures['rps']:.0f}{errors} | {figures['99%'] / bare_p99:.1f}x | "
                f"{figures['cpu_ms']:.2f} |",
                flush=True,
            )
            if route_key:  # the combined table (make bench): each route against the bare one
                p99 = figures["99%"]
                row(
                    f"API at {args.rows:,} rows: {label} (p99, {args.connections} conn.)",
                    f"{p99:.1f} ms",
                    f"{bare_p99:.1f} ms (bare FastAPI)",
                    p99 / bare_p99,
                    "p99 ≤ 30 ms",
                    p99 <= 30,
                )
    finally:
        for process in (api, bare):
            process.terminate()
            process.wait(10)
    print("\ntarget: p99 <= 30 ms for retrieve and every list (issue 13 §2)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
