"""Author variants: alternative wordings the author approves, one per copy."""

from barium.formats.variants import MAX_FORMS, Variant, extract_variants, format_variant

__all__ = ["MAX_FORMS", "Variant", "extract_variants", "format_variant"]
