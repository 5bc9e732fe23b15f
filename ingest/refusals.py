"""Why a message is refused, as the SMTP reply the sender's server turns into a bounce.

Each refusal is a defect of the message itself, so the reply is permanent (5xx, RFC 3463 enhanced
codes): retrying the same bytes can never succeed. Our own transient failures are not here; the
handler answers those with 451.
"""

from __future__ import annotations


class MailRefused(Exception):
    """A permanent defect of the message; `reply` is the whole SMTP response line."""

    code = 550
    status = "5.6.0"

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail

    def __reduce__(self) -> tuple[type[MailRefused], tuple[str]]:
        # Crosses the process boundary from the parser children intact.
        return (type(self), (self.detail,))

    @property
    def reply(self) -> str:
        detail = " ".join(self.detail.split())[:400]
        return f"{self.code} {self.status} {detail}"


class MalformedContent(MailRefused):
    """Bytes no mail system should send: NUL in a header, a corrupt archive, an unparsable From."""

    code = 550
    status = "5.6.0"


class UnsupportedNesting(MailRefused):
    """MIME parts or forwarded messages nested deeper than we follow."""

    code = 554
    status = "5.6.1"


class TooComplex(MailRefused):
    """Over a cost limit: too many parts or documents, oversized headers, an archive bomb."""

    code = 552
    status = "5.3.4"
