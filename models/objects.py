"""The API's JSON for the objects this layer emits in events: an alias invoice and the payment
request it carries. One function per shape; the API renders them with the same functions, so an
event's `data.object` is the object as `GET` returns it."""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Sequence
from typing import Any, Protocol, cast

from sqlalchemy import Label
from sqlalchemy.orm import Session

from models.alias_invoices import AliasInvoice
from models.blobstore import BlobStore
from models.payments import PaymentRequest

PDF_URL_TTL = 3600  # seconds a signed document URL stays valid


class PaymentRequestFields(Protocol):
    """What a payment request's JSON is made of: a loaded `PaymentRequest`, or a row of the
    same columns (`payment_request_columns`)."""

    @property
    def id(self) -> str: ...
    @property
    def invoice_id(self) -> str: ...
    @property
    def amount(self) -> int: ...
    @property
    def currency(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def sent_via(self) -> list[Any]: ...
    @property
    def sent_at(self) -> int | None: ...
    @property
    def created(self) -> int: ...
    @property
    def livemode(self) -> bool: ...


class AliasInvoiceFields(Protocol):
    """What an alias invoice's JSON is made of: a loaded `AliasInvoice`, or a row of the same
    columns (`alias_invoice_columns`), which a list page reads without loading objects."""

    @property
    def id(self) -> str: ...
    @property
    def email_alias_id(self) -> str: ...
    @property
    def alias_email(self) -> str: ...
    @property
    def customer_id(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def sender_email(self) -> str | None: ...
    @property
    def sender_auth(self) -> dict[str, Any] | None: ...
    @property
    def subject(self) -> str | None: ...
    @property
    def pdf_blob_key(self) -> str | None: ...
    @property
    def pdf_filename(self) -> str | None: ...
    @property
    def extracted_data(self) -> dict[str, Any] | None: ...
    @property
    def payment_intent(self) -> str | None: ...
    @property
    def error_code(self) -> str | None: ...
    @property
    def error_message(self) -> str | None: ...
    @property
    def duplicate_of(self) -> dict[str, Any] | None: ...
    @property
    def metadata_(self) -> dict[str, Any]: ...
    @property
    def received_at(self) -> int: ...
    @property
    def processed_at(self) -> int | None: ...
    @property
    def paid_at(self) -> int | None: ...
    @property
    def created(self) -> int: ...
    @property
    def livemode(self) -> bool: ...


def _names(fields: type[Any]) -> tuple[str, ...]:
    return tuple(name for name in vars(fields) if not name.startswith("_"))


def _columns(model: type[Any], fields: type[Any], prefix: str) -> tuple[Label[Any], ...]:
    return tuple(getattr(model, name).label(prefix + name) for name in _names(fields))


def alias_invoice_columns() -> tuple[Label[Any], ...]:
    """The columns of `AliasInvoiceFields`, labelled with their attribute names."""
    return _columns(AliasInvoice, AliasInvoiceFields, "")


def payment_request_columns(prefix: str) -> tuple[Label[Any], ...]:
    """The columns of `PaymentRequestFields`, labelled `<prefix><attribute>`: a statement that
    selects them last reads them back from each row with `payment_request_of`."""
    return _columns(PaymentRequest, PaymentRequestFields, prefix)


_PaymentRequestRow = namedtuple("_PaymentRequestRow", _names(PaymentRequestFields))  # type: ignore[misc]


def payment_request_of(row: Sequence[Any]) -> PaymentRequestFields | None:
    """The payment request whose `payment_request_columns` end `row`; None where an outer join
    found none."""
    values = row[-len(_PaymentRequestRow._fields) :]
    # Its fields are PaymentRequestFields' names: a NamedTuple spelling them out would be a
    # third copy of the list.
    return (
        None if values[0] is None else cast(PaymentRequestFields, _PaymentRequestRow._make(values))
    )


def payment_link(public_url: str, request_id: str) -> str:
    return f"{public_url}/pay/{request_id}"


def payment_request_json(pr: PaymentRequestFields, public_url: str) -> dict[str, Any]:
    return {
        "id": pr.id,
        "object": "payment_request",
        "invoice": pr.invoice_id,
        "payment_link": payment_link(public_url, pr.id),
        "amount": pr.amount,
        "currency": pr.currency,
        "status": pr.status,
        "sent_via": list(pr.sent_via),
        "sent_at": pr.sent_at,
        "created": pr.created,
        "livemode": pr.livemode,
    }


def alias_invoice_json(
    row: AliasInvoiceFields, *, pdf_url: str | None, payment_request: dict[str, Any] | None
) -> dict[str, Any]:
    error: dict[str, Any] | None = None
    if row.error_code:
        error = {"code": row.error_code, "message": row.error_message}
        if row.error_code == "duplicate_invoice":
            error["duplicate_of"] = row.duplicate_of
    return {
        "id": row.id,
        "object": "alias_invoice",
        "email_alias": row.email_alias_id,
        "alias_email": row.alias_email,
        "tenant": row.customer_id,
        "status": row.status,
        "sender_email": row.sender_email,
        "sender_auth": row.sender_auth,
        "subject": row.subject,
        "pdf_url": pdf_url,
        "pdf_filename": row.pdf_filename,
        "extracted_data": row.extracted_data,
        "payment_request": payment_request,
        "payment_intent": row.payment_intent,
        "error": error,
        # The earlier alias invoice this one matched (certain or probable) and the fields
        # that matched; null when it matched none.
        "duplicate_of": row.duplicate_of,
        "metadata": row.metadata_,
        "received_at": row.received_at,
        "processed_at": row.processed_at,
        "paid_at": row.paid_at,
        "created": row.created,
        "livemode": row.livemode,
    }


def alias_invoice_object(
    session: Session, row: AliasInvoice, *, blobs: BlobStore, public_url: str
) -> dict[str, Any]:
    """The alias invoice with its signed document URL and its payment request expanded."""
    pr = session.get(PaymentRequest, row.payment_request_id) if row.payment_request_id else None
    return alias_invoice_with(row, pr, blobs=blobs, public_url=public_url)


def alias_invoice_with(
    row: AliasInvoiceFields, pr: PaymentRequestFields | None, *, blobs: BlobStore, public_url: str
) -> dict[str, Any]:
    """The same from a payment request already loaded (a list page joins them)."""
    pdf_url = None
    if row.pdf_blob_key:
        pdf_url = blobs.signed_url(row.pdf_blob_key, PDF_URL_TTL, row.pdf_filename)
    pr_json = payment_request_json(pr, public_url) if pr is not None else None
    return alias_invoice_json(row, pdf_url=pdf_url, payment_request=pr_json)
