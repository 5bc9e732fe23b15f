"""/docs (Swagger UI) and /redoc (ReDoc) with assets served from this server, never a CDN.

The assets come from the fastapi-offline package (MIT; Swagger UI and ReDoc are Apache-2.0 and
MIT); the pages are ours, so that no script is inline and the CSP stays strict.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse, HTMLResponse

from api.errors import ApiError

router = APIRouter(include_in_schema=False)
ASSETS = Path(str(files("fastapi_offline") / "static"))
MEDIA = {".css": "text/css", ".js": "text/javascript", ".png": "image/png"}
ASSET_FILES = {p.name: p for p in ASSETS.iterdir() if p.suffix in MEDIA}

SWAGGER = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>CasaPay API</title>
<link rel="icon" href="/static/docs/favicon.png">
<link rel="stylesheet" href="/static/docs/swagger-ui.css"></head>
<body><div id="swagger-ui"></div>
<script src="/static/docs/swagger-ui-bundle.js"></script>
<script src="/static/swagger-init.js"></script></body></html>
"""
REDOC = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>CasaPay API</title>
<link rel="icon" href="/static/docs/favicon.png"></head>
<body><redoc spec-url="/openapi.json"></redoc>
<script src="/static/docs/redoc.standalone.js"></script></body></html>
"""


@router.get("/docs")
def swagger_ui() -> HTMLResponse:
    return HTMLResponse(SWAGGER)


@router.get("/redoc")
def redoc() -> HTMLResponse:
    return HTMLResponse(REDOC)


@router.get("/static/docs/{name}")
def asset(name: str) -> FileResponse:
    path = ASSET_FILES.get(name)
    if path is None:
        raise ApiError(404, f"No such file: '{name}'", code="resource_missing")
    return FileResponse(
        path, media_type=MEDIA[path.suffix], headers={"Cache-Control": "public, max-age=86400"}
    )
