"""The wire shapes every object shares: the base, the error, deleted objects and list envelopes.

Response models forbid unknown fields: a field a handler adds without declaring it here fails the
response validation (a 500 in the tests), so the OpenAPI document can never drift from the wire.
"""

from __future__ import annotations

from functools import cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model

Metadata = dict[str, str]
Timestamp = int  # unix seconds, UTC


class ApiObject(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ErrorDetail(ApiObject):
    type: Literal["api_error", "card_error", "idempotency_error", "invalid_request_error"]
    code: str | None
    message: str
    param: str | None
    doc_url: str | None


class Error(ApiObject):
    """Every non-2xx reply: Stripe's error object."""

    error: ErrorDetail


class Deleted(ApiObject):
    """What DELETE returns (never an empty 204, which Stripe clients cannot read)."""

    id: str
    object: str
    deleted: Literal[True]


class ListObject(ApiObject):
    object: Literal["list"]
    url: str = Field(description="Fetch the next page here, with starting_after=<last id>.")
    has_more: bool
    data: list[Any]


@cache
def list_of(item: type[BaseModel]) -> type[ListObject]:
    """The list envelope of one object type, named `<Object>List` in the OpenAPI document."""
    model: type[ListObject] = create_model(
        f"{item.__name__}List",
        __base__=ListObject,
        __module__=__name__,
        data=(list[item], ...),  # type: ignore[valid-type]
    )
    return model
