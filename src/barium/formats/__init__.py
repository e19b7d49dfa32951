"""Document formats: read bytes safely, decide the format, parse to text + regions."""

from barium.formats.base import ParsedDocument, Region
from barium.formats.load import FORMATS, decode_text, parse

__all__ = ["FORMATS", "ParsedDocument", "Region", "decode_text", "parse"]
