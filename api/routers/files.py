"""Signed file URLs for the local blob store (S3 serves its own presigned URLs)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from api.context import services_of
from api.errors import ApiError
from models.blobstore import BlobNotFound, LocalBlobStore, media_type

router = APIRouter(tags=["files"], include_in_schema=False)


@router.get("/files/{key:path}")
def get_file(key: str, expires: int, signature: str, request: Request) -> Response:
    services = services_of(request)
    store = services.blobs
    if not isinstance(store, LocalBlobStore) or not store.verify(
        key, expires, signature, services.clock()
    ):
        raise ApiError(403, "This link is invalid or has expired.", code="url_signature_invalid")
    try:
        data = store.get(key)
    except BlobNotFound as exc:
        raise ApiError(404, "No such file.", code="resource_missing") from exc
    return Response(
        data,
        media_type=media_type(key),
        headers={"Cache-Control": "private, max-age=60", "X-Content-Type-Options": "nosniff"},
    )
