"""Rich Text Format (.rtf): the text in its code page (\\ansicpg, font charsets) and \\u escapes."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from striprtf.striprtf import rtf_to_text

from desktop_search.core.extract import ERROR, Page, Skipped, register

_CODE_PAGE = re.compile(rb"\\ansicpg(\d+)")
_CHARACTER_SETS = {b"\\mac": "mac_roman", b"\\pca": "cp850", b"\\pc": "cp437"}
_BINARY = re.compile(r"\\bin(\d*) ?")
# Hex dumps of pictures and embedded objects: no text, and slow to walk a character at a time.
_HEX_RUN = re.compile(r"[0-9a-fA-F\r\n]{512,}")


@register("rtf", (".rtf",))
def extract_rtf(path: Path) -> list[Page]:
    data = path.read_bytes()
    if not data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{\\rtf"):
        raise Skipped(ERROR, "damaged RTF file: it does not start with {\\rtf")
    encoding = _code_page(data[:4096])
    # Decoded whole in its code page: a raw two-byte character may hold a '\\' or a brace.
    markup = _HEX_RUN.sub("", _without_binary(data.decode(encoding, errors="replace")))
    try:
        text = rtf_to_text(markup, encoding=encoding, errors="replace")  # type: ignore[no-untyped-call]
    except Exception as error:  # striprtf raises ValueError, TypeError, … on malformed control words
        raise Skipped(ERROR, f"damaged RTF file: {type(error).__name__}: {str(error)[:160]}") from error
    return [Page(None, _joined_surrogates(text))]


def _code_page(header: bytes) -> str:
    """The codec of the document's 8-bit characters: \\ansicpgN, else its character set."""
    found = _CODE_PAGE.search(header)
    if found:
        encoding = f"cp{int(found.group(1))}"
        try:
            codecs.lookup(encoding)
        except LookupError:
            return "cp1252"
        return encoding
    start = header[:64]
    for word, encoding in _CHARACTER_SETS.items():
        if re.search(re.escape(word) + rb"(?![a-z])", start):
            return encoding
    return "cp1252"


def _without_binary(markup: str) -> str:
    """Drop \\binN and the N raw bytes after it (picture data that could hold stray braces)."""
    pieces: list[str] = []
    position = 0
    for found in _BINARY.finditer(markup):
        if found.start() < position:
            continue  # inside the data of the previous \bin
        pieces.append(markup[position : found.start()])
        position = found.end() + int(found.group(1) or 0)
    pieces.append(markup[position:])
    return "".join(pieces)


def _joined_surrogates(text: str) -> str:
    """\\u escapes give UTF-16 halves: pair them, and replace the halves left alone."""
    return text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
