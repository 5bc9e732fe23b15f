"""Email aliases and the alias invoices that arrive through them, as in the seed reference."""

from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict, Field

from api.schemas.common import ApiObject, Metadata, Timestamp
from models.lifecycle import AliasInvoiceStatus


class EmailAlias(ApiObject):
    id: str
    object: Literal["email_alias"]
    email: str = Field(description="The full address, e.g. jane.doe@casapay.me.")
    local_part: str
    customer: str
    status: Literal["active", "disabled"]
    metadata: Metadata
    created: Timestamp
    livemode: bool


class ExtractedLineItem(ApiObject):
    model_config = ConfigDict(extra="allow")

    description: str | None = None
    amount: int | None = None


class ExtractedData(ApiObject):
    """What was read from the document; fields the extractor could not find are null. The
    extractor may add fields over time, so clients should ignore the ones they do not know."""

    model_config = ConfigDict(extra="allow")

    total_amount: int | None = Field(default=None, description="In minor units.")
    currency: str | None = Field(default=None, description="ISO 4217, lower case.")
    due_date: str | None = Field(default=None, description="ISO 8601 date.")
    reference: str | None = None
    line_items: list[ExtractedLineItem] | None = None
    tax_amount: int | None = None
    confidence_score: float | None = Field(default=None, ge=0, le=1)


class PaymentRequest(ApiObject):
    id: str
    object: Literal["payment_request"]
    invoice: str
    payment_link: str
    amount: int
    currency: str
    status: str
    sent_via: list[str]
    sent_at: Timestamp | None
    created: Timestamp
    livemode: bool


class DuplicateOf(ApiObject):
    """The earlier alias invoice a document matched, and why (see the README's Duplicates)."""

    alias_invoice: str
    status: str
    state: str = Field(description='e.g. "already paid on 2026-01-05"')
    certainty: Literal["certain", "probable"]
    matched: list[str] = Field(description="The fields that matched (file, vendor, amount…).")


class AliasInvoiceError(ApiObject):
    code: str
    message: str | None
    duplicate_of: DuplicateOf | None = None


class SenderAuth(ApiObject):
    """Who sent the mail, as far as SPF, DKIM and DMARC tell (see the README's SMTP section)."""

    model_config = ConfigDict(extra="allow")

    verdict: Literal["pass", "fail", "temperror", "none"]
    enforced: bool
    from_domain: str | None
    aligned_domain: str | None = None
    spf: str
    dkim: str
    dmarc: str
    dmarc_policy: str | None = None
    authentication_results: str | None = None


class AliasInvoice(ApiObject):
    id: str
    object: Literal["alias_invoice"]
    email_alias: str
    alias_email: str
    tenant: str
    status: AliasInvoiceStatus
    sender_email: str | None
    sender_auth: SenderAuth | None = None
    subject: str | None
    pdf_url: str | None = Field(description="A signed URL to the original document.")
    pdf_filename: str | None
    extracted_data: ExtractedData | None
    payment_request: PaymentRequest | None
    payment_intent: str | None
    error: AliasInvoiceError | None
    duplicate_of: DuplicateOf | None = None
    metadata: Metadata
    received_at: Timestamp
    processed_at: Timestamp | None
    paid_at: Timestamp | None
    created: Timestamp
    livemode: bool
