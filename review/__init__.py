"""The results stage: confident extractions are billed, the rest wait for ops review."""
