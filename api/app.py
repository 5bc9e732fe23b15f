"""The FastAPI application factory; the process's services are passed in, never imported."""

from __future__ import annotations

from fastapi import FastAPI

from api import workbench
from api.billing_schemas import install_error_docs
from api.body_limit import BodyLimitMiddleware
from api.errors import install_error_handlers
from api.idempotency import IdempotencyMiddleware
from api.response_headers import ResponseHeadersMiddleware
from api.routers import (
    account_settings,
    alias_invoices,
    assets,
    customers,
    email_aliases,
    events,
    files,
    health,
    hosted,
    invoice_items,
    invoices,
    review_items,
    tax_rates,
    webhook_endpoints,
)
from models.services import Services


def create_app(services: Services) -> FastAPI:
    app = FastAPI(
        title="CasaPay API",
        version="2026-11-21",
        description="Stripe-style API for alias invoices, invoices and invoice items.",
    )
    app.state.services = services
    install_error_handlers(app)
    # Last added runs first: the body limit sees every byte before anything buffers it, and the
    # response headers reach idempotent replays too.
    app.add_middleware(IdempotencyMiddleware, services=services)
    app.add_middleware(ResponseHeadersMiddleware)
    app.add_middleware(BodyLimitMiddleware, max_bytes=services.settings.max_request_bytes)

    for module in (
        health,
        assets,
        files,
        customers,
        email_aliases,
        alias_invoices,
        invoices,
        invoice_items,
        tax_rates,
        hosted,
        review_items,
        account_settings,
        events,
        webhook_endpoints,
        workbench,
    ):
        app.include_router(module.router)
    install_error_docs(app)
    return app
