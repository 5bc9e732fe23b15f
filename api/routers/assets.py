"""Static files of the pages and the API docs, served from the package (no CDN, works offline)."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter
from fastapi.responses import FileResponse

from api.errors import ApiError

router = APIRouter(include_in_schema=False)
HERE = Path(__file__).resolve().parent.parent / "static"
MEDIA = {".css": "text/css", ".js": "text/javascript", ".png": "image/png"}
FILES = {p.name: p for p in HERE.iterdir() if p.suffix in MEDIA}


@router.get("/static/{name}")
def static_file(name: str) -> FileResponse:
    path = FILES.get(name)
    if path is None:
        raise ApiError(404, f"No such file: '{name}'", code="resource_missing")
    return FileResponse(
        path, media_type=MEDIA[path.suffix], headers={"Cache-Control": "public, max-age=3600"}
    )
