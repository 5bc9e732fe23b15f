"""Domain errors: plain exceptions with a code, translated once at each edge (HTTP, SMTP, queue)."""

from __future__ import annotations


class DomainError(Exception):
    code = "invalid_request"

    def __init__(self, message: str, *, code: str | None = None, param: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.param = param
        if code:
            self.code = code


class NotFound(DomainError):
    code = "resource_missing"

    @classmethod
    def for_id(cls, kind: str, object_id: str, param: str | None = "id") -> NotFound:
        return cls(f"No such {kind}: '{object_id}'", param=param)


class InvalidRequest(DomainError):
    code = "parameter_invalid"


class InvalidTransition(DomainError):
    code = "status_transition_invalid"

    @classmethod
    def build(
        cls, action: str, kind: str, object_id: str, status: str, allowed: tuple[str, ...]
    ) -> InvalidTransition:
        allowed_text = ", ".join(allowed)
        return cls(
            f"Cannot {action} {kind} {object_id}: status is {status}; allowed from {allowed_text}."
        )


class Conflict(DomainError):
    code = "resource_conflict"
