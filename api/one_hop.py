"""API routes whose blocking work takes one threadpool hop per request.

FastAPI runs a plain `def` endpoint on a worker thread, then hops to the threadpool again to
validate its return value against the response model, and a third time to close the session a
dependency opened. Under load each hop is a GIL handoff and a wait for a free thread. A
`OneHopRoute` does all three on the thread that ran the endpoint: it validates and serialises the
reply exactly as FastAPI would (same model, same JSON bytes) and closes the request's session
before the thread lets go.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any

from fastapi import Response
from fastapi.datastructures import DefaultPlaceholder
from fastapi.exceptions import ResponseValidationError
from fastapi.routing import APIRoute
from fastapi.utils import is_body_allowed_for_status_code

from api.context import Ctx


class OneHopRoute(APIRoute):
    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        if _is_plain_function(endpoint):
            endpoint = self._in_one_hop(endpoint)
        super().__init__(path, endpoint, **kwargs)

    def _in_one_hop(self, endpoint: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(endpoint)  # FastAPI reads the parameters through __wrapped__
        def run(**values: Any) -> Any:
            try:
                return self._reply(endpoint(**values))
            finally:
                for value in values.values():
                    if isinstance(value, Ctx):
                        value.close()

        return run

    def _reply(self, content: Any) -> Any:
        """What FastAPI's serialize_response does, on this thread: the response model validates
        the content and pydantic writes the JSON. Other replies go back to FastAPI as they are."""
        field = self.response_field
        if (
            isinstance(content, Response)
            or field is None
            or not isinstance(self.response_class, DefaultPlaceholder)
            or not is_body_allowed_for_status_code(self.status_code)
        ):
            return content
        value, errors = field.validate(content, {}, loc=("response",))
        if errors:
            raise ResponseValidationError(errors=errors, body=content)
        body = field.serialize_json(
            value,
            include=self.response_model_include,
            exclude=self.response_model_exclude,
            by_alias=self.response_model_by_alias,
            exclude_unset=self.response_model_exclude_unset,
            exclude_defaults=self.response_model_exclude_defaults,
            exclude_none=self.response_model_exclude_none,
        )
        return Response(body, status_code=self.status_code or 200, media_type="application/json")


def _is_plain_function(endpoint: Callable[..., Any]) -> bool:
    return inspect.isfunction(endpoint) and not (
        inspect.iscoroutinefunction(endpoint)
        or inspect.isgeneratorfunction(endpoint)
        or inspect.isasyncgenfunction(endpoint)
    )
