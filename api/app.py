"""The FastAPI application factory; the process's services are passed in, never imported."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request, Response

from api import workbench
from api.billing_schemas import install_error_docs
from api.errors import install_error_handlers
from api.idempotency import IdempotencyMiddleware
from api.routers import (
    account_settings,
    alias_invoices,
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
from models.ids import new_id
from models.services import Services


def create_app(services: Services) -> FastAPI:
    app = FastAPI(
        title="CasaPay API",
        version="2026-11-21",
        description="Stripe-style API for alias invoices, invoices and invoice items.",
    )
    app.state.services = services
    install_error_handlers(app)
    # Added before request_id, so it runs inside it: replayed replies get a Request-Id too.
    app.add_middleware(IdempotencyMiddleware, services=services)

    @app.middleware("http")
    async def request_id(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        # Made before the handler runs, so the events it writes can name it.
        request.state.request_id = new_id("req", 14)
        response = await call_next(request)
        response.headers["Request-Id"] = request.state.request_id
        return response

    for module in (
        health,
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
