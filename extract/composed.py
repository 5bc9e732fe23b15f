"""Labels composed from word stems, for wordings no phrase list holds.

An identifier label is a number marker plus the thing numbered, in either order ("Kd.-Nr.",
"N° de commande", "numero fattura", "Vertragsnummer"): the subject says whether it is the
invoice number or another number. "Amount before tax" is a net amount; "energy tax" and
"waste collection fee" are levies, not VAT. These hits join the phrase matcher's; the longest
span wins, so a composed "n° de commande" beats a bare "n°".
"""

from __future__ import annotations

import re
from functools import lru_cache

from extract.lexicon.amounts import LEVY_SUBJECTS, LEVY_WORDS, NET_QUALIFIERS, TAX_WORDS
from extract.lexicon.identifiers import DOCUMENT_SUBJECTS, ID_MARKERS, OTHER_SUBJECTS
from extract.literals import alternation


def _alt(words: tuple[str, ...]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


_MARK = r"(?:" + _alt(ID_MARKERS) + r")(?![\w])"
_LINK = r"\s*(?:de |di |del |van |of |du |de la |der )?"


@lru_cache(maxsize=1)
def _patterns() -> list[tuple[str, re.Pattern[str]]]:
    out: list[tuple[str, re.Pattern[str]]] = []
    for label, subjects in (("reference", DOCUMENT_SUBJECTS), ("other_id", OTHER_SUBJECTS)):
        subj = r"(?:" + _alt(subjects) + r")"
        out += [
            # "kunden-nr.", "invoice no", "factura n.o", "rif. ordine" (subject first)
            (label, re.compile(r"\b" + subj + r"[\w]*?\.?\s*[-.]?\s*" + _MARK)),
            # "vertragsnummer", "klantnr", "inkoopordernr."
            (label, re.compile(r"\b" + subj + r"\w*?(?:nummer|nr|no)\b\.?")),
            # "n° de commande", "numero fattura", "n. documento", "rif. ordine"
            (label, re.compile(r"(?<!\w)" + _MARK + r"\.?" + _LINK + subj + r"\w*")),
        ]
    # A compound whose head is the document ("Huurfactuur Nummer", "Mietrechnung Nr."): Dutch
    # and German put the thing numbered last, after what it is for.
    heads = r"(?:" + _alt(tuple(s for s in DOCUMENT_SUBJECTS if len(s) >= 7)) + r")"
    out.append(("reference", re.compile(r"\b\w+" + heads + r"\.?\s*[-.]?\s*" + _MARK)))
    out.append(
        (
            "other_id",
            # "Your order:", "Vertragskonto:", "Compte locataire :" - a bare subject as a key.
            re.compile(
                r"^\s*(?:your |uw |su |vs\.? |ihre |votre )?(?:"
                + _alt(tuple(w for w in OTHER_SUBJECTS if w not in (*TAX_WORDS, "vat")))
                + r")\w*(?:\s+\w+)?\s*:"
            ),
        )
    )
    # A bare marker as a key ("Ref.:", "Kenmerk:", "Referencia:"): the invoice's own number.
    out.append(
        (
            "reference",
            re.compile(
                r"^\s*(?:(?:ref|rif)\.|(?:ref|rif|reference|referenz|referencia|riferimento|"
                r"kenmerk|nummer|numero|number|n°|nr|no)\.?\s*:)"
            ),
        )
    )
    # The same key after a document title on one line ("Recibo de alquiler Referencia: X",
    # "Facture Réf. : X"), unless it is someone else's ("Your reference:", "Su referencia:").
    out.append(
        (
            "reference",
            re.compile(
                r"(?<=\s)(?<!your )(?<!uw )(?<!su )(?<!ihre )(?<!votre )(?<!vostro )"
                r"(?<!vostra )(?<!vs\. )(?<!our )(?<!unsere )(?<!notre )(?<!nuestra )"
                r"(?:ref|rif|reference|referenz|referencia|riferimento|kenmerk)\.?\s*:"
            ),
        )
    )
    net = r"(?:" + _alt(NET_QUALIFIERS) + r")\.?\s+(?:" + _alt(TAX_WORDS) + r")\b"
    out.append(("subtotal", re.compile(r"\b(?:\w+\s+)?" + net)))
    levy = (
        r"\b(?:" + _alt(LEVY_SUBJECTS) + r")\w*(?:\s+\w+)?\s+(?:" + _alt(LEVY_WORDS) + r")\w*"
        r"|\b(?:" + _alt(LEVY_SUBJECTS) + r")\w*?(?:" + _alt(LEVY_WORDS) + r")\w*"
        # "taxe sur l'electricite", "tasa de basuras", "accise energia" (the levy word first)
        r"|\b(?:"
        + _alt(LEVY_WORDS)
        + r")\w*(?:\s+[\w']+){0,3}?\s+(?:l')?(?:"
        + _alt(LEVY_SUBJECTS)
        + r")\w*"
    )
    out.append(("levy", re.compile(levy)))
    return out


# A key that names a date ("Lieferdatum:", "Delivery date:", "Fecha de pedido:") is a date's
# label, never an identifier's, whatever its subject.
_DATE_KEY_RE = re.compile(r"dat(?:e|um|a)\b|\bfecha\b|period|zeitraum")


@lru_cache(maxsize=1)
def _gate() -> re.Pattern[str]:
    """A part every composed pattern needs, so a string without one holds no composed label:
    a marker at a word's start (a marker first; the bare keys, "Ref.:", "Nummer:"), a subject,
    net qualifier or levy subject at a word's start (a subject first, a subject as a key, a
    net amount; every levy names its subject after a boundary), or a document head anywhere
    (a compound's last part). Most segments hold none, and one search costs less than twelve."""
    heads = tuple(s for s in DOCUMENT_SUBJECTS if len(s) >= 7)
    starts = DOCUMENT_SUBJECTS + OTHER_SUBJECTS + NET_QUALIFIERS + LEVY_SUBJECTS
    return re.compile(
        r"(?<!\w)"
        + alternation(ID_MARKERS)
        + r"|\b"
        + alternation(starts)
        + "|"
        + alternation(heads)
    )


def composed_labels(folded: str) -> list[tuple[str, int, int]]:
    """(label, start, end) spans found by composition, longest first per position."""
    if not _gate().search(folded):
        return []
    return composed_labels_ungated(folded)


def composed_labels_ungated(folded: str) -> list[tuple[str, int, int]]:
    """The patterns themselves, on every string (the rule `composed_labels` shortcuts)."""
    found = []
    for label, rx in _patterns():
        for m in rx.finditer(folded):
            if m.end() > m.start():
                if label == "other_id" and _DATE_KEY_RE.search(m.group()):
                    continue
                found.append((label, m.start(), m.end()))
    return found
