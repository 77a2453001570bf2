"""Bytes of one file to pages of text: a registry of extractors by suffix, checked by content."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

INDEXED = "indexed"
NO_TEXT = "no text"
PASSWORD = "password"
UNSUPPORTED = "unsupported"
ERROR = "error"

SNIFF_BYTES = 2048


@dataclass(frozen=True)
class Page:
    number: int | None  # 1-based for paged formats; None for a flowing text
    text: str


class Skipped(Exception):
    """A file that gives no passages, with the status and reason a user should see."""

    def __init__(self, status: str, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


Extractor = Callable[[Path], list[Page]]

# kind -> extractor; filled by the modules below as they are imported.
EXTRACTORS: dict[str, Extractor] = {}
SUFFIXES: dict[str, str] = {}


def register(kind: str, suffixes: tuple[str, ...]) -> Callable[[Extractor], Extractor]:
    def decorate(function: Extractor) -> Extractor:
        EXTRACTORS[kind] = function
        SUFFIXES.update({suffix: kind for suffix in suffixes})
        return function

    return decorate


def kind_for_suffix(path: Path) -> str | None:
    return SUFFIXES.get(path.suffix.lower())


def sniff(head: bytes) -> str | None:
    """What the first bytes say the file is, whatever its name claims."""
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    lowered = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if lowered.startswith((b"<!doctype html", b"<html")) or b"<html" in lowered[:512]:
        return "html"
    return None


def detect_kind(path: Path, head: bytes) -> str:
    """The extractor to use: the suffix's, unless the content clearly says otherwise."""
    claimed = kind_for_suffix(path)
    if claimed is None:
        raise Skipped(UNSUPPORTED, f"unsupported file type '{path.suffix}'")
    if not head:
        raise Skipped(ERROR, "empty file (0 bytes)")
    actual = sniff(head)
    if claimed == "docx":
        if actual == "ole":
            raise Skipped(*_classify_ole(path))
        if actual == "zip":
            return "docx"
        if actual in ("pdf", "html"):
            return actual
        return "text"  # a text file named .docx; the text extractor rejects binary
    if claimed == "pdf" and actual == "html":
        return "html"
    if claimed == "pdf" and actual is None and b"\x00" not in head[:512]:
        return "pdf"  # no header: let MuPDF try to repair it
    if claimed in ("text", "html") and actual == "pdf":
        return "pdf"
    return claimed


def _classify_ole(path: Path) -> tuple[str, str]:
    """Encrypted Office files and legacy .doc files are both OLE containers."""
    with path.open("rb") as stream:
        data = stream.read(1 << 20)
    if "EncryptedPackage".encode("utf-16-le") in data:
        return PASSWORD, "password-protected Word document"
    return UNSUPPORTED, "legacy Word 97-2003 (.doc) file, not .docx"


def extract(path: Path) -> tuple[str, list[Page]]:
    """(kind, pages with text) or Skipped. Pages without text are dropped."""
    with path.open("rb") as stream:
        head = stream.read(SNIFF_BYTES)
    kind = detect_kind(path, head)
    pages = [page for page in EXTRACTORS[kind](path) if page.text.strip()]
    if not pages:
        raise Skipped(NO_TEXT, "no text layer (scanned?)" if kind == "pdf" else "no text in the file")
    return kind, pages


from desktop_search.core.extract import docx, html, pdf, text  # noqa: E402,F401  (registration)
