"""Customers, invoices, invoice items, tax rates, payment requests: state machines and money."""
