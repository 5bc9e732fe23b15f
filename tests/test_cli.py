"""The `casapay` command's contracts that scripts rely on."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from fastapi.testclient import TestClient

from api.app import create_app
from models.services import build_services
from models.settings import load_settings
from tests.e2e.stack import casapay
from tests.pdfs import invoice_pdf

REPO = Path(__file__).resolve().parent.parent


def test_keys_create_prints_the_key_alone(tmp_path: Path) -> None:
    env = {"CASAPAY_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    # The first command also creates and migrates the embedded database: not a word about it.
    test_key = casapay("keys", "create", env=env, check=False)
    assert test_key.returncode == 0, test_key.stderr
    assert re.fullmatch(r"sk_test_[A-Za-z0-9_-]{20,}\n", test_key.stdout), test_key.stdout
    assert test_key.stderr == ""
    live_key = casapay("keys", "create", "--live", env=env, check=False)
    assert re.fullmatch(r"sk_live_[A-Za-z0-9_-]{20,}\n", live_key.stdout), live_key.stdout
    assert live_key.stderr == ""


def test_migrate_says_one_line_in_json_when_asked(tmp_path: Path) -> None:
    env = {"CASAPAY_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin", "CASAPAY_LOG_FORMAT": "json"}
    result = casapay("migrate", env=env, check=False)
    assert result.returncode == 0, result.stderr
    (line,) = result.stderr.splitlines()  # alembic's steps are not printed
    entry = json.loads(line)
    assert entry["message"] == "database schema is up to date" and entry["process"] == "migrate"


def test_a_second_account_gets_its_own_keys_and_sees_nothing_of_the_first(
    tmp_path: Path,
) -> None:
    env = {"CASAPAY_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    first_key = casapay("keys", "create", env=env).stdout.strip()  # makes the first account
    made = casapay("accounts", "create", "--name", "Harbour Lettings", env=env)
    account = made.stdout.strip()
    assert account.startswith("acct_") and made.stdout.count("\n") == 1
    second_key = casapay("keys", "create", "--account", account, env=env).stdout.strip()
    listed = casapay("accounts", "list", env=env).stdout
    assert f"{account}\tHarbour Lettings\t1 key(s)" in listed and listed.count("acct_") == 2
    missing = casapay("keys", "create", "--account", "acct_nope", env=env, check=False)
    assert missing.returncode == 2 and "no such account" in missing.stderr

    settings = load_settings({"CASAPAY_DATA_DIR": str(tmp_path)})
    with TestClient(create_app(build_services(settings))) as client:
        first = {"Authorization": f"Bearer {first_key}"}
        second = {"Authorization": f"Bearer {second_key}"}
        cus = client.post("/v1/customers", json={"name": "Jane"}, headers=first).json()["id"]
        assert client.get(f"/v1/customers/{cus}", headers=second).status_code == 404
        assert client.get("/v1/customers", headers=second).json()["data"] == []
        # The alias invoice reads run on the event loop (api.loop_reads), on SQLite too.
        assert client.get("/v1/alias_invoices", headers=second).json()["data"] == []
        missing_invoice = client.get("/v1/alias_invoices/ainv_nope", headers=second)
        assert missing_invoice.json()["error"]["code"] == "resource_missing"


def test_extract_prints_one_json_object_per_pdf(tmp_path: Path) -> None:
    paths = []
    for i in range(2):
        path = tmp_path / f"inv{i}.pdf"
        path.write_bytes(invoice_pdf(reference=f"INV-{i}"))
        paths.append(str(path))
    env = {"PATH": "/usr/bin:/bin", "OMP_THREAD_LIMIT": "1"}
    result = casapay("extract", *paths, "--json", env=env, check=False)
    assert result.returncode == 0, result.stderr
    objects = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    assert [o["reference"] for o in objects] == ["INV-0", "INV-1"]
    assert all(o["total_amount"] == 125000 and "fields" in o for o in objects)


def test_the_api_process_freezes_what_it_built_at_startup(tmp_path: Path) -> None:
    """The startup heap (modules, app, schemas) is kept out of the cyclic collector's walks,
    whose full collections had paused every request for 50-140 ms under load."""
    probe = "import gc, cli; cli.api_app(); print(gc.get_freeze_count())"
    env = {**os.environ, "CASAPAY_DATA_DIR": str(tmp_path), "CASAPAY_SECRET": "test-secret"}
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=REPO, env=env, capture_output=True, text=True, check=True
    )
    assert int(done.stdout.strip()) > 50_000
