"""The FastAPI application factory; the process's services are passed in, never imported."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from api import workbench
from api.context import KeyCache
from api.edge import EdgeMiddleware
from api.errors import install_error_handlers
from api.idempotency import IdempotencyMiddleware
from api.openapi import install_openapi
from api.routers import (
    account_settings,
    alias_invoices,
    assets,
    customers,
    docs,
    email_aliases,
    events,
    files,
    health,
    hosted,
    invoice_items,
    invoices,
    metrics,
    review_items,
    tax_rates,
    webhook_endpoints,
)
from models.loop_reads import LoopReads
from models.services import Services


def create_app(services: Services) -> FastAPI:
    loop_reads = LoopReads(services.settings.database_url)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        await loop_reads.close()

    app = FastAPI(
        lifespan=lifespan,
        docs_url=None,  # api.routers.docs serves /docs and /redoc with local assets
        redoc_url=None,
        title="CasaPay API",
        version="2026-11-21",
        description="Stripe-style API for alias invoices, invoices and invoice items.",
    )
    app.state.services = services
    app.state.key_cache = KeyCache()
    app.state.loop_reads = loop_reads
    install_error_handlers(app)
    # Last added runs first: the edge (metrics, body limit, headers) sees every byte before
    # anything buffers it, and its headers reach idempotent replays too.
    app.add_middleware(IdempotencyMiddleware, services=services)
    app.add_middleware(
        EdgeMiddleware, router=app.router, max_body_bytes=services.settings.max_request_bytes
    )

    # A request is matched against the routes in this order, one by one: the busiest first.
    for module in (
        health,
        alias_invoices,
        assets,
        docs,
        files,
        customers,
        email_aliases,
        invoices,
        invoice_items,
        tax_rates,
        hosted,
        review_items,
        account_settings,
        events,
        webhook_endpoints,
        metrics,
        workbench,
    ):
        app.include_router(module.router)
    install_openapi(app)
    return app
