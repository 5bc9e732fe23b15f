"""HTTP latency by route template and status: the outermost middleware, so it times what the
client waits for (body limit, idempotency replays and errors included)."""

from __future__ import annotations

import time
from collections.abc import Iterator

from starlette.routing import BaseRoute, Match, Router
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from models import metrics

UNMATCHED = "unmatched"


class HttpMetricsMiddleware:
    def __init__(self, app: ASGIApp, router: Router) -> None:
        self.app = app
        self.router = router

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500  # what the server answers when the app fails before starting a response

        async def send_noting_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, send_noting_status)
        finally:
            seconds = time.perf_counter() - started
            metrics.http_request(scope["method"], self.template(scope), status, seconds)

    def template(self, scope: Scope) -> str:
        """The route's path template (`/v1/invoices/{id}`): raw paths would make a series per
        object. A request answered before routing (an idempotent replay, a 413) is matched here."""
        route = scope.get("route")
        if route is None:
            route = next(
                (r for r in _routes(self.router) if r.matches(scope)[0] is Match.FULL), None
            )
        return str(getattr(route, "path", None) or UNMATCHED)


def _routes(router: Router) -> Iterator[BaseRoute]:
    for route in router.routes:
        inner = getattr(route, "original_router", None)  # how FastAPI wraps an included router
        if isinstance(inner, Router):
            yield from _routes(inner)
        else:
            yield route
