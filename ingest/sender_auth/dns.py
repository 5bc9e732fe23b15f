"""The DNS resolver sender authentication asks: the system's, or one named by configuration
(`CASAPAY_DNS_SERVER=host[:port]`, e.g. a test server on loopback)."""

from __future__ import annotations

from typing import Any

import dns.exception
import dns.resolver

LIFETIME = 5.0  # seconds per query, retries included


class DnsTempError(Exception):
    """The answer could not be had now (timeout, SERVFAIL): a temperror, not a "no"."""


class Resolver:
    def __init__(self, server: str | None = None, lifetime: float = LIFETIME) -> None:
        self.lifetime = lifetime
        if server is None:
            self._resolver = dns.resolver.Resolver()
        else:
            host, _, port = server.rpartition(":") if ":" in server else (server, "", "53")
            self._resolver = dns.resolver.Resolver(configure=False)
            self._resolver.nameservers = [host]
            self._resolver.port = int(port)
        self._resolver.lifetime = lifetime

    def query(self, name: str, qtype: str, lifetime: float | None = None) -> list[Any]:
        """Records of one type; [] when the name or the type does not exist."""
        try:
            answer = self._resolver.resolve(
                name, qtype, lifetime=lifetime or self.lifetime, search=False
            )
        except (dns.resolver.NXDOMAIN, dns.resolver.NoAnswer):
            return []
        except (dns.exception.Timeout, dns.resolver.NoNameservers) as exc:
            raise DnsTempError(f"{qtype} {name}: {exc}") from exc
        except dns.exception.DNSException as exc:  # a malformed name or answer: nothing usable
            raise DnsTempError(f"{qtype} {name}: {exc}") from exc
        return list(answer)

    def txt(self, name: str) -> list[bytes]:
        """TXT records, each with its strings joined (RFC 7208 3.3)."""
        return [b"".join(record.strings) for record in self.query(name, "TXT")]

    def dkim_key(self, name: bytes, timeout: float = LIFETIME) -> bytes | None:
        """dkimpy's `dnsfunc`: the TXT record of a selector."""
        records = self.txt(name.decode("ascii", "replace"))
        return records[0] if records else None

    def spf_lookup(
        self, name: str, qtype: str, strict: bool = True, timeout: float = LIFETIME
    ) -> list[tuple[tuple[str, str], Any]]:
        """pyspf's `DNSLookup` contract (its dnspython flavour), asking this resolver."""
        found: list[tuple[tuple[str, str], Any]] = []
        for rdata in self.query(name, qtype, min(timeout, self.lifetime)):
            if qtype in ("A", "AAAA"):
                found.append(((name, qtype), rdata.address))
            elif qtype == "MX":
                found.append(((name, qtype), (rdata.preference, rdata.exchange)))
            elif qtype == "PTR":
                found.append(((name, qtype), rdata.target.to_text(True)))
            elif qtype in ("TXT", "SPF"):
                found.append(((name, qtype), rdata.strings))
        return found
