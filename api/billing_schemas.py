"""Response shapes of the billing endpoints, for the OpenAPI document only.

Handlers build plain dicts; these models describe them so that schemathesis (and integrators'
code generators) can hold the responses to a contract.
"""

from __future__ import annotations

from typing import Any, Literal

from fastapi import FastAPI
from pydantic import BaseModel

from api.params import inline_refs, openapi_body, openapi_query


class ErrorDetail(BaseModel):
    type: str
    code: str | None
    message: str
    param: str | None
    doc_url: str | None


class ErrorOut(BaseModel):
    error: ErrorDetail


class InvoiceItemOut(BaseModel):
    id: str
    object: Literal["invoice_item"]
    invoice: str
    description: str
    amount: int
    currency: str
    quantity: int
    unit_amount: int
    tax_rates: list[str]
    metadata: dict[str, str]
    created: int
    livemode: bool


class StatusTransitions(BaseModel):
    finalized_at: int | None
    paid_at: int | None
    voided_at: int | None
    marked_uncollectible_at: int | None


class InvoiceOut(BaseModel):
    id: str
    object: Literal["invoice"]
    customer: str | dict[str, Any]
    status: Literal["draft", "open", "paid", "void", "uncollectible"]
    amount_due: int
    amount_paid: int
    amount_remaining: int
    currency: str | None
    due_date: int | None
    line_items: list[InvoiceItemOut]
    subtotal: int
    subtotal_excluding_tax: int
    tax: int
    total: int
    total_excluding_tax: int
    vendor: str | None
    vendor_reference: str | None
    prepaid_amount: int
    rounding_amount: int
    tax_rates: list[str]
    description: str | None
    pdf_url: str | None
    hosted_invoice_url: str | None
    payment_intent: str | dict[str, Any] | None
    paid_out_of_band: bool
    alias_invoice: str | None
    metadata: dict[str, str]
    finalized_at: int | None
    paid_at: int | None
    status_transitions: StatusTransitions
    created: int
    livemode: bool


class TaxRateOut(BaseModel):
    id: str
    object: Literal["tax_rate"]
    display_name: str
    percentage: float
    inclusive: bool
    jurisdiction: str | None
    active: bool
    metadata: dict[str, str]
    created: int
    livemode: bool


class DeletedOut(BaseModel):
    id: str
    object: str
    deleted: Literal[True]


def list_of(item: type[BaseModel]) -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["object", "url", "has_more", "data"],
        "properties": {
            "object": {"const": "list"},
            "url": {"type": "string"},
            "has_more": {"type": "boolean"},
            "data": {"type": "array", "items": schema(item)},
        },
    }


def schema(model: type[BaseModel]) -> dict[str, Any]:
    return inline_refs(model.model_json_schema())


def _json(body: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": body}}}


def documented(
    response: type[BaseModel] | dict[str, Any],
    *,
    body: type[BaseModel] | None = None,
    query: type[BaseModel] | None = None,
) -> dict[str, Any]:
    """`openapi_extra` for one operation: its parameters, its 200 body and its error bodies."""
    extra: dict[str, Any] = {}
    if body is not None:
        extra.update(openapi_body(body))
    if query is not None:
        extra.update(openapi_query(query))
    ok = response if isinstance(response, dict) else schema(response)
    extra["responses"] = {"200": _json(ok, "Successful response"), **error_responses()}
    return extra


def error_responses() -> dict[str, Any]:
    error = schema(ErrorOut)
    return {
        "400": _json(error, "Invalid request, or not allowed in the object's state"),
        "401": _json(error, "No valid API key"),
        "402": _json(error, "The payment could not be made"),
        "404": _json(error, "No such object"),
        "409": _json(error, "Idempotency key in use by a concurrent request"),
        "500": _json(error, "Our fault; the reply is Stripe-shaped too"),
    }


def install_error_docs(app: FastAPI) -> None:
    """Every /v1 operation documents the Stripe-shaped error replies it can give (the 422 that
    FastAPI documents by default is never sent: validation errors are 400s)."""
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is not None:
            return app.openapi_schema
        document = build()
        for path, item in document.get("paths", {}).items():
            if not path.startswith("/v1/"):
                continue
            for operation in item.values():
                responses = operation.setdefault("responses", {})
                responses.pop("422", None)
                for status, body in error_responses().items():
                    responses.setdefault(status, body)
        app.openapi_schema = document
        return document

    app.openapi = openapi  # type: ignore[method-assign]
