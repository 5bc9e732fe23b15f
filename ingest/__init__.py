"""Mail in: the SMTP receiver, MIME → PDF parts, alias invoices recorded and queued."""
