"""Drawing one random `Doc` from a seeded generator: language, formats, amounts, traps."""

from __future__ import annotations

import datetime
import random

from devset import formats as F
from devset.model import Doc, Item, Party
from devset.phrases import Bank, banks

LANGS = ("en", "de", "fr", "nl", "es", "it")
VAT_RATES = {
    "en": (20, 5),
    "de": (19, 7),
    "fr": (20, 10, 5),
    "nl": (21, 9),
    "es": (21, 10),
    "it": (22, 10),
}
CURRENCIES = {
    "en": (("gbp", 4), ("usd", 3), ("eur", 3)),
    "de": (("eur", 8), ("chf", 2)),
    "fr": (("eur", 9), ("chf", 1)),
    "nl": (("eur", 1),),
    "es": (("eur", 1),),
    "it": (("eur", 9), ("chf", 1)),
}
IBAN_COUNTRY = {"en": "GB", "de": "DE", "fr": "FR", "nl": "NL", "es": "ES", "it": "IT"}
BBAN = {  # (letters, digits) of the basic bank account number
    "GB": (4, 14),
    "DE": (0, 18),
    "FR": (0, 23),
    "NL": (4, 10),
    "ES": (0, 20),
    "IT": (1, 22),
    "CH": (0, 17),
}
COMPANY = {
    "en": (
        "{} Property Management Ltd",
        "{} Lettings Ltd",
        "{} Home Services LLC",
        "{} & Sons plc",
    ),
    "de": ("Hausverwaltung {} GmbH", "{} Immobilien GmbH", "{} Haustechnik GmbH & Co. KG", "{} AG"),
    "fr": ("Résidence {} SARL", "{} Immobilier SAS", "Cabinet {} SA", "{} Services SARL"),
    "nl": ("Woonstichting {} B.V.", "{} Vastgoed B.V.", "{} Installatietechniek B.V."),
    "es": ("Inmobiliaria {} S.L.", "{} Servicios S.A.", "Administración de Fincas {} S.L."),
    "it": ("Immobiliare {} S.r.l.", "{} Servizi S.p.A.", "Amministrazioni {} S.r.l."),
}
NAMES = (
    "Sonne", "Linden", "Aurora", "Horizon", "Atlas", "Nordstern", "Tilleuls", "Miramar",
    "Bellavista", "Eiche", "Riverside", "Oakwood", "Castello", "Delta", "Vega", "Polaris",
)  # fmt: skip
CITIES = {
    "en": ("London", "Manchester", "Bristol", "Leeds"),
    "de": ("10115 Berlin", "80331 München", "50667 Köln", "20095 Hamburg"),
    "fr": ("69003 Lyon", "75011 Paris", "33000 Bordeaux", "13001 Marseille"),
    "nl": ("3511 LK Utrecht", "1012 AB Amsterdam", "3011 AA Rotterdam"),
    "es": ("28013 Madrid", "08001 Barcelona", "46001 Valencia"),
    "it": ("20121 Milano", "00184 Roma", "10121 Torino"),
}
STREETS = {
    "en": "{} High Street",
    "de": "Lindenallee {}",
    "fr": "{} rue des Lilas",
    "nl": "Kerkstraat {}",
    "es": "Calle Mayor {}",
    "it": "Via Roma {}",
}
PERSONS = ("Jane Doe", "Erika Muster", "Jean Dupont", "Jan Jansen", "Ana García", "Mario Rossi")


def make_iban(rng: random.Random, country: str) -> str:
    letters, digits = BBAN[country]
    bban = "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(letters))
    bban += "".join(rng.choice("0123456789") for _ in range(digits))
    numeric = "".join(str(int(c, 36)) for c in bban + country + "00")
    check = 98 - int(numeric) % 97
    compact = f"{country}{check:02d}{bban}"
    return " ".join(compact[i : i + 4] for i in range(0, len(compact), 4))


def _weighted(rng: random.Random, options: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([o for o, _ in options], weights=[w for _, w in options])[0]


def _reference(rng: random.Random, issue: datetime.date) -> str:
    n = rng.randint(10, 99999)
    shapes = (
        f"RE-{issue.year}-{n:05d}",
        f"INV-{n:06d}",
        f"{issue.year}/{n % 1000:04d}",
        f"F{issue.year}-{n:04d}",
        f"{rng.choice(('ABC', 'HV', 'KM', 'FA'))} {n % 100:02d}/{issue.year % 100:02d}",
        f"{issue.year}-{n}",
        f"{n:07d}",
        f"FA {n % 1000:03d} {rng.randint(100, 999)}",
    )
    return rng.choice(shapes)


def _other_id(rng: random.Random) -> str:
    return rng.choice(
        (
            f"{rng.randint(10000, 999999)}",
            f"K-{rng.randint(1000, 99999)}",
            f"PO-{rng.randint(1000, 9999)}",
            f"{rng.randint(100, 999)} {rng.randint(100, 999)} {rng.randint(100, 999)}",
        )
    )


def _date_format(rng: random.Random, lang: str, currency: str) -> F.DateFormat:
    if lang == "en":
        if currency == "usd":
            return rng.choice((F.us_date, F.en_long, F.iso_date))
        return rng.choice((F.fr_date, F.en_day_first, F.en_long, F.iso_date))
    options: tuple[F.DateFormat, ...] = {
        "de": (F.de_date, F.long_date("de"), F.short_year_date, F.iso_date),
        "fr": (F.fr_date, F.long_date("fr"), F.fr_date),
        "nl": (F.dash_date, F.de_date, F.long_date("nl")),
        "es": (F.fr_date, F.long_date("es"), F.fr_date),
        "it": (F.fr_date, F.long_date("it"), F.de_date),
    }[lang]
    return rng.choice(options)


def _money_format(rng: random.Random, lang: str, currency: str) -> F.MoneyFormat:
    if currency == "chf":
        return F.fmt_ch
    if lang == "en":
        return F.fmt_en
    if lang == "fr":
        return rng.choice((F.fmt_fr, F.fmt_fr, F.fmt_de))
    return F.fmt_de


def _currency_style(rng: random.Random, lang: str, currency: str) -> str:
    if currency in ("gbp", "usd"):
        return rng.choice(("symbol_before", "symbol_before", "code_before", "header"))
    if currency == "chf":
        return rng.choice(("code_before", "code_after", "header"))
    if lang == "nl":
        return rng.choice(("symbol_before", "symbol_after", "code_after", "header"))
    return rng.choice(("symbol_after", "symbol_after", "code_after", "header"))


def _pick_labels(rng: random.Random, bank: Bank) -> dict[str, str]:
    concepts = (
        "title", "credit_title", "reference", "issue", "due", "customer_no", "order_no",
        "account_no", "net", "tax", "total", "amount_due", "prepaid", "rounding", "open_amount",
        "desc_header", "qty_header", "unit_header", "amount_header", "greeting", "prose_intro",
        "prose_total", "closing", "payee", "payment_ref", "bank_details", "carried", "brought",
        "page",
    )  # fmt: skip
    return {c: rng.choice(getattr(bank, c)) for c in concepts}


def sample_doc(rng: random.Random, lang: str | None = None) -> Doc:
    """One invoice with its traps; probabilities are rough shares of real mail."""
    lang = lang or rng.choice(LANGS)
    bank = banks()[lang]
    currency = _weighted(rng, CURRENCIES[lang])
    country = "CH" if currency == "chf" else IBAN_COUNTRY[lang]
    issue = datetime.date(2024, 1, 1) + datetime.timedelta(days=rng.randint(0, 700))
    city = rng.choice(CITIES[lang])
    seller = Party(
        rng.choice(COMPANY[lang]).format(rng.choice(NAMES)),
        (STREETS[lang].format(rng.randint(1, 120)), city),
        vat_id=f"{country}{rng.randint(100000000, 999999999)}",
        iban=make_iban(rng, country),
    )
    buyer = Party(
        rng.choice(PERSONS),
        (STREETS[lang].format(rng.randint(1, 120)), rng.choice(CITIES[lang])),
    )
    rates = VAT_RATES[lang]
    vat = _weighted(rng, (("single", 6), ("multi", 2), ("exempt", 2)))
    n_items = rng.choice((1, 2, 2, 3, 3, 4, 5, 6))
    descs = rng.sample(list(bank.items), k=min(n_items, len(bank.items)))
    items = []
    for i, desc in enumerate(descs):
        qty = rng.choice((1, 1, 1, 2, 3, 4, 10))
        unit = rng.choice((rng.randint(500, 9999), rng.randint(1000, 150000), rng.randint(50, 900)))
        rate = rates[0] if vat != "multi" or i % 2 == 0 else rates[1]
        items.append(Item(desc, qty, unit, rate))
    if vat == "multi" and len({i.rate for i in items}) < 2:
        items.append(Item(rng.choice(bank.items), 1, rng.randint(500, 20000), rates[1]))
    doc = Doc(
        lang=lang,
        bank=bank,
        money=_money_format(rng, lang, currency),
        date=_date_format(rng, lang, currency),
        currency=currency,
        currency_style=_currency_style(rng, lang, currency),
        seller=seller,
        buyer=buyer,
        reference=_reference(rng, issue),
        issue=issue,
        items=items,
        vat=vat,
        picks=_pick_labels(rng, bank),
    )
    _deadline(rng, doc)
    _traps(rng, doc)
    return doc


def _deadline(rng: random.Random, doc: Doc) -> None:
    mode = _weighted(
        rng,
        (
            ("label", 45),
            ("sentence", 20),
            ("terms", 18),
            ("receipt", 6),
            ("none", 6),
            ("nodate", 5),
        ),
    )
    doc.due_mode = mode
    days = rng.choice((7, 10, 14, 14, 15, 30, 30, 45, 60))
    if mode in ("label", "sentence"):
        doc.due = doc.issue + datetime.timedelta(days=days)
    elif mode == "terms":
        doc.terms_days = days
        doc.due = doc.issue + datetime.timedelta(days=days)
    if mode == "nodate":
        doc.traps.append("deadline_without_date")
    if mode == "label" and rng.random() < 0.08:
        doc.due_date_format = F.compact_date
        doc.traps.append("compact_due_date")


def _traps(rng: random.Random, doc: Doc) -> None:
    """Independent traps; each is a category the issue lists."""
    r = rng.random
    if r() < 0.05:
        doc.kind = "credit_note"
        doc.negative = r() < 0.6
        doc.traps.append("credit_note")
    if doc.vat == "exempt":
        doc.exempt_note = rng.choice(doc.bank.exempt)
        doc.traps.append("vat_exempt")
    if doc.vat == "multi":
        doc.traps.append("multi_rate_vat")
    if doc.kind == "invoice":
        roll = r()
        if roll < 0.06:
            doc.paid = True
            doc.traps.append("already_paid")
        elif roll < 0.18:
            doc.prepaid = max(100, round(doc.net * rng.choice((0.1, 0.25, 0.3, 0.5)) / 100) * 100)
            doc.traps.append("prepayment")
    if r() < 0.08:
        doc.rounding = rng.choice((-4, -3, -2, -1, 1, 2, 3, 4))
        doc.traps.append("rounding_line")
    if r() < 0.12:
        doc.items.append(
            Item(rng.choice(doc.bank.levy), 1, rng.randint(300, 6000), doc.items[0].rate)
        )
        doc.traps.append("levy_line")
    if r() < 0.06:
        doc.levy_sentence_amount = rng.randint(100, 5000)
        doc.traps.append("levy_in_sentence")
    if r() < 0.2:
        doc.capital = rng.choice((2500000, 5000000, 10000000, 25000000))
        doc.traps.append("share_capital")
    if r() < 0.07:
        doc.deposit_held = rng.randint(50000, 400000)
        doc.traps.append("deposit_held")
    if r() < 0.15:
        doc.hours = True
        doc.traps.append("office_hours")
    if r() < 0.6:
        doc.customer_no = _other_id(rng)
    if r() < 0.35:
        doc.order_no = _other_id(rng)
    if r() < 0.25:
        doc.account_no = _other_id(rng)
    if doc.customer_no or doc.order_no or doc.account_no:
        doc.traps.append("other_ids_near_reference")
    if r() < 0.06:
        doc.hedge_date = doc.issue + datetime.timedelta(days=rng.randint(60, 120))
        doc.traps.append("hedged_date")
    if r() < 0.2 and len(doc.items) > 1:
        doc.headings.append((0, rng.choice(doc.bank.headings)))
        doc.notes.append((len(doc.items), rng.choice(doc.bank.notes)))
        doc.traps.append("headings_in_table")
    if r() < 0.05:
        doc.glued = True
    if " " in doc.reference or "/" in doc.reference:
        doc.traps.append("reference_with_space_or_slash")
