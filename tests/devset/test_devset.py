"""The development-set generator: reproducible, every family drawn, truth that adds up and is
printed on the page."""

from __future__ import annotations

import io
import random
from pathlib import Path

import pytest

from devset.build import build_one
from devset.families import FAMILIES, HELD_OUT_FAMILIES, RULE_FAMILIES
from devset.families.payment_slip import payment_code
from devset.model import Doc
from devset.phrases import banks
from devset.sample import make_iban, sample_doc
from extract.iban import iban_checksum_ok

TEXT_ONLY = (("text", 1),)


def _text(pdf: bytes) -> str:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return "\n".join(page.extract_text() or "" for page in doc.pages)


def test_the_same_seed_and_index_give_the_same_document() -> None:
    a, b = build_one(7, 3, TEXT_ONLY), build_one(7, 3, TEXT_ONLY)
    assert a.name == b.name and a.truth == b.truth and a.pdf == b.pdf
    assert build_one(8, 3, TEXT_ONLY).truth != a.truth


def test_rule_and_held_out_families_do_not_overlap_and_cover_every_family() -> None:
    assert not set(RULE_FAMILIES) & set(HELD_OUT_FAMILIES)
    assert set(RULE_FAMILIES) | set(HELD_OUT_FAMILIES) == set(FAMILIES)


@pytest.mark.parametrize("index", range(len(FAMILIES)))
def test_each_family_prints_its_reference_and_payable_amount(index: int) -> None:
    built = build_one(11, index, TEXT_ONLY)
    truth = built.truth
    assert truth["family"] == FAMILIES[index]
    assert truth["split"] in ("rules", "held_out")
    text = _text(built.pdf)
    assert str(truth["reference"]) in text
    assert str(truth["vendor"]) in text.replace("\n", " ")


@pytest.mark.parametrize("seed", range(40))
def test_truth_adds_up(seed: int) -> None:
    doc = sample_doc(random.Random(seed))
    truth = doc.truth()
    items = truth["line_items"]
    assert isinstance(items, list)
    assert sum(int(i["amount"]) for i in items) == doc.net
    assert truth["total_amount"] == (doc.net + doc.tax + doc.rounding)
    due = truth["amount_due"]
    if doc.paid:
        assert due == 0
    elif doc.prepaid:
        assert due == (doc.gross - doc.prepaid)
    else:
        assert due is None
    if doc.vat == "exempt":
        assert truth["tax_amount"] == 0


def test_generated_ibans_pass_the_checksum() -> None:
    rng = random.Random(3)
    for country in ("GB", "DE", "FR", "NL", "ES", "IT", "CH"):
        assert iban_checksum_ok(make_iban(rng, country).replace(" ", ""))


def test_every_language_bank_fills_every_concept() -> None:
    for lang, bank in banks().items():
        for name, value in vars(bank).items():
            assert value, (lang, name)


def _eur_doc() -> Doc:
    rng = random.Random(5)
    while True:
        doc = sample_doc(rng, "de")
        if doc.currency == "eur" and not doc.negative and doc.amount_due > 0:
            return doc


def test_payment_code_is_an_epc_girocode_with_the_amount_due() -> None:
    doc = _eur_doc()
    payload = payment_code(doc)
    assert payload is not None
    lines = payload.split("\n")
    assert lines[:4] == ["BCD", "002", "1", "SCT"]
    assert lines[6] == doc.seller.iban.replace(" ", "")
    assert lines[7] == f"EUR{doc.amount_due / 100:.2f}"


def test_isotonic_calibration_is_monotone_and_matches_observed_rates() -> None:
    from devset.calibrate import isotonic
    from extract.calibration import calibrated

    points = [(0.1, False), (0.2, False), (0.3, True), (0.4, False), (0.8, True), (0.9, True)]
    knots = isotonic(points)
    ys = [y for _, y in knots]
    assert ys == sorted(ys)
    assert calibrated(0.05, knots) == 0.0 and calibrated(0.95, knots) == 1.0
    assert calibrated(0.35, knots) == 0.5  # 0.3 right, 0.4 wrong: pooled
    assert calibrated(0.5, ()) == 0.5  # no knots: identity


def test_thinned_knots_hold_no_repeats() -> None:
    from devset.calibrate import thin

    knots = [(0.0, 0.0), (0.5, 0.6), (0.91, 1.0), (0.91, 1.0), (0.91, 1.0)]
    assert thin(knots) == [(0.0, 0.0), (0.5, 0.6), (0.91, 1.0)]


def test_calibration_is_fitted_on_rule_families_and_judged_on_held_out(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    from devset.calibrate import main

    def doc(raw: float, right: bool, blocked: bool = False) -> dict[str, object]:
        return {"raw_score": raw, "score": raw, "right": right, "blocked": blocked}

    rules = [doc(0.2, False), doc(0.3, True, True), doc(0.8, True), doc(0.9, True)]
    held = [doc(0.25, False), doc(0.85, True), doc(0.95, False, True)]
    path = tmp_path / "eval.json"
    path.write_text(
        json.dumps({"rules": {"per_document": rules}, "held_out": {"per_document": held}})
    )
    assert main([str(path)]) == 0
    out = capsys.readouterr().out
    assert "fitted on 4 rule-family documents, judged on 3 held-out" in out
    for title in ("raw score", "one map (rule families)", "gate-aware maps (rule families)"):
        assert f"{title} on held-out families:" in out
    # The blocked document never counts as routed, whatever its score.
    assert "routed at 0.7: straight-through 0.3333 (1), precision 1.0000 (1)" in out
