"""Label vocabulary in six languages (en, de, fr, nl, es, it), accent-folded and lower-case.

Longer phrases win over shorter ones at match time, so "total ht" (a net amount) beats "total",
and negative classes (customer number, delivery date...) keep generic words from being misread.
"""

from __future__ import annotations

import unicodedata

LABELS: dict[str, tuple[str, ...]] = {
    # The amount the payer must pay now (after prepayments / deposits).
    "amount_due": (
        "amount due", "total due", "total amount due", "balance due", "amount payable",
        "total payable", "please pay", "balance", "amount to pay", "net amount due", "to pay",
        "zahlbetrag", "zu zahlender betrag", "zu zahlen", "noch zu zahlen", "faelliger betrag",
        "fälliger betrag", "offener betrag", "restbetrag", "zahlungsbetrag", "auszahlungsbetrag",
        "bitte zahlen", "gesamt zu zahlen", "verbleibender betrag", "restforderung",
        "net a payer", "reste a payer", "montant a payer", "somme a payer", "montant du",
        "total a payer", "montant net a payer", "solde a payer", "solde du", "a payer",
        "te betalen", "nog te betalen", "totaal te betalen", "te voldoen", "openstaand bedrag",
        "importe a pagar", "total a pagar", "a pagar", "saldo pendiente", "importe pendiente",
        "totale da pagare", "da pagare", "netto a pagare", "importo da pagare", "saldo dovuto",
        "totale dovuto", "importo dovuto",
        "residual", "remaining", "outstanding", "outstanding amount", "amount outstanding",
        "balance to pay", "reste du", "restant du", "montant restant", "saldo a pagar", "saldo",
        "resterend bedrag", "importo residuo", "residuo",
        "amount due (eur)", "total amount payable", "zahlbetrag (eur)", "montant a regler",
        "total du", "te betalen bedrag", "totale a pagare",
    ),
    # Grand total including tax.
    "total": (
        "total", "grand total", "invoice total", "total amount", "total incl. vat",
        "total incl vat", "total including vat", "total inc. vat", "total (incl. vat)",
        "rounded total", "total rounded", "total sales", "total amount (incl. tax)",
        "total incl. tax", "total gross", "gross total", "gross amount", "invoice amount",
        "amount (incl. vat)", "total inclusive", "nett total",
        "gesamtbetrag", "gesamtsumme", "bruttosumme", "bruttobetrag", "rechnungsbetrag",
        "rechnungssumme", "endbetrag", "endsumme", "summe", "gesamt", "brutto", "gesamt brutto",
        "gesamtbetrag brutto", "rechnungsbetrag brutto", "summe brutto", "total brutto",
        "rechnungsendbetrag", "bruttorechnungsbetrag", "gesamtpreis",
        "total ttc", "montant ttc", "total facture", "montant total", "total general",
        "montant total ttc", "total ttc (eur)", "net a payer ttc", "total de la facture",
        "totaal", "totaal incl. btw", "totaal incl btw", "factuur totaal", "totaalbedrag",
        "factuurbedrag", "totaal inclusief btw", "eindtotaal", "te betalen totaal",
        "total factura", "importe total", "total (iva incluido)", "total con iva", "total general",
        "totale", "totale fattura", "totale documento", "importo totale", "totale complessivo",
        "totale ivato", "totale generale",
        "total eur", "total (eur)", "gesamt (eur)", "summe (eur)", "total general ttc",
        "montant ttc a payer", "total incl. btw", "totaal bedrag", "importe total factura",
    ),
    # Net amount / subtotal (excluding tax).
    "subtotal": (
        "subtotal", "sub total", "sub-total", "net amount", "net total", "total net",
        "total excl. vat", "total excl vat", "total excluding vat", "total before tax",
        "amount excl. vat", "total excl. tax", "total (excl. vat)", "net", "total net amount",
        "zwischensumme", "nettobetrag", "netto", "summe netto", "gesamt netto", "nettosumme",
        "rechnungssumme ohne ust.", "rechnungssumme ohne ust", "summe ohne mwst",
        "warenwert", "positionssumme", "gesamtbetrag netto", "nettowarenwert", "netto gesamt",
        "summe positionen", "basisbetrag", "steuerbasis",
        "total ht", "montant ht", "sous-total", "sous total", "total hors taxes", "base ht",
        "montant hors taxes", "total net ht", "base tva", "total ht (eur)",
        "subtotaal", "totaal excl. btw", "totaal excl btw", "exclusief btw", "excl. btw",
        "netto bedrag", "totaal exclusief btw", "grondslag",
        "base imponible", "subtotal sin iva", "total sin iva", "importe neto", "base",
        "imponibile", "totale imponibile", "subtotale", "totale netto", "imponibile totale",
        "total net ht", "montant total ht",
    ),
    "tax": (
        "vat", "tax", "sales tax", "vat amount", "total vat", "tax amount", "total tax", "gst",
        "vat total", "taxes", "tax total",
        "mwst", "mwst.", "ust", "ust.", "umsatzsteuer", "mehrwertsteuer", "steuerbetrag",
        "steuer", "summe mwst", "summe ust", "mwst.-betrag", "mwst betrag", "ust-betrag",
        "gesamtbetrag ust", "umsatzsteuerbetrag", "steuerbetrag in eur", "enthaltene mwst",
        "enthaltene ust", "zzgl. mwst", "zzgl. ust", "inkl. mwst", "versicherungsteuer",
        "tva", "total tva", "montant tva", "montant de la tva", "taxe",
        "btw", "btw bedrag", "totaal btw", "btw-bedrag",
        "iva", "cuota iva", "importe iva", "total iva", "impuestos",
        "imposta", "totale iva", "importo iva", "iva totale",
        "ust. gesamt", "ust gesamt", "mwst. gesamt", "mwst gesamt", "steuer gesamt",
        "gesamt ust", "gesamt mwst", "summe steuer", "zuzuglich mwst.", "zuzuglich ust.",
        "zzgl. mwst.", "zuzuglich",
    ),
    "prepaid": (
        "prepayment", "prepaid", "prepaid amount", "deposit", "deposit paid", "already paid",
        "amount paid", "paid", "less deposit", "less payment", "payments", "advance payment",
        "payment received", "paid amount", "total paid",
        "anzahlung", "anzahlungen", "erhaltene anzahlung", "erhaltene anzahlungen",
        "bereits bezahlt", "bereits gezahlt", "abschlagszahlung", "abschlagszahlungen",
        "vorauszahlung", "vorauszahlungen", "geleistete zahlungen", "geleistete anzahlungen",
        "abzuglich anzahlung", "abzgl. anzahlung", "gezahlt", "bezahlt", "kaution",
        "abzuglich bereits gezahlter", "erhaltene teilzahlungen", "vorausbezahlter betrag",
        "montant deja paye", "deja paye", "deja regle", "acompte", "acomptes", "acompte verse",
        "montant paye", "avance", "paye",
        "aanbetaling", "reeds betaald", "voorschot", "betaald", "vooruitbetaald",
        "anticipo", "ya pagado", "pagado", "importe pagado", "entrega a cuenta",
        "acconto", "gia pagato", "pagato", "anticipo versato",
        "montant deja verse", "deja verse", "acompte recu", "acomptes recus",
        "payment received by", "already received", "anzahlung erhalten", "erhaltene zahlungen",
    ),
    "due_date": (
        "due date", "payment due", "date due", "payment due date", "due", "due on", "pay by",
        "payable by", "payment date", "to be paid by", "due by",
        "falligkeit", "fälligkeit", "falligkeitsdatum", "faellig am", "fallig am", "fallig",
        "zahlbar bis", "zahlungsziel", "zahlungstermin", "zahlbar am", "bitte zahlen bis",
        "faelligkeitsdatum", "zahlungsfrist", "falligkeitstermin", "bezahlen bis",
        "date d'echeance", "date d echeance", "echeance", "date limite de paiement",
        "date limite", "a payer avant le", "payable le", "a regler avant le", "date de paiement",
        "prelevement a partir du", "a payer le",
        "vervaldatum", "vervaldag", "uiterste betaaldatum", "te betalen voor", "betalen voor",
        "betaaldatum", "uiterlijk betalen op",
        "fecha de vencimiento", "vencimiento", "fecha vencimiento", "fecha limite de pago",
        "pagar antes de",
        "scadenza", "data scadenza", "data di scadenza", "scadenza pagamento",
        "pagare entro il", "da pagare entro",
    ),
    "issue_date": (
        "invoice date", "date of invoice", "date", "issue date", "date of issue", "billing date",
        "invoice date:", "dated", "tax point", "document date",
        "rechnungsdatum", "datum", "rechnungs-datum", "ausstellungsdatum", "belegdatum",
        "datum der rechnung", "vom", "gutschriftsdatum",
        "date de facture", "date de facturation", "date facture", "date d'emission", "du",
        "date de la facture", "date d'emission de la facture",
        "factuurdatum", "factuur datum", "datum factuur", "datum van uitgifte",
        "fecha", "fecha de factura", "fecha factura", "fecha de emision", "fecha emision",
        "data", "data fattura", "data documento", "data di emissione", "data emissione",
        "von", "rechnung vom", "invoice dated",
    ),
    # Dates that must not be taken for issue or due dates.
    "other_date": (
        "delivery date", "order date", "service date", "date of supply", "shipping date",
        "period", "billing period", "contract date", "date of delivery",
        "lieferdatum", "leistungsdatum", "liefer- und leistungsdatum", "bestelldatum",
        "auftragsdatum", "leistungszeitraum", "abrechnungszeitraum", "lieferzeitraum",
        "date de livraison", "date de commande", "periode", "date de prestation",
        "leverdatum", "orderdatum", "besteldatum", "leveringsdatum", "periode",
        "fecha de entrega", "fecha de pedido", "periodo", "data di consegna", "data ordine",
        "data consegna", "stylesheet-version",
        "date de facture associee", "date de debut de prestation", "date de fin de prestation",
        "date de debut", "date de fin", "start date", "end date", "leistungsbeginn",
        "leistungsende", "check in", "check out", "date of birth", "geburtsdatum",
    ),
    "reference": (
        "invoice number", "invoice no", "invoice no.", "invoice #", "invoice nr", "invoice n°",
        "invoice num", "inv no", "inv. no.", "invoice id", "bill no", "bill number",
        "document no", "document number", "credit note number", "credit note no",
        "rechnungsnummer", "rechnungsnr", "rechnungsnr.", "rechnung nr", "rechnung nr.",
        "rechnungs-nr", "rechnungs-nr.", "rechnung-nr.", "belegnummer", "beleg-nr.",
        "gutschriftsnummer", "gutschrift nr.", "gutschrift-nr.", "rechnung no.",
        "numero de facture", "n° de facture", "no de facture", "facture n°", "facture no",
        "facture n", "facture n°:", "n° facture", "facture numero", "avoir n°", "numero d'avoir",
        "factuurnummer", "factuurnr", "factuurnr.", "factuur nr", "factuur nr.", "factuur", "n°",
        "nº",
        "numero de factura", "n° de factura", "no de factura", "factura n°", "factura no",
        "factura nº", "nº factura", "num. factura", "factura numero",
        "numero fattura", "n. fattura", "fattura n.", "fattura n°", "fattura nr", "fattura numero",
        "nr. fattura", "numero documento",
        "re-nr.", "re.-nr.", "rg.-nr.", "rg-nr.", "rechnungs nr.", "belegnr.", "beleg nr.",
        "invoice no.:", "facture no.", "n° facture", "nº factura", "fattura nr.",
        "factuur nummer", "invoice reference", "numero de la facture",
    ),
    # Identifiers that are not the invoice number.
    "other_id": (
        "customer number", "customer no", "customer id", "account number", "order number",
        "order no", "purchase order", "po number", "vat number", "vat no", "tax id", "vat id",
        "kundennummer", "kundennr", "kundennr.", "kunden-nr.", "auftragsnummer", "bestellnummer",
        "bestellung nr.", "steuernummer", "ust-id", "ust-idnr.", "ust.-id.-nr.", "ustid",
        "vertragsnummer", "lieferschein", "lieferscheinnummer", "auftrag", "bestellung",
        "numero client", "n° client", "reference client", "n° tva", "n° commande",
        "bon de commande", "n° contrat", "siren", "siret", "numero de commande", "id.client",
        "klantnummer", "ordernummer", "btw nummer", "btw-nummer", "kvk", "debiteurnummer",
        "numero de cliente", "numero de pedido", "nif", "cif", "partita iva", "codice fiscale",
        "numero cliente", "numero ordine", "account", "telefon", "tel", "fax", "iban", "bic",
        "nummer", "globale nummer", "gln",
        "n° de facture associee", "facture associee", "booking id",
    ),
    # Receipts: money handed over and change given back (tendered - change = total).
    "tendered": (
        "cash", "cash received", "tendered", "amount tendered", "cash tendered", "bar", "gegeben",
        "especes", "contant", "efectivo", "contanti", "payment", "paid amount",
    ),
    "change": (
        "change", "change due", "ruckgeld", "wechselgeld", "monnaie rendue", "rendu",
        "wisselgeld", "terug", "cambio", "vuelto", "resto",
    ),
    "payment_terms": (
        "payment terms", "terms", "zahlungsbedingungen", "zahlungsbedingung",
        "conditions de paiement", "conditions de reglement", "betalingsvoorwaarden",
        "betalingstermijn", "condiciones de pago", "forma de pago", "condizioni di pagamento",
        "termini di pagamento", "modalita di pagamento",
    ),
}

# Words that name the kind of document (matched on the first page's text).
DOC_WORDS: dict[str, tuple[str, ...]] = {
    "invoice": (
        "invoice", "tax invoice", "rechnung", "handelsrechnung", "facture", "factuur", "factura",
        "fattura", "teilrechnung", "schlussrechnung", "abschlagsrechnung", "bill",
        "betriebskostenabrechnung", "nebenkostenabrechnung", "abrechnung",
        "rechnungskorrektur", "korrekturrechnung", "stornorechnung",
    ),
    "credit_note": (
        "credit note", "credit memo", "gutschrift", "avoir", "facture d'avoir", "creditnota",
        "credit nota", "nota de credito", "factura rectificativa", "nota di credito",
    ),
    "receipt": (
        "receipt", "cash receipt", "sales receipt", "quittung", "kassenbon", "kassenbeleg",
        "recu", "ticket de caisse", "kassabon", "kwitantie", "recibo", "ticket", "ricevuta",
        "scontrino", "cash bill", "change", "cash", "tendered", "thank you",
    ),
    "paid": (
        "paid", "bezahlt", "paye", "payee", "betaald", "pagado", "pagato", "paid in full",
        "vooruitbetaald", "deja paye",
    ),
    "not_invoice": (
        "newsletter", "unsubscribe", "abmelden", "se desabonner", "uitschrijven",
        "darse de baja", "annulla iscrizione", "contract", "vertrag", "contrat", "contrato",
        "contratto", "agreement", "mietvertrag", "terms and conditions", "quote", "quotation",
        "angebot", "devis", "offerte", "presupuesto", "preventivo", "order confirmation",
        "auftragsbestatigung", "reminder", "mahnung",
    ),
}

def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Stop words used to guess the document's languages (cheap and deterministic).
STOPWORDS: dict[str, frozenset[str]] = {
    "eng": _words("the and of to for with your you is are this from by invoice total amount "
                     "date due payment please"),
    "deu": _words("der die das und mit für fur von zu ist wir sie ihre rechnung betrag "
                     "datum bitte summe nicht"),
    "fra": _words("le la les et de des du pour avec vous votre est une facture montant date "
                     "au sur"),
    "nld": _words("de het een en van voor met uw u is wij factuur bedrag datum niet op "
                     "totaal betalen"),
    "spa": _words("el la los las y de del para con su usted es una factura importe fecha "
                     "por total pagar"),
    "ita": _words("il lo la gli le e di del della per con suo è una fattura importo data "
                     "totale pagare"),
}


def fold(text: str) -> str:
    """Lower-case and strip accents, keeping one character per input character."""
    out: list[str] = []
    for ch in text:
        low = ch.lower()
        if len(low) != 1:
            low = ch
        decomposed = unicodedata.normalize("NFKD", low)
        base = "".join(c for c in decomposed if not unicodedata.combining(c))
        out.append(base[0] if len(base) >= 1 else low)
    return "".join(out)
