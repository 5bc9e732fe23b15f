"""A ceiling on request bodies, enforced while the bytes arrive (413), not after buffering them.

A declared Content-Length over the limit is refused before a byte of the body is read; a chunked
body is counted as it streams and refused at the first chunk past the limit (api.edge does both,
outside the idempotency middleware, so it and the handlers only ever see bounded bodies).
"""

from __future__ import annotations

import json

from starlette.types import Scope, Send

from api.errors import ApiError


class BodyTooLarge(ApiError):
    def __init__(self, limit: int) -> None:
        super().__init__(
            413,
            f"The request body is larger than the limit of {limit} bytes.",
            code="request_too_large",
        )


def content_length(scope: Scope) -> int | None:
    for name, value in scope.get("headers", ()):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


async def refuse(send: Send, error: ApiError) -> None:
    body = json.dumps(error.body()).encode()
    headers = [
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
        # The rest of the body is never read: the connection cannot be reused.
        (b"connection", b"close"),
    ]
    await send({"type": "http.response.start", "status": error.status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
