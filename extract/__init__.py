"""CasaPay extraction engine: PDF invoice bytes -> payable fields with evidence and a score."""

from extract.config import ExtractConfig
from extract.engine import extract_document, extract_pdf
from extract.result import Check, Extraction, ExtractionFailed, FieldValue

__all__ = [
    "Check",
    "ExtractConfig",
    "Extraction",
    "ExtractionFailed",
    "FieldValue",
    "extract_document",
    "extract_pdf",
]
