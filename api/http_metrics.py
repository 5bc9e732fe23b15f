"""HTTP latency by route template and status, timed by api.edge, our outermost middleware: what
the client waits for (body limit, idempotency replays and errors included)."""

from __future__ import annotations

from collections.abc import Iterator

from starlette.routing import BaseRoute, Match, Router
from starlette.types import Scope

UNMATCHED = "unmatched"


def route_template(router: Router, scope: Scope) -> str:
    """The route's path template (`/v1/invoices/{id}`): raw paths would make a series per
    object. A request answered before routing (an idempotent replay, a 413) is matched here."""
    route = scope.get("route")
    if route is None:
        route = next((r for r in all_routes(router) if r.matches(scope)[0] is Match.FULL), None)
    return str(getattr(route, "path", None) or UNMATCHED)


def all_routes(router: Router) -> Iterator[BaseRoute]:
    """Every route of `router`, those of included routers too."""
    for route in router.routes:
        inner = getattr(route, "original_router", None)  # how FastAPI wraps an included router
        if isinstance(inner, Router):
            yield from all_routes(inner)
        else:
            yield route
