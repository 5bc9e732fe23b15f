"""SPF (pyspf), DKIM (dkimpy) and DMARC (RFC 7489, written here: a policy lookup and alignment).

Each check takes the resolver it asks, so tests point it at a DNS server on loopback.
"""

from __future__ import annotations

import contextvars
import logging
from dataclasses import dataclass
from functools import cache
from typing import Any

import dkim
import spf
from publicsuffixlist import PublicSuffixList

from ingest.sender_auth.dns import DnsTempError, Resolver

log = logging.getLogger(__name__)

MAX_SIGNATURES = 5  # DKIM signatures verified per message: each costs DNS and hashing

_current: contextvars.ContextVar[Resolver] = contextvars.ContextVar("spf_resolver")


def _spf_lookup(name: str, qtype: str, strict: bool = True, timeout: float = 5.0) -> Any:
    try:
        return _current.get().spf_lookup(name, qtype, strict, timeout)
    except DnsTempError as exc:
        raise spf.TempError(f"DNS {exc}") from exc


@cache
def _install_spf_lookup() -> None:
    # pyspf asks DNS through its module-level DNSLookup (meant to be swapped: it ships two);
    # ours asks the resolver of the check that runs, held in a context variable.
    spf.DNSLookup = _spf_lookup


def check_spf(resolver: Resolver, ip: str, mail_from: str, helo: str) -> tuple[str, str | None]:
    """(result, domain checked): the MAIL FROM domain, or the HELO name for a null sender."""
    _install_spf_lookup()
    domain = mail_from.rpartition("@")[2].lower() if "@" in mail_from else helo.lower() or None
    token = _current.set(resolver)
    try:
        result, _ = spf.check2(i=ip, s=mail_from, h=helo, querytime=20)
    finally:
        _current.reset(token)
    return str(result), domain


@dataclass(frozen=True)
class DkimSignature:
    result: str  # pass | fail | temperror
    domain: str
    selector: str


def check_dkim(resolver: Resolver, raw: bytes) -> list[DkimSignature]:
    """Every DKIM signature of the message (up to MAX_SIGNATURES), verified."""
    try:
        verifier = dkim.DKIM(raw)
    except dkim.MessageFormatError:
        return []
    count = sum(1 for name, _ in verifier.headers if name.lower() == b"dkim-signature")
    found = []
    for index in range(min(count, MAX_SIGNATURES)):
        try:
            result = "pass" if verifier.verify(idx=index, dnsfunc=resolver.dkim_key) else "fail"
        except DnsTempError:
            result = "temperror"
        except dkim.DKIMException:
            result = "fail"
        except Exception:  # dkimpy parses hostile headers; any other crash there is a "fail"
            log.warning("DKIM verification crashed on signature %d", index, exc_info=True)
            result = "fail"
        fields = verifier.signature_fields or {}
        found.append(
            DkimSignature(
                result,
                fields.get(b"d", b"").decode("ascii", "replace").lower(),
                fields.get(b"s", b"").decode("ascii", "replace"),
            )
        )
    return found


@cache
def _suffixes() -> PublicSuffixList:
    return PublicSuffixList()  # the list the package ships: no network


def organizational_domain(domain: str) -> str:
    return str(_suffixes().privatesuffix(domain.lower().rstrip(".")) or domain.lower())


def aligned(domain: str | None, from_domain: str, mode: str) -> bool:
    if not domain:
        return False
    if mode == "s":
        return domain.lower() == from_domain.lower()
    return organizational_domain(domain) == organizational_domain(from_domain)


def dmarc_policy(resolver: Resolver, from_domain: str) -> dict[str, str] | None:
    """The DMARC record for the From domain, else its organizational domain's (with `sp`)."""
    record = _dmarc_record(resolver, from_domain)
    if record is not None:
        return record
    org = organizational_domain(from_domain)
    if org == from_domain:
        return None
    record = _dmarc_record(resolver, org)
    if record is not None and "sp" in record:
        record = {**record, "p": record["sp"]}
    return record


def _dmarc_record(resolver: Resolver, domain: str) -> dict[str, str] | None:
    records = [r for r in resolver.txt(f"_dmarc.{domain}") if r[:8].lower() == b"v=dmarc1"]
    if len(records) != 1:
        return None  # none, or several (RFC 7489 6.6.3: then there is no policy)
    tags = {}
    for part in records[0].decode("ascii", "replace").split(";"):
        key, _, value = part.partition("=")
        if key.strip():
            tags[key.strip().lower()] = value.strip().lower()
    return tags if tags.get("p") in ("none", "quarantine", "reject") else None
