"""`GET /metrics`: Prometheus text for this process (or, with several API worker processes,
all of them), plus the pipeline's state read from the database."""

from __future__ import annotations

import hmac

from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse, Response

from api.context import services_of
from models import metrics
from models.pipeline_gauges import PipelineGauges

router = APIRouter(include_in_schema=False)


@router.get("/metrics")
def scrape(request: Request) -> Response:
    services = services_of(request)
    token = services.settings.metrics_token
    if token:
        given = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
        if not hmac.compare_digest(given.encode(), token.encode()):
            return PlainTextResponse("metrics need the bearer token", status_code=401)
    body = metrics.exposition(PipelineGauges(services))
    return Response(body, media_type=metrics.CONTENT_TYPE)
