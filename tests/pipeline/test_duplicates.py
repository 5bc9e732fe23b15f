"""The same bill forwarded again is recognised, through the queue: a certain copy fails naming
the original, a probable one waits for a person, a recurring bill is billed."""

from __future__ import annotations

from sqlalchemy import func, select

from cli import WorkerRuntime
from models.accounts import Account
from models.db import transaction
from models.invoices import Invoice
from models.review import ReviewItem
from models.services import Services
from tests.ingest.conftest import make_alias
from tests.pdfs import invoice_pdf, scanned_pdf
from tests.pipeline.conftest import approve_as_ops, drain
from tests.pipeline.test_pipeline import deliver, row


def invoices(services: Services) -> int:
    with services.sessions() as session:
        return int(session.scalar(select(func.count()).select_from(Invoice)) or 0)


def test_the_same_file_forwarded_again_fails_naming_the_original(
    services: Services, worker: WorkerRuntime
) -> None:
    make_alias(services)
    pdf = invoice_pdf()
    (first,) = deliver(services, pdf, message_id="<a@x>")
    drain(services)
    services.clock.advance(86400)  # type: ignore[attr-defined]
    (second,) = deliver(services, pdf, message_id="<b@x>")
    drain(services)
    assert row(services, first).status == "processed"
    copy = row(services, second)
    assert (copy.status, copy.error_code) == ("failed", "duplicate_invoice")
    assert copy.duplicate_of == {
        "alias_invoice": first,
        "status": "processed",
        "state": "payment requested on 2026-01-01",
        "certainty": "certain",
        "matched": ["file", "vendor", "reference", "amount", "currency", "issue_date", "period"],
    }
    assert first in (copy.error_message or "")
    assert invoices(services) == 1


def test_a_regenerated_copy_with_the_same_fields_is_certain(
    services: Services, worker: WorkerRuntime
) -> None:
    make_alias(services)
    deliver(services, invoice_pdf(), message_id="<a@x>")
    drain(services)
    # A reminder: same invoice, different bytes (another address line), read from text.
    (again,) = deliver(services, invoice_pdf(iban="FR76 3000 6000 0112 3456 7890 189"))
    drain(services)
    copy = row(services, again)
    assert copy.error_code == "duplicate_invoice" and copy.duplicate_of
    assert copy.duplicate_of["certainty"] == "certain"
    assert "file" not in copy.duplicate_of["matched"]


def test_a_rescan_waits_for_review_and_approving_bills_it(
    services: Services, worker: WorkerRuntime
) -> None:
    make_alias(services)
    pdf = invoice_pdf()
    (first,) = deliver(services, pdf, message_id="<a@x>")
    drain(services)
    (rescan,) = deliver(services, scanned_pdf(pdf), message_id="<b@x>")
    drain(services)
    held = row(services, rescan)
    assert held.status == "requires_review", held.error_message
    assert held.duplicate_of and held.duplicate_of["certainty"] == "probable"
    with services.sessions() as session:
        item = session.scalars(select(ReviewItem)).one()
    (reason,) = [r for r in item.reasons if r["code"] == "possible_duplicate"]
    assert reason["duplicate_of"] == first and "amount" in reason["matched"]
    assert reason["message"].startswith(f"Looks like {first} (payment requested on ")
    approve_as_ops(services, item.id)
    assert row(services, rescan).status == "processed" and invoices(services) == 2


def test_two_months_of_the_same_rent_are_both_billed(
    services: Services, worker: WorkerRuntime
) -> None:
    make_alias(services)
    january = invoice_pdf()
    february = invoice_pdf(
        reference="INV-2026-0043", issue_date="05/02/2026", due_date="01/03/2026"
    )
    (jan,) = deliver(services, january, message_id="<a@x>")
    (feb,) = deliver(services, february, message_id="<b@x>")
    drain(services)
    assert row(services, jan).status == "processed"
    assert row(services, feb).status == "processed"
    assert row(services, feb).duplicate_of is None and invoices(services) == 2


def test_a_copy_is_compared_with_what_the_reviewer_corrected(
    services: Services, worker: WorkerRuntime
) -> None:
    alias = make_alias(services)
    with transaction(services.sessions) as session:
        session.get_one(Account, alias.account_id).review_threshold = 0.99
    (first,) = deliver(services, invoice_pdf(), message_id="<a@x>")
    drain(services)
    with services.sessions() as session:
        item = session.scalars(select(ReviewItem)).one()
    # The reviewer bills 1,200.00: the parking line was cancelled with the landlord.
    approve_as_ops(services, item.id, {"total_amount": 120000})
    # The landlord's corrected bill: same invoice, other bytes, printing what was billed.
    corrected = invoice_pdf(lines=(("Monthly rent - Unit 4B", "1,200.00"),), total="1,200.00")
    (copy,) = deliver(services, corrected, message_id="<b@x>")
    drain(services)
    again = row(services, copy)
    assert again.error_code == "duplicate_invoice", again.status
    assert again.duplicate_of and again.duplicate_of["alias_invoice"] == first
    assert "amount" in again.duplicate_of["matched"] and invoices(services) == 1
