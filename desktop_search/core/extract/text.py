"""Plain text and Markdown, with the encoding detected; binary files are refused."""

from __future__ import annotations

import codecs
from pathlib import Path

from charset_normalizer import from_bytes

from desktop_search.core.extract import UNSUPPORTED, Page, Skipped, register

TEXT_SUFFIXES = (
    ".txt",
    ".text",
    ".md",
    ".markdown",
    ".rst",
    ".org",
    ".adoc",
    ".tex",
    ".csv",
    ".tsv",
    ".log",
)
# Prose a project keeps under a bare name.
TEXT_NAMES = (
    "README", "LICENSE", "LICENCE", "COPYING", "CHANGELOG", "CHANGES", "NEWS", "AUTHORS",
    "CONTRIBUTORS", "CONTRIBUTING", "NOTICE", "INSTALL", "TODO", "HISTORY",
)  # fmt: skip
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode(data: bytes) -> str:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace")
    if b"\x00" in data[:8192]:
        raise Skipped(UNSUPPORTED, "binary file, not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    best = from_bytes(data[: 1 << 20]).best()
    if best is None:
        raise Skipped(UNSUPPORTED, "binary file or unknown text encoding")
    return data.decode(best.encoding, errors="replace")


@register("text", TEXT_SUFFIXES, names=TEXT_NAMES)
def extract_text(path: Path) -> list[Page]:
    return [Page(None, decode(path.read_bytes()))]
