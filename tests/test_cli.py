"""The `casapay` command's contracts that scripts rely on."""

from __future__ import annotations

import json
import re
from pathlib import Path

from tests.e2e.stack import casapay
from tests.pdfs import invoice_pdf


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
