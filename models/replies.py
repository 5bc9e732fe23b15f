"""The reply-to-fix address: `<local_part>+<alias_invoice_id>@<alias domain>`.

Every tenant email about an alias invoice carries it as Reply-To, so a reply (with the missing or
an open document) comes back to our receiver naming the alias invoice it fixes. Pure.
"""

from __future__ import annotations

import re

_ID = re.compile(r"^ainv_[A-Za-z0-9]{1,60}$")


def reply_address(alias_email: str, alias_invoice_id: str) -> str:
    local, _, domain = alias_email.rpartition("@")
    return f"{local}+{alias_invoice_id}@{domain}"


def parse_reply_local(local_part: str) -> tuple[str, str] | None:
    """(alias local part, alias invoice id) when the local part names an alias invoice."""
    alias_local, plus, tag = local_part.rpartition("+")
    if not plus or not alias_local or not _ID.match(tag):
        return None
    return alias_local, tag
