"""Headers on every response (added by api.edge): a Request-Id, and the browser security policy.

Pages (hosted invoices, payment links, the workbench, error pages) load scripts and styles only
from this origin, cannot be framed, and do not leak their capability URLs in a Referer. The API
docs get the same policy plus inline styles and blob workers, which Swagger UI and ReDoc need.
A response that sets a header itself keeps its own value.
"""

from __future__ import annotations

from starlette.types import Message

PAGE_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "frame-ancestors 'none'; form-action 'self'; base-uri 'none'; object-src 'none'"
)
DOCS_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; worker-src 'self' blob:; frame-ancestors 'none'; form-action 'self'; "
    "base-uri 'none'; object-src 'none'"
)
DOCS_PATHS = ("/docs", "/redoc")


def _headers(policy: str) -> list[tuple[bytes, bytes]]:
    return [
        (b"content-security-policy", policy.encode()),
        (b"x-frame-options", b"DENY"),
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"no-referrer"),
    ]


_PAGE_HEADERS, _DOCS_HEADERS = _headers(PAGE_POLICY), _headers(DOCS_POLICY)


def security_headers(path: str) -> list[tuple[bytes, bytes]]:
    return _DOCS_HEADERS if path.startswith(DOCS_PATHS) else _PAGE_HEADERS


def with_headers(message: Message, extra: list[tuple[bytes, bytes]]) -> Message:
    """A response start message with `extra` added, where the response does not set them."""
    headers = list(message.get("headers", []))
    present = {name.lower() for name, _ in headers}
    headers += [(name, value) for name, value in extra if name not in present]
    return {**message, "headers": headers}
