"""From a received alias invoice to a payment request or a review item, through the queue."""

from __future__ import annotations

from email import message_from_bytes, policy
from pathlib import Path

from sqlalchemy import func, select

from cli import WorkerRuntime
from ingest.receiver import accept_message
from models import lifecycle
from models.accounts import Account
from models.alias_invoices import AliasInvoice, Extraction
from models.db import transaction
from models.invoices import Invoice
from models.lifecycle import Limits, Phase
from models.payments import Notification, PaymentRequest
from models.review import ReviewItem
from models.services import Services
from models.sweeper import sweep
from models.unit_of_work import unit_of_work
from review.actors import run_route
from tests.conftest import FakeClock
from tests.ingest.conftest import make_alias
from tests.mail import crlf, mail_with_pdfs
from tests.pdfs import invoice_pdf
from tests.pipeline.conftest import drain

TO = "jane.doe@casapay.me"


def deliver(services: Services, *pdfs: bytes, message_id: str = "<m1@example>") -> list[str]:
    named = [(f"invoice-{i}.pdf", pdf) for i, pdf in enumerate(pdfs)]
    raw = crlf(bytes(mail_with_pdfs(TO, named, message_id=message_id)))
    return list(accept_message(services, "billing@northside.example", [TO], raw).created)


def row(services: Services, alias_invoice_id: str) -> AliasInvoice:
    with services.sessions() as session:
        return session.get_one(AliasInvoice, alias_invoice_id)


def count(services: Services, model: type) -> int:
    with services.sessions() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_confident_invoice_becomes_invoice_and_payment_request(
    services: Services, worker: WorkerRuntime
) -> None:
    make_alias(services)
    (ainv,) = deliver(services, invoice_pdf())
    drain(services)
    done = row(services, ainv)
    assert done.status == "processed", done.error_message
    assert done.extracted_data and done.extracted_data["total_amount"] == 125000
    assert done.processed_at == services.clock()
    with services.sessions() as session:
        pr = session.get_one(PaymentRequest, done.payment_request_id)
        invoice = session.get_one(Invoice, pr.invoice_id)
    assert (pr.amount, pr.currency, pr.status) == (125000, "eur", "sent")
    assert pr.sent_via == ["email", "wallet"] and pr.sent_at == services.clock()
    assert invoice.status == "open" and invoice.total == 125000
    assert invoice.alias_invoice_id == ainv and invoice.metadata_["alias_invoice"] == ainv
    assert invoice.due_date == 1769904000  # 2026-02-01
    (eml,) = Path(services.settings.outbox_dir).glob("*.eml")
    mail = message_from_bytes(eml.read_bytes(), policy=policy.default)
    assert mail["To"] == "jane@example.com"
    assert f"/pay/{pr.id}" in mail.get_body().get_content()  # type: ignore[union-attr]


def test_low_confidence_goes_to_review_with_reasons(
    services: Services, worker: WorkerRuntime
) -> None:
    make_alias(services)
    (ainv,) = deliver(services, invoice_pdf(currency_symbol="", due_date=""))
    drain(services)
    assert row(services, ainv).status == "requires_review"
    with services.sessions() as session:
        item = session.scalars(select(ReviewItem)).one()
    assert item.status == "pending" and item.alias_invoice_id == ainv
    codes = {r["code"] for r in item.reasons}
    assert "low_confidence" in codes and "field_missing" in codes
    assert count(services, Invoice) == 0


def test_account_threshold_overrides_the_default(services: Services, worker: WorkerRuntime) -> None:
    alias = make_alias(services)
    with transaction(services.sessions) as session:
        session.get_one(Account, alias.account_id).review_threshold = 0.99
    (ainv,) = deliver(services, invoice_pdf())
    drain(services)
    assert row(services, ainv).status == "requires_review"


def test_unreadable_pdf_fails_with_a_code(services: Services, worker: WorkerRuntime) -> None:
    make_alias(services)
    (ainv,) = deliver(services, b"%PDF-1.4 this is not really a PDF")
    drain(services)
    failed = row(services, ainv)
    assert failed.status == "failed" and failed.error_code == "pdf_unreadable"


def test_route_twice_bills_once(services: Services, worker: WorkerRuntime) -> None:
    make_alias(services)
    (ainv,) = deliver(services, invoice_pdf())
    drain(services)
    run_route(services, ainv)
    services.queue.enqueue("route", ainv)
    services.queue.enqueue("extract", ainv)
    drain(services)
    assert count(services, Invoice) == 1 and count(services, PaymentRequest) == 1
    assert count(services, Extraction) == 1


def test_worker_killed_mid_job_is_finished_exactly_once_by_the_sweeper(
    services: Services, clock: FakeClock
) -> None:
    make_alias(services)
    (ainv,) = deliver(services, invoice_pdf())
    # A worker takes the job and dies before saving anything; its message is gone.
    with unit_of_work(services) as session:
        claimed = lifecycle.claim(
            session, ainv, Phase.EXTRACT, now=clock(), limits=Limits.of(services.settings)
        )
    assert claimed is not None
    services.queue.broker.flush_all()  # type: ignore[attr-defined]
    assert sweep(services) == []  # within the lease nobody touches it
    clock.advance(services.settings.processing_lease_seconds + 1)
    assert sweep(services) == [("extract", ainv)]
    from cli import start_worker

    runtime = start_worker(services)
    try:
        drain(services)
    finally:
        runtime.stop()
    done = row(services, ainv)
    assert done.status == "processed" and done.attempts == 2
    assert count(services, Invoice) == 1 and count(services, Notification) == 2


def test_lost_route_message_is_resent_by_the_sweeper(services: Services, clock: FakeClock) -> None:
    make_alias(services)
    (ainv,) = deliver(services, invoice_pdf())
    from extract.actors import run_extract

    run_extract(services, ainv)  # extraction saved, then the route message is lost
    services.queue.broker.flush_all()  # type: ignore[attr-defined]
    clock.advance(600)
    assert ("route", ainv) in sweep(services)
    run_route(services, ainv)
    assert row(services, ainv).status == "processed"


def test_missing_pdf_fails_and_retry_after_restore_processes_it(services: Services) -> None:
    from cli import start_worker
    from ingest.alias_invoices import retry

    make_alias(services)
    pdf = invoice_pdf()
    (ainv,) = deliver(services, pdf)
    key = row(services, ainv).pdf_blob_key
    assert key
    # The object disappears from storage before a worker reads it...
    path = services.settings.data_dir / "blobs" / key
    path.unlink()
    runtime = start_worker(services)
    try:
        drain(services)
        assert row(services, ainv).error_code == "pdf_missing"
        # ...is restored from backup, and an integrator retries.
        path.write_bytes(pdf)
        with unit_of_work(services) as session:
            retry(session, session.get_one(AliasInvoice, ainv), services.clock())
        drain(services)
    finally:
        runtime.stop()
    done = row(services, ainv)
    assert done.status == "processed" and done.error_code is None


def test_document_without_any_amount_fails_no_amount_found(
    services: Services, worker: WorkerRuntime
) -> None:
    from tests.pdfs import newsletter_pdf

    make_alias(services)
    (ainv,) = deliver(services, newsletter_pdf())
    drain(services)
    failed = row(services, ainv)
    assert (failed.status, failed.error_code) == ("failed", "no_amount_found")
    assert count(services, Invoice) == 0


class FlakyBlobs:
    """The real store, unreachable for the first `failures` reads (a network blip)."""

    def __init__(self, inner: object, failures: int) -> None:
        self.inner = inner
        self.failures = failures

    def get(self, key: str) -> bytes:
        if self.failures:
            self.failures -= 1
            from models.blobstore import BlobStoreError

            raise BlobStoreError("connection reset")
        return self.inner.get(key)  # type: ignore[attr-defined, no-any-return]

    def __getattr__(self, name: str) -> object:
        return getattr(self.inner, name)


def test_transient_storage_errors_are_retried_with_backoff(services: Services) -> None:
    from cli import start_worker

    make_alias(services)
    (ainv,) = deliver(services, invoice_pdf())
    services.blobs = FlakyBlobs(services.blobs, failures=2)  # type: ignore[assignment]
    runtime = start_worker(services)
    try:
        broker = services.queue.broker
        for _ in range(3):  # the retries wait in the delay queue between attempts
            broker.join("extract.DQ", fail_fast=True)  # type: ignore[attr-defined]
            drain(services)
    finally:
        runtime.stop()
    done = row(services, ainv)
    assert done.status == "processed" and done.attempts == 3


def event_types(services: Services, object_id: str | None = None) -> list[str]:
    from models.events import Event

    with services.sessions() as session:
        rows = session.scalars(select(Event).order_by(Event.seq)).all()
        return [e.type for e in rows if object_id is None or e.object_["id"] == object_id]


def test_the_pipeline_writes_each_change_once_even_when_messages_repeat(
    services: Services, worker: WorkerRuntime
) -> None:
    make_alias(services)
    (ainv,) = deliver(services, invoice_pdf())
    drain(services)
    for actor in ("extract", "route", "extract", "route"):  # redelivered messages
        services.queue.enqueue(actor, ainv)
    drain(services)
    assert event_types(services, ainv) == [
        "alias_invoice.received",
        "alias_invoice.processing",
        "alias_invoice.processed",
    ]
    assert event_types(services) == [
        "alias_invoice.received",
        "alias_invoice.processing",
        "invoice.created",
        "invoice.finalized",
        "alias_invoice.processed",
        "payment_request.sent",
    ]
