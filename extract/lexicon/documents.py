"""Words that tell the kind of document, and stop words that tell its language."""

# Words that name the kind of document (matched on the first page's text).
DOC_WORDS: dict[str, tuple[str, ...]] = {
    "invoice": (
        "invoice",
        "tax invoice",
        "rechnung",
        "handelsrechnung",
        "facture",
        "factuur",
        "factura",
        "fattura",
        "teilrechnung",
        "schlussrechnung",
        "abschlagsrechnung",
        "bill",
        "betriebskostenabrechnung",
        "nebenkostenabrechnung",
        "abrechnung",
        "rechnungskorrektur",
        "korrekturrechnung",
        "stornorechnung",
    ),
    "credit_note": (
        "credit note",
        "credit memo",
        "gutschrift",
        "avoir",
        "facture d'avoir",
        "creditnota",
        "credit nota",
        "nota de credito",
        "factura rectificativa",
        "nota di credito",
    ),
    "receipt": (
        "receipt",
        "cash receipt",
        "sales receipt",
        "quittung",
        "kassenbon",
        "kassenbeleg",
        "recu",
        "ticket de caisse",
        "kassabon",
        "kwitantie",
        "recibo",
        "ticket",
        "ricevuta",
        "scontrino",
        "cash bill",
        "change",
        "cash",
        "tendered",
        "thank you",
    ),
    "paid": (
        "paid",
        "bezahlt",
        "paye",
        "payee",
        "betaald",
        "pagado",
        "pagato",
        "paid in full",
        "vooruitbetaald",
        "deja paye",
    ),
    "not_invoice": (
        "newsletter",
        "unsubscribe",
        "abmelden",
        "se desabonner",
        "uitschrijven",
        "darse de baja",
        "annulla iscrizione",
        "contract",
        "vertrag",
        "contrat",
        "contrato",
        "contratto",
        "agreement",
        "mietvertrag",
        "terms and conditions",
        "quote",
        "quotation",
        "angebot",
        "devis",
        "offerte",
        "presupuesto",
        "preventivo",
        "order confirmation",
        "auftragsbestatigung",
        "reminder",
        "mahnung",
    ),
}


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Stop words used to guess the document's languages (cheap and deterministic).
STOPWORDS: dict[str, frozenset[str]] = {
    "eng": _words(
        "the and of to for with your you is are this from by invoice total amount "
        "date due payment please"
    ),
    "deu": _words(
        "der die das und mit für fur von zu ist wir sie ihre rechnung betrag "
        "datum bitte summe nicht"
    ),
    "fra": _words(
        "le la les et de des du pour avec vous votre est une facture montant date au sur"
    ),
    "nld": _words(
        "de het een en van voor met uw u is wij factuur bedrag datum niet op totaal betalen"
    ),
    "spa": _words(
        "el la los las y de del para con su usted es una factura importe fecha por total pagar"
    ),
    "ita": _words(
        "il lo la gli le e di del della per con suo è una fattura importo data totale pagare"
    ),
}
