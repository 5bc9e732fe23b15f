"""Pydantic response models of every object: one declaration serves the routers (FastAPI validates
and serialises each reply with them), the OpenAPI document and the tests.

A new object gets its model here (in the module of its domain), is re-exported below, and its
routes declare `response_model=schemas.<Object>` (or `schemas.list_of(schemas.<Object>)`).
"""

from api.schemas.billing import (
    Customer,
    Invoice,
    InvoiceItem,
    PaymentIntent,
    StatusTransitions,
    TaxRate,
)
from api.schemas.common import ApiObject, Deleted, Error, ErrorDetail, ListObject, list_of
from api.schemas.events import (
    Event,
    EventData,
    EventRequest,
    WebhookAttempt,
    WebhookEndpoint,
    WebhookEndpointWithSecret,
)
from api.schemas.mail import (
    AliasInvoice,
    AliasInvoiceError,
    EmailAlias,
    ExtractedData,
    ExtractedLineItem,
    PaymentRequest,
    SenderAuth,
)
from api.schemas.review import (
    AccountSettings,
    FieldEvidence,
    ReviewEvent,
    ReviewItem,
    ReviewReason,
    SettingChange,
    SettingChangeList,
)

__all__ = [
    "AccountSettings",
    "AliasInvoice",
    "AliasInvoiceError",
    "ApiObject",
    "Customer",
    "Deleted",
    "EmailAlias",
    "Error",
    "ErrorDetail",
    "Event",
    "EventData",
    "EventRequest",
    "ExtractedData",
    "ExtractedLineItem",
    "FieldEvidence",
    "Invoice",
    "InvoiceItem",
    "ListObject",
    "PaymentIntent",
    "PaymentRequest",
    "ReviewEvent",
    "ReviewItem",
    "ReviewReason",
    "SenderAuth",
    "SettingChange",
    "SettingChangeList",
    "StatusTransitions",
    "TaxRate",
    "WebhookAttempt",
    "WebhookEndpoint",
    "WebhookEndpointWithSecret",
    "list_of",
]
