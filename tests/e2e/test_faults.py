"""Faults on the real stack: a worker killed mid-job, a PDF gone missing from storage."""

from __future__ import annotations

from typing import Any

import boto3
import pytest
from sqlalchemy import create_engine, func, select

from models.alias_invoices import AliasInvoice
from models.invoices import Invoice
from models.review import ReviewItem
from tests.e2e.stack import Stack, wait_for
from tests.e2e.test_journeys import alias_invoices, mail_pdf, new_tenant, settled
from tests.pdfs import invoice_pdf, scanned_pdf

pytestmark = pytest.mark.e2e


def scalar(stack: Stack, stmt: Any) -> Any:
    """Read one value straight from the stack's database."""
    engine = create_engine(stack.env["DATABASE_URL"])
    try:
        with engine.connect() as conn:
            return conn.execute(stmt).scalar_one()
    finally:
        engine.dispose()


def status_of(stack: Stack, alias_invoice_id: str) -> str:
    return str(
        scalar(stack, select(AliasInvoice.status).where(AliasInvoice.id == alias_invoice_id))
    )


def attempts_of(stack: Stack, alias_invoice_id: str) -> int:
    stmt = select(AliasInvoice.attempts).where(AliasInvoice.id == alias_invoice_id)
    return int(scalar(stack, stmt))


def invoices_for(stack: Stack, alias_invoice_id: str) -> int:
    stmt = (
        select(func.count())
        .select_from(Invoice)
        .where(Invoice.alias_invoice_id == alias_invoice_id)
    )
    return int(scalar(stack, stmt))


def review_items_for(stack: Stack, alias_invoice_id: str) -> int:
    stmt = (
        select(func.count())
        .select_from(ReviewItem)
        .where(ReviewItem.alias_invoice_id == alias_invoice_id)
    )
    return int(scalar(stack, stmt))


def test_worker_killed_mid_job_still_finishes_exactly_once(real_stack: Stack) -> None:
    stack = real_stack
    alias = new_tenant(stack)
    # A three-page scan keeps the worker busy in OCR long enough to kill it there. Its backs
    # are blank: three copies of one invoice are (rightly) not confirmed by the auto-approve
    # gate, whose line items then add up to three times the total.
    mail_pdf(stack, alias, scanned_pdf(invoice_pdf(), blank_pages=2))
    (ainv,) = alias_invoices(stack, alias)
    wait_for(
        lambda: status_of(stack, ainv["id"]) == "processing", 60, "the worker to start", stack.logs
    )
    stack.kill("worker")
    assert status_of(stack, ainv["id"]) == "processing"
    stack.start("worker", "worker")  # a new worker (its sweeper reclaims after the lease)
    done = settled(stack, alias, timeout=180)
    # The gate decides whether a scan is billed or reviewed; either way, exactly once.
    assert done["status"] in ("processed", "requires_review"), done
    assert done["extracted_data"]["total_amount"] == 125000
    billed = 1 if done["status"] == "processed" else 0
    assert invoices_for(stack, ainv["id"]) == billed
    assert review_items_for(stack, ainv["id"]) == 1 - billed
    assert attempts_of(stack, ainv["id"]) >= 2  # the killed attempt really was taken over


def test_pdf_lost_from_storage_fails_then_retry_after_restore_processes(
    real_stack: Stack,
) -> None:
    stack = real_stack
    alias = new_tenant(stack)
    stack.kill("worker")  # mail arrives while no worker runs
    pdf = invoice_pdf(reference="INV-RESTORE-1")
    mail_pdf(stack, alias, pdf)
    (ainv,) = alias_invoices(stack, alias)
    key = scalar(stack, select(AliasInvoice.pdf_blob_key).where(AliasInvoice.id == ainv["id"]))
    s3 = boto3.client(
        "s3",
        endpoint_url=stack.env["S3_ENDPOINT_URL"],
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )
    s3.delete_object(Bucket=stack.env["S3_BUCKET"], Key=key)
    stack.start("worker", "worker")
    failed = settled(stack, alias)
    assert failed["status"] == "failed" and failed["error"]["code"] == "pdf_missing"
    s3.put_object(Bucket=stack.env["S3_BUCKET"], Key=key, Body=pdf)
    with stack.client() as api:
        r = api.post(
            f"/v1/alias_invoices/{ainv['id']}/retry", headers={"Idempotency-Key": "retry-restore-1"}
        )
        assert r.status_code == 200, r.text
    done = settled(stack, alias)
    assert done["status"] == "processed" and done["error"] is None
    assert done["extracted_data"]["reference"] == "INV-RESTORE-1"
