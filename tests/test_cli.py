"""The `casapay` command's contracts that scripts rely on."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.pdfs import invoice_pdf

REPO = Path(__file__).resolve().parents[1]


def casapay(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "cli", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_keys_create_prints_the_key_alone(tmp_path: Path) -> None:
    env = {"CASAPAY_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    test_key = casapay("keys", "create", env=env)
    assert test_key.returncode == 0, test_key.stderr
    assert test_key.stdout.startswith("sk_test_") and test_key.stdout.count("\n") == 1
    live_key = casapay("keys", "create", "--live", env=env)
    assert live_key.stdout.startswith("sk_live_")


def test_extract_prints_one_json_object_per_pdf(tmp_path: Path) -> None:
    paths = []
    for i in range(2):
        path = tmp_path / f"inv{i}.pdf"
        path.write_bytes(invoice_pdf(reference=f"INV-{i}"))
        paths.append(str(path))
    result = casapay(
        "extract", *paths, "--json", env={"PATH": "/usr/bin:/bin", "OMP_THREAD_LIMIT": "1"}
    )
    assert result.returncode == 0, result.stderr
    objects = [json.loads(line) for line in result.stdout.splitlines() if line.strip()]
    assert [o["reference"] for o in objects] == ["INV-0", "INV-1"]
    assert all(o["total_amount"] == 125000 and "fields" in o for o in objects)
