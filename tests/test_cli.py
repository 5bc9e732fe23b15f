"""The `casapay` command's contracts that scripts rely on."""

from __future__ import annotations

import json
from pathlib import Path

from tests.e2e.stack import casapay
from tests.pdfs import invoice_pdf


def test_keys_create_prints_the_key_alone(tmp_path: Path) -> None:
    env = {"CASAPAY_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    test_key = casapay("keys", "create", env=env, check=False)
    assert test_key.returncode == 0, test_key.stderr
    assert test_key.stdout.startswith("sk_test_") and test_key.stdout.count("\n") == 1
    live_key = casapay("keys", "create", "--live", env=env, check=False)
    assert live_key.stdout.startswith("sk_live_")


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
