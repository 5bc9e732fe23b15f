"""Embedded CII (Factur-X/ZUGFeRD/XRechnung) and UBL parsing."""

from extract.einvoice import parse_einvoice

CII = b"""<?xml version="1.0"?>
<rsm:CrossIndustryInvoice xmlns:rsm="urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
 xmlns:ram="urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
 xmlns:udt="urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100">
 <rsm:ExchangedDocument><ram:ID>471102</ram:ID><ram:TypeCode>381</ram:TypeCode>
  <ram:IssueDateTime><udt:DateTimeString format="102">20180305</udt:DateTimeString>
  </ram:IssueDateTime></rsm:ExchangedDocument>
 <rsm:SupplyChainTradeTransaction>
  <ram:IncludedSupplyChainTradeLineItem>
   <ram:SpecifiedTradeProduct><ram:Name>Joghurt Banane</ram:Name></ram:SpecifiedTradeProduct>
   <ram:SpecifiedLineTradeSettlement><ram:SpecifiedTradeSettlementLineMonetarySummation>
    <ram:LineTotalAmount>275.00</ram:LineTotalAmount>
   </ram:SpecifiedTradeSettlementLineMonetarySummation></ram:SpecifiedLineTradeSettlement>
  </ram:IncludedSupplyChainTradeLineItem>
  <ram:ApplicableHeaderTradeAgreement><ram:SellerTradeParty><ram:Name>Lieferant GmbH</ram:Name>
  </ram:SellerTradeParty></ram:ApplicableHeaderTradeAgreement>
  <ram:ApplicableHeaderTradeSettlement>
   <ram:InvoiceCurrencyCode>EUR</ram:InvoiceCurrencyCode>
   <ram:SpecifiedTradePaymentTerms><ram:Description>Zahlbar bis 04.04.2018</ram:Description>
   </ram:SpecifiedTradePaymentTerms>
   <ram:SpecifiedTradeSettlementHeaderMonetarySummation>
    <ram:TaxBasisTotalAmount>473.00</ram:TaxBasisTotalAmount>
    <ram:TaxTotalAmount currencyID="USD">60.00</ram:TaxTotalAmount>
    <ram:TaxTotalAmount currencyID="EUR">56.87</ram:TaxTotalAmount>
    <ram:GrandTotalAmount>529.87</ram:GrandTotalAmount>
    <ram:TotalPrepaidAmount>100.00</ram:TotalPrepaidAmount>
    <ram:DuePayableAmount>429.87</ram:DuePayableAmount>
   </ram:SpecifiedTradeSettlementHeaderMonetarySummation>
  </ram:ApplicableHeaderTradeSettlement>
 </rsm:SupplyChainTradeTransaction>
</rsm:CrossIndustryInvoice>"""

UBL = b"""<?xml version="1.0"?>
<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
 xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
 xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
 <cbc:ID>INV-7</cbc:ID><cbc:IssueDate>2025-01-31</cbc:IssueDate>
 <cbc:DueDate>2025-03-02</cbc:DueDate><cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>
 <cac:AccountingSupplierParty><cac:Party><cac:PartyName><cbc:Name>ACME BV</cbc:Name>
 </cac:PartyName></cac:Party></cac:AccountingSupplierParty>
 <cac:PaymentMeans><cac:PayeeFinancialAccount><cbc:ID>NL91ABNA0417164300</cbc:ID>
 </cac:PayeeFinancialAccount></cac:PaymentMeans>
 <cac:TaxTotal><cbc:TaxAmount currencyID="EUR">21.00</cbc:TaxAmount></cac:TaxTotal>
 <cac:LegalMonetaryTotal><cbc:TaxExclusiveAmount currencyID="EUR">100.00</cbc:TaxExclusiveAmount>
  <cbc:TaxInclusiveAmount currencyID="EUR">121.00</cbc:TaxInclusiveAmount>
  <cbc:PayableAmount currencyID="EUR">121.00</cbc:PayableAmount></cac:LegalMonetaryTotal>
 <cac:InvoiceLine><cbc:LineExtensionAmount currencyID="EUR">100.00</cbc:LineExtensionAmount>
  <cac:Item><cbc:Name>Rent</cbc:Name></cac:Item></cac:InvoiceLine>
</Invoice>"""


def test_cii_amount_due_tax_in_invoice_currency_and_terms_date() -> None:
    inv = parse_einvoice(CII)
    assert inv is not None and inv.syntax == "cii"
    v = inv.values
    assert v["total_amount"] == 42987  # due payable, not the grand total
    assert v["gross_amount"] == 52987 and v["prepaid_amount"] == 10000
    assert v["tax_amount"] == 5687  # the EUR tax total, not the USD one
    assert v["currency"] == "eur" and v["issue_date"] == "2018-03-05"
    assert v["due_date"] == "2018-04-04"  # from the payment terms text
    assert v["document_type"] == "credit_note"
    assert v["line_items"] == [{"description": "Joghurt Banane", "amount": 27500}]
    assert v["vendor"] == "Lieferant GmbH"


def test_ubl_invoice() -> None:
    inv = parse_einvoice(UBL)
    assert inv is not None and inv.syntax == "ubl"
    v = inv.values
    assert (v["total_amount"], v["tax_amount"], v["due_date"]) == (12100, 2100, "2025-03-02")
    assert v["iban"] == "NL91ABNA0417164300" and v["vendor"] == "ACME BV"


def test_other_xml_is_ignored() -> None:
    assert parse_einvoice(b"<note><to>Tove</to></note>") is None
    assert parse_einvoice(b"not xml at all") is None
