"""IBAN detection only accepts checksum-valid numbers of the right length."""

from extract.iban import find_ibans, iban_checksum_ok


def test_valid_ibans_with_and_without_spaces() -> None:
    assert iban_checksum_ok("DE30507500940000048567")
    assert find_ibans("IBAN : FR76 10107 00245 00617052317 39 - BIC")[0][2] == (
        "FR7610107002450061705231739"
    )
    assert find_ibans("IBAN NL50INGB0683251309 BIC INGBNL2A")[0][2] == "NL50INGB0683251309"


def test_wrong_checksum_is_rejected() -> None:
    assert not iban_checksum_ok("DE30507500940000048568")
    assert find_ibans("IBAN DE30 5075 0094 0000 0485 68") == []
