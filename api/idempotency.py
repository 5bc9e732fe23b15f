"""Idempotency-Key on every POST, with Stripe's semantics, as one ASGI middleware.

The first request with a key claims it (a committed `in_progress` row), runs, and saves its reply;
later requests with the same key and parameters get that reply again for 24 h. Different
parameters -> 400 idempotency_error; the first still running -> 409 idempotency_key_in_use.
Replies to requests that failed validation or authentication are not saved, so they can be
retried with the same key.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.context import api_key_for, secret_from_header
from api.decoding import decode_body, decode_query
from api.errors import ApiError
from models.db import transaction
from models.idempotency import IdempotencyKey
from models.ids import new_id
from models.services import Services

TTL_SECONDS = 24 * 3600
# Errors that mean "the request never started executing": not saved, the key stays usable.
_UNSAVED_STATUSES = {401, 403, 409, 429}
_UNSAVED_CODES_PREFIX = ("parameter", "idempotency")


def canonical_params(body: bytes, content_type: str, query: bytes) -> str:
    """One hash for equal parameters whether sent as form or JSON: every leaf becomes a string."""
    try:
        params = decode_query(query.decode("latin-1"))
        params.update(decode_body(body, content_type)[0])
    except ApiError:  # the endpoint answers 400 (never saved); hash the bytes meanwhile
        params = {"": body.decode("utf-8", errors="replace")}
    canonical = json.dumps(_stringify(params), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode()).hexdigest()


def _stringify(node: Any) -> Any:
    if isinstance(node, dict):
        return {str(k): _stringify(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_stringify(v) for v in node]
    if isinstance(node, bool):
        return "true" if node else "false"
    return "" if node is None else str(node)


class IdempotencyMiddleware:
    def __init__(self, app: ASGIApp, services: Services) -> None:
        self.app = app
        self.services = services

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        key = headers.get("idempotency-key")
        if key is None:
            await self.app(scope, receive, send)
            return
        if not key or len(key) > 255:
            error = ApiError(
                400,
                "Idempotency-Key must be 1 to 255 characters.",
                code="idempotency_key_invalid",
            )
            await self._respond(send, error.status, json.dumps(error.body()).encode(), key)
            return
        body = await _read_body(receive)
        owner = await run_in_threadpool(self._owner, headers.get("authorization"))
        if owner is None:  # the endpoint answers 401; nothing to remember
            await self.app(scope, _replay(body), send)
            return
        claim = await run_in_threadpool(
            self._claim,
            owner,
            key,
            scope["method"],
            scope["path"],
            # Decoded with the claim on a worker thread: a large body never stalls the loop.
            lambda: canonical_params(
                body, headers.get("content-type", ""), scope.get("query_string", b"")
            ),
        )
        if isinstance(claim, ApiError):
            await self._respond(
                send, claim.status, json.dumps(claim.body()).encode(), key, extra=claim.headers
            )
            return
        if isinstance(claim, IdempotencyKey):
            assert claim.response_status is not None and claim.response_body is not None
            await self._respond(
                send,
                claim.response_status,
                claim.response_body,
                key,
                content_type=claim.response_content_type or "application/json",
                replayed=True,
            )
            return
        await self._run(scope, body, send, key, claim)

    async def _run(self, scope: Scope, body: bytes, send: Send, key: str, row_id: str) -> None:
        """Run the request; its reply goes out only once it is saved, so a client that retries
        the moment it has the reply finds the key done, never still in progress."""
        status = 500
        content_type = "application/json"
        start: Message | None = None
        chunks: list[bytes] = []
        finished = False

        async def capture(message: Message) -> None:
            nonlocal status, content_type, start, finished
            if message["type"] == "http.response.start":
                status = message["status"]
                raw_headers = list(message.get("headers", []))
                for name, value in raw_headers:
                    if name.lower() == b"content-type":
                        content_type = value.decode("latin-1")
                raw_headers.append((b"idempotency-key", key.encode("latin-1", "replace")))
                start = {**message, "headers": raw_headers}
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if not message.get("more_body", False):
                    payload = b"".join(chunks)
                    await run_in_threadpool(self._finish, row_id, status, payload, content_type)
                    finished = True
                    assert start is not None
                    await send(start)
                    await send({"type": "http.response.body", "body": payload})
            else:
                await send(message)

        try:
            await self.app(scope, _replay(body), capture)
        except Exception:
            if not finished:
                # Stripe saves 500s too: a retry must not run a half-done request a second time.
                error = ApiError(
                    500, "An unexpected error occurred on our side.", type_="api_error"
                )
                payload = json.dumps(error.body()).encode()
                await run_in_threadpool(self._save, row_id, 500, payload, "application/json")
            raise

    def _finish(self, row_id: str, status: int, payload: bytes, content_type: str) -> None:
        if _is_unsaved(status, payload):
            self._release(row_id)
        else:
            self._save(row_id, status, payload, content_type)

    def _owner(self, authorization: str | None) -> tuple[str, bool] | None:
        try:
            api_key = api_key_for(self.services, secret_from_header(authorization))
        except ApiError:
            return None
        return (api_key.account_id, api_key.livemode) if api_key else None

    def _claim(
        self,
        owner: tuple[str, bool],
        key: str,
        method: str,
        path: str,
        hash_params: Callable[[], str],
    ) -> ApiError | IdempotencyKey | str:
        """An error to send, a saved reply to replay, or the id of our fresh claim."""
        account_id, livemode = owner
        params_hash = hash_params()
        now = self.services.clock()
        try:
            with transaction(self.services.sessions) as session:
                row = session.scalar(
                    select(IdempotencyKey)
                    .where(
                        IdempotencyKey.account_id == account_id,
                        IdempotencyKey.livemode == livemode,
                        IdempotencyKey.key == key,
                    )
                    .with_for_update()
                )
                if row is not None and row.created <= now - TTL_SECONDS:
                    session.delete(row)  # pruned after 24 h: the key runs as new
                    session.flush()
                    row = None
                if row is not None:
                    if row.state != "done":
                        return _in_use(key)
                    if (row.method, row.path, row.params_hash) != (method, path, params_hash):
                        return _mismatch(key)
                    session.expunge(row)
                    return row
                claim = IdempotencyKey(
                    id=new_id("idk"),
                    account_id=account_id,
                    livemode=livemode,
                    key=key,
                    method=method,
                    path=path,
                    params_hash=params_hash,
                    state="in_progress",
                    created=now,
                )
                session.add(claim)
                return claim.id
        except IntegrityError:  # a concurrent first request claimed it a moment ago
            return _in_use(key)

    def _save(self, row_id: str, status: int, body: bytes, content_type: str) -> None:
        with transaction(self.services.sessions) as session:
            row = session.get(IdempotencyKey, row_id)
            if row is not None:
                row.state = "done"
                row.response_status = status
                row.response_body = body
                row.response_content_type = content_type

    def _release(self, row_id: str) -> None:
        with transaction(self.services.sessions) as session:
            session.execute(delete(IdempotencyKey).where(IdempotencyKey.id == row_id))

    async def _respond(
        self,
        send: Send,
        status: int,
        body: bytes,
        key: str,
        *,
        content_type: str = "application/json",
        replayed: bool = False,
        extra: dict[str, str] | None = None,
    ) -> None:
        headers = [(k.lower().encode(), v.encode()) for k, v in (extra or {}).items()]
        headers += [
            (b"content-type", content_type.encode("latin-1")),
            (b"content-length", str(len(body)).encode()),
            (b"idempotency-key", key.encode("latin-1", "replace")),
        ]
        if replayed:
            headers.append((b"idempotent-replayed", b"true"))
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})


def _is_unsaved(status: int, payload: bytes) -> bool:
    if status in _UNSAVED_STATUSES:
        return True
    if status != 400:
        return False
    try:
        code = json.loads(payload)["error"]["code"] or ""
    except (ValueError, KeyError, TypeError):
        return False
    return str(code).startswith(_UNSAVED_CODES_PREFIX)


def _mismatch(key: str) -> ApiError:
    return ApiError(
        400,
        "Keys for idempotent requests can only be used with the same parameters they were "
        f"first used with. Try using a key other than '{key}' if you meant to execute a "
        "different request.",
        type_="idempotency_error",
        code="idempotency_key_reused",
    )


def _in_use(key: str) -> ApiError:
    return ApiError(
        409,
        f"There is currently another in-progress request using this Idempotency-Key ('{key}'). "
        "Please try again later.",
        code="idempotency_key_in_use",
        headers={"Stripe-Should-Retry": "true"},
    )


async def _read_body(receive: Receive) -> bytes:
    chunks = []
    more = True
    while more:
        message = await receive()
        if message["type"] != "http.request":
            break
        chunks.append(message.get("body", b""))
        more = message.get("more_body", False)
    return b"".join(chunks)


def _replay(body: bytes) -> Receive:
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return {"type": "http.disconnect"}

    return receive
