"""Email aliases: the addresses tenants forward invoices to."""

from __future__ import annotations

import re
import secrets
import unicodedata
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from models.customers import Customer, EmailAlias
from models.errors import InvalidRequest
from models.ids import new_id
from models.scoped import get_scoped

# RFC 5321 allows more, but aliases are typed by people: keep them plain and unambiguous.
LOCAL_PART = re.compile(r"^[a-z0-9](?:[a-z0-9._-]{0,62}[a-z0-9])?$")


def normalize_local_part(value: str) -> str:
    local = value.strip().lower()
    if not LOCAL_PART.match(local) or ".." in local:
        raise InvalidRequest(
            "local_part must be 1-64 characters of a-z, 0-9, '.', '_' or '-', "
            "starting and ending with a letter or digit.",
            param="local_part",
        )
    return local


def suggest_local_part(customer: Customer) -> str:
    """jane.doe from "Jane Doe" or jane.doe@example.com; tenants recognise their alias."""
    source = customer.name or (customer.email or "").split("@")[0] or "tenant"
    ascii_text = unicodedata.normalize("NFKD", source).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", ".", ascii_text.lower()).strip(".")[:40]
    return slug or "tenant"


def create_alias(
    session: Session,
    customer: Customer,
    *,
    domain: str,
    local_part: str | None,
    metadata: dict[str, str],
    now: int,
) -> EmailAlias:
    explicit = local_part is not None
    base = (
        normalize_local_part(local_part) if local_part is not None else suggest_local_part(customer)
    )
    for attempt in range(8):
        candidate = base if attempt == 0 else f"{base}.{secrets.token_hex(2)}"
        alias = EmailAlias(
            id=new_id("alias"),
            account_id=customer.account_id,
            livemode=customer.livemode,
            customer_id=customer.id,
            local_part=candidate,
            domain=domain,
            status="active",
            metadata_=metadata,
            created=now,
        )
        try:
            with session.begin_nested():
                session.add(alias)
                session.flush()
        except IntegrityError:
            if explicit:
                raise InvalidRequest(
                    f"The address {candidate}@{domain} is already taken.",
                    code="email_alias_taken",
                    param="local_part",
                ) from None
            continue
        return alias
    raise InvalidRequest("Could not find a free address; pass local_part.", param="local_part")


def get_alias(session: Session, account_id: str, livemode: bool, alias_id: str) -> EmailAlias:
    return get_scoped(session, EmailAlias, "email_alias", alias_id, account_id, livemode)


def find_alias_by_address(session: Session, local_part: str, domain: str) -> EmailAlias | None:
    return session.scalar(
        select(EmailAlias).where(
            EmailAlias.local_part == local_part.lower(), EmailAlias.domain == domain.lower()
        )
    )


def alias_json(alias: EmailAlias) -> dict[str, Any]:
    return {
        "id": alias.id,
        "object": "email_alias",
        "email": alias.email,
        "local_part": alias.local_part,
        "customer": alias.customer_id,
        "status": alias.status,
        "metadata": alias.metadata_,
        "created": alias.created,
        "livemode": alias.livemode,
    }
