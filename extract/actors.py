"""The extract stage's actor: claim an alias invoice, read its document, save the extraction,
hand over to the results stage.

The claim, the release after a transient error, and the outcome are lifecycle transitions
(models/lifecycle.py), so a redelivered message is harmless, a worker killed mid-job is taken
over after the lease, and a document that keeps failing ends `processing_attempts_exhausted`.
"""

from __future__ import annotations

import datetime as dt
import logging
import time

from extract import ExtractConfig, Extraction, ExtractionFailed
from extract.ocr import TESS_LANG
from extract.sandbox import extract_in_sandbox
from models import lifecycle, metrics
from models.alias_invoices import Extraction as ExtractionRow
from models.blobstore import BlobNotFound
from models.customers import locale_for_alias_invoice
from models.ids import new_id
from models.lifecycle import Claim, Limits, Phase
from models.queue import EXTRACT, ROUTE, ActorSpec
from models.services import Services
from models.unit_of_work import enqueue_after_commit, unit_of_work

log = logging.getLogger(__name__)

PDF_MISSING = "The stored PDF could not be found; restore it, then retry."
NO_AMOUNT = "No amount to pay was found in the PDF. Is it an invoice?"


def run_extract(services: Services, alias_invoice_id: str) -> None:
    limits = Limits.of(services.settings)
    with unit_of_work(services) as session:
        claim = lifecycle.claim(
            session, alias_invoice_id, Phase.EXTRACT, now=services.clock(), limits=limits
        )
    if claim is None:
        return  # already taken, finished, failed, or not ours to do
    assert claim.blob_key is not None
    try:
        document = services.blobs.get(claim.blob_key)
        config = reading_config(services, claim.alias_invoice_id)
        started = time.perf_counter()
        result = extract_in_sandbox(document, config)
    except ExtractionFailed as failure:
        _fail(services, claim, failure.code, failure.message)
        return
    except BlobNotFound:
        _fail(services, claim, "pdf_missing", PDF_MISSING)
        return
    except BaseException as exc:  # transient (storage, database, time limit): retried
        with unit_of_work(services) as session:
            spent = lifecycle.release(
                session, claim, _describe(exc), now=services.clock(), limits=limits
            )
        if not spent:
            raise  # Dramatiq retries with backoff
        return
    seconds, source = time.perf_counter() - started, source_of(result)
    metrics.extraction(source, seconds)
    log.info("read %s from %s in %.2f s", claim.alias_invoice_id, source, seconds)
    _save(services, claim, result)


def reading_config(services: Services, alias_invoice_id: str) -> ExtractConfig:
    """The engine's frozen config for one document: today's date, the tenant's locale as the
    OCR's first guess at the language, and the render cache shared by this host's attempts."""
    with unit_of_work(services) as session:
        locale = locale_for_alias_invoice(session, alias_invoice_id)
    hint = TESS_LANG.get(locale or "")
    return ExtractConfig(
        reference_date=dt.datetime.fromtimestamp(services.clock(), dt.UTC).date(),
        language_hint=(hint,) if hint else (),
        render_cache_dir=str(services.settings.data_dir / "cache" / "renders"),
    )


def source_of(result: Extraction) -> str:
    """Where a document's fields came from: its e-invoice XML, its text layer, or OCR."""
    if any(field.source == "xml" for field in result.fields.values()):
        return "xml"
    return "ocr" if result.ocr_pages else "text"


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {exc}"[:1000]


def _fail(services: Services, claim: Claim, code: str, message: str) -> None:
    with unit_of_work(services) as session:
        lifecycle.fail(session, claim, code, message, now=services.clock())


def _save(services: Services, claim: Claim, result: Extraction) -> None:
    now = services.clock()
    data = result.extracted_data()
    with unit_of_work(services) as session:
        if data.get("total_amount") is None:
            # Nothing to bill and nothing a payment could be made of: a permanent outcome.
            kept = lifecycle.fail(
                session, claim, "no_amount_found", NO_AMOUNT, now=now, extracted_data=data
            )
        else:
            kept = lifecycle.save_extraction(session, claim, data, now=now)
            if kept:
                enqueue_after_commit(session, ROUTE, claim.alias_invoice_id)
        if kept:  # else our claim was taken over; the newer attempt wins
            session.add(
                ExtractionRow(
                    id=new_id("ext"),
                    alias_invoice_id=claim.alias_invoice_id,
                    attempt=claim.attempt,
                    result=result.to_json(),
                    confidence_score=result.confidence_score,
                    created=now,
                )
            )


ACTORS = (ActorSpec(EXTRACT, run_extract, time_limit_ms=5 * 60_000, max_retries=8),)
