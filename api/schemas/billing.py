"""Customers, invoices, their items, tax rates and payments on the wire."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from api.schemas.common import ApiObject, Metadata, Timestamp


class Customer(ApiObject):
    id: str
    object: Literal["customer"]
    email: str | None
    name: str | None
    locale: Literal["en", "de", "fr", "nl", "es", "it"] | None = Field(
        description="The language of the tenant's emails; null = the document's language."
    )
    metadata: Metadata
    created: Timestamp
    livemode: bool


class InvoiceItem(ApiObject):
    id: str
    object: Literal["invoice_item"]
    invoice: str
    description: str
    amount: int
    currency: str
    quantity: int
    unit_amount: int
    tax_rates: list[str]
    metadata: Metadata
    created: Timestamp
    livemode: bool


class StatusTransitions(ApiObject):
    finalized_at: Timestamp | None
    paid_at: Timestamp | None
    voided_at: Timestamp | None
    marked_uncollectible_at: Timestamp | None


class PaymentIntent(ApiObject):
    id: str
    object: Literal["payment_intent"]
    amount: int
    amount_received: int
    currency: str
    customer: str
    invoice: str
    status: str
    payment_method_types: list[str]
    created: Timestamp
    livemode: bool


class Invoice(ApiObject):
    id: str
    object: Literal["invoice"]
    customer: str | Customer
    status: Literal["draft", "open", "paid", "void", "uncollectible"]
    amount_due: int
    amount_paid: int
    amount_remaining: int
    currency: str | None
    due_date: Timestamp | None
    line_items: list[InvoiceItem]
    subtotal: int
    subtotal_excluding_tax: int
    tax: int
    total: int
    total_excluding_tax: int
    vendor: str | None = Field(description="Who issued the forwarded document it mirrors.")
    vendor_reference: str | None = Field(description="The vendor's own invoice number.")
    prepaid_amount: int = Field(description="Already paid according to the document.")
    rounding_amount: int
    tax_rates: list[str]
    description: str | None
    pdf_url: str | None
    hosted_invoice_url: str | None
    payment_intent: str | PaymentIntent | None
    paid_out_of_band: bool
    collection_method: Literal["send_invoice"]
    auto_advance: bool
    alias_invoice: str | None
    metadata: Metadata
    finalized_at: Timestamp | None
    paid_at: Timestamp | None
    status_transitions: StatusTransitions
    created: Timestamp
    livemode: bool


class TaxRate(ApiObject):
    id: str
    object: Literal["tax_rate"]
    display_name: str
    percentage: float
    inclusive: bool
    jurisdiction: str | None
    active: bool
    metadata: Metadata
    created: Timestamp
    livemode: bool
