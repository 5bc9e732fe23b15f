"""The `casapay` command's contracts that scripts rely on."""

from __future__ import annotations

import json
from pathlib import Path

from fastapi.testclient import TestClient

from api.app import create_app
from models.services import build_services
from models.settings import load_settings
from tests.e2e.stack import casapay
from tests.pdfs import invoice_pdf


def test_keys_create_prints_the_key_alone(tmp_path: Path) -> None:
    env = {"CASAPAY_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    test_key = casapay("keys", "create", env=env, check=False)
    assert test_key.returncode == 0, test_key.stderr
    assert test_key.stdout.startswith("sk_test_") and test_key.stdout.count("\n") == 1
    live_key = casapay("keys", "create", "--live", env=env, check=False)
    assert live_key.stdout.startswith("sk_live_")


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
