"""stripe-node 23's typed resources, unchanged, against a real uvicorn server.

The check itself is tests/api/stripe_node/check.mjs; scripts/bootstrap.sh installs its one
dependency (`npm ci` there). Without Node or that install the test skips locally, and fails in CI.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from models.services import Services
from tests.conftest import new_account

HERE = Path(__file__).parent / "stripe_node"
CALLS = [
    "customers.create",
    "customers.update",
    "customers.retrieve",
    "customers.del",
    "taxRates.create",
    "taxRates.retrieve",
    "taxRates.list",
    "invoices.create",
    "invoices.create (idempotent replay)",
    "invoices.update",
    "invoices.retrieve (expand customer)",
    "invoices.finalizeInvoice",
    "invoices.sendInvoice",
    "invoices.pay",
    "invoices.voidInvoice",
    "invoices.markUncollectible",
    "invoices.del",
    "invoices.list (auto-pagination keeps filters)",
    "invoiceItems.create",
    "invoiceItems.update",
    "invoiceItems.retrieve",
    "invoiceItems.list",
    "invoiceItems.del",
    "invoices.finalizeInvoice twice → StripeInvalidRequestError",
    "unknown parameter → StripeInvalidRequestError",
    "collection_method=charge_automatically is refused",
    "wrong key → StripeAuthenticationError",
    "rawRequest email_aliases + alias_invoices",
]


def _node() -> str:
    node = shutil.which("node")
    installed = (HERE / "node_modules" / "stripe" / "package.json").exists()
    if node and installed:
        return node
    reason = "stripe-node is not installed (scripts/bootstrap.sh runs `npm ci` in " + str(HERE)
    if os.environ.get("CI"):
        pytest.fail(reason + "): CI must run it")
    pytest.skip(reason + ")")


def test_stripe_node_typed_resources_work_unchanged(services: Services, server_url: str) -> None:
    node = _node()
    _, key, _ = new_account(services, "Node client")
    run = subprocess.run(
        [node, str(HERE / "check.mjs"), server_url, key],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=HERE,
    )
    lines = run.stdout.strip().splitlines()
    assert lines, run.stderr
    report = json.loads(lines[-1])
    assert report["ok"], report
    assert run.returncode == 0
    assert set(CALLS) <= set(report["done"])
