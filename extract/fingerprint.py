"""A compact fingerprint of a document's words, to recognise a re-scan of the same paper.

A 64-bit SimHash of the normalised word tokens: lower case, accents folded, punctuation dropped,
one-character tokens ignored, each token weighted by its count. A re-scan or a second photo of
the same page differs by a few OCR slips, so its hash differs in few bits; unrelated documents
differ in about half of them. The results stage compares it (with the payable fields) to what
the tenant already sent; the bytes of the file cannot help there, since every scan differs.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Iterable

from extract.lexicon import fold

BITS = 64
_TOKEN = re.compile(r"[a-z0-9]{2,}")


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(fold(text))


def simhash(words: Iterable[str]) -> str | None:
    """Hex SimHash of the tokens; None when there is no text to compare."""
    import numpy as np

    counts = Counter(words)
    if not counts:
        return None
    digests = b"".join(hashlib.blake2b(token.encode(), digest_size=8).digest() for token in counts)
    weight = np.fromiter(counts.values(), dtype=np.int64, count=len(counts))
    # Every token's 64 bits at once, most significant first (the digests are big-endian).
    bits = np.unpackbits(np.frombuffer(digests, dtype=np.uint8).reshape(-1, 8), axis=1)
    # Per bit: +count where it is set, -count where it is not, i.e. twice the counts where it
    # is set less all counts (exact integers: the same sums as adding them token by token).
    positive = 2 * (weight @ bits) - weight.sum() > 0
    result = int.from_bytes(np.packbits(positive).tobytes(), "big")
    return f"{result:016x}"


def text_fingerprint(lines: Iterable[str]) -> str | None:
    """The fingerprint of a document from its text lines (text layer or OCR)."""
    return simhash(token for line in lines for token in tokens(line))


def distance(a: str, b: str) -> int:
    """Differing bits between two fingerprints (0 = same words)."""
    return (int(a, 16) ^ int(b, 16)).bit_count()
