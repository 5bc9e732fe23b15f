"""Poison work ends: every stage counts its attempts, and after CASAPAY_MAX_ATTEMPTS the alias
invoice is `failed` with `processing_attempts_exhausted` and the last error, not re-sent forever."""

from __future__ import annotations

import pytest

from cli import start_worker
from models import lifecycle
from models.alias_invoices import AliasInvoice
from models.lifecycle import ATTEMPTS_EXHAUSTED, Limits, Phase
from models.services import Services
from models.sweeper import sweep
from models.unit_of_work import unit_of_work
from tests.conftest import FakeClock
from tests.ingest.conftest import make_alias
from tests.pdfs import invoice_pdf
from tests.pipeline.conftest import drain
from tests.pipeline.test_pipeline import FlakyBlobs, deliver, row


def test_a_job_that_keeps_failing_transiently_ends_attempts_exhausted(services: Services) -> None:
    make_alias(services)
    (ainv,) = deliver(services, invoice_pdf())
    services.blobs = FlakyBlobs(services.blobs, failures=1000)  # type: ignore[assignment]
    runtime = start_worker(services)
    try:
        broker = services.queue.broker
        for _ in range(services.settings.max_attempts + 1):  # retries wait in the delay queue
            broker.join("extract.DQ", fail_fast=False)  # type: ignore[attr-defined]
            drain(services)
    finally:
        runtime.stop()
    failed = row(services, ainv)
    assert (failed.status, failed.error_code) == ("failed", ATTEMPTS_EXHAUSTED)
    assert failed.stage_attempts == 5 and failed.attempts == 5
    assert failed.last_error == "BlobStoreError: connection reset"
    assert failed.error_message and "attempted 5 times" in failed.error_message
    assert "connection reset" in failed.error_message
    assert sweep(services, grace_seconds=0) == []  # nothing left to re-send


def _abandon(services: Services, alias_invoice_id: str, phase: Phase) -> None:
    """A worker takes the job and is SIGKILLed: its claim stays, its message is gone."""
    with unit_of_work(services) as session:
        claimed = lifecycle.claim(
            session,
            alias_invoice_id,
            phase,
            now=services.clock(),
            limits=Limits.of(services.settings),
        )
    assert claimed is not None
    services.queue.broker.flush_all()  # type: ignore[attr-defined]


def test_a_claim_abandoned_max_attempts_times_ends_attempts_exhausted(
    services: Services, clock: FakeClock
) -> None:
    make_alias(services)
    (ainv,) = deliver(services, invoice_pdf())
    lease = services.settings.processing_lease_seconds
    for attempt in range(1, services.settings.max_attempts + 1):
        _abandon(services, ainv, Phase.EXTRACT)
        assert row(services, ainv).stage_attempts == attempt
        clock.advance(lease + 1)
    # The sweeper finds the last abandoned claim and, the budget spent, fails it instead of
    # sending it round again.
    assert sweep(services) == []
    failed = row(services, ainv)
    assert (failed.status, failed.error_code) == ("failed", ATTEMPTS_EXHAUSTED)
    assert failed.last_error and "stopped without finishing" in failed.last_error
    assert failed.claimed_at is None and failed.phase is None
    clock.advance(lease + 1)
    # Nothing is sent round again; only the tenant's email about it waits for the notify stage.
    assert [actor for actor, _ in sweep(services)] == ["notify"]


def test_killed_fewer_times_than_the_budget_still_finishes(
    services: Services, clock: FakeClock
) -> None:
    make_alias(services)
    (ainv,) = deliver(services, invoice_pdf())
    for _ in range(services.settings.max_attempts - 1):
        _abandon(services, ainv, Phase.EXTRACT)
        clock.advance(services.settings.processing_lease_seconds + 1)
    assert sweep(services) == [("extract", ainv)]
    runtime = start_worker(services)
    try:
        drain(services)
    finally:
        runtime.stop()
    done = row(services, ainv)
    assert done.status == "processed" and done.attempts == services.settings.max_attempts


def test_a_route_that_keeps_failing_ends_attempts_exhausted(
    services: Services, clock: FakeClock
) -> None:
    """The results stage has its own budget: an extraction it cannot route (here: its record is
    missing, as a bug would leave it) stops after the same number of attempts."""
    from review.actors import run_route

    make_alias(services)
    (ainv,) = deliver(services, invoice_pdf())
    limits = Limits.of(services.settings)
    with unit_of_work(services) as session:
        claimed = lifecycle.claim(session, ainv, Phase.EXTRACT, now=services.clock(), limits=limits)
        assert claimed is not None
    with unit_of_work(services) as session:
        assert lifecycle.save_extraction(
            session, claimed, {"total_amount": 1}, now=services.clock()
        )
    for _ in range(limits.max_attempts - 1):
        with pytest.raises(LookupError):
            run_route(services, ainv)
    run_route(services, ainv)  # the last attempt fails the row instead of raising for a retry
    failed = row(services, ainv)
    assert (failed.status, failed.error_code) == ("failed", ATTEMPTS_EXHAUSTED)
    assert failed.last_error and failed.last_error.startswith("LookupError")


def test_retry_after_exhaustion_starts_a_fresh_budget(services: Services, clock: FakeClock) -> None:
    from ingest.alias_invoices import retry

    make_alias(services)
    (ainv,) = deliver(services, invoice_pdf())
    for _ in range(services.settings.max_attempts):
        _abandon(services, ainv, Phase.EXTRACT)
        clock.advance(services.settings.processing_lease_seconds + 1)
    sweep(services)
    assert row(services, ainv).error_code == ATTEMPTS_EXHAUSTED
    with unit_of_work(services) as session:
        retry(session, session.get_one(AliasInvoice, ainv), clock())
    reopened = row(services, ainv)
    assert (reopened.status, reopened.stage_attempts, reopened.last_error) == ("received", 0, None)
    runtime = start_worker(services)
    try:
        drain(services)
    finally:
        runtime.stop()
    assert row(services, ainv).status == "processed"


def test_transient_release_keeps_the_status_processing(services: Services) -> None:
    """A retried attempt does not flap received/processing on the API."""
    make_alias(services)
    (ainv,) = deliver(services, invoice_pdf())
    limits = Limits.of(services.settings)
    with unit_of_work(services) as session:
        claimed = lifecycle.claim(session, ainv, Phase.EXTRACT, now=services.clock(), limits=limits)
        assert claimed is not None
    with unit_of_work(services) as session:
        spent = lifecycle.release(
            session, claimed, "OperationalError: server closed", now=services.clock(), limits=limits
        )
    assert not spent
    released: AliasInvoice = row(services, ainv)
    assert (released.status, released.phase, released.claimed_at) == ("processing", "extract", None)
    assert released.last_error == "OperationalError: server closed"
