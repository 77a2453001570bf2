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
    number: (
        int | None
    )  # 1-based for paged formats (pages, slides, sheets, chapters…); None for a flowing text
    text: str
    label: str | None = None  # how a person names this part ("slide 7", "Budget 2024"); None: "p. N"
    scanned: bool = False  # no text layer but an image of text: the OCR pass reads it later


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
NAMES: dict[str, str] = {}  # lower-case file name -> kind, for files known by name (Makefile, README)
CONTAINERS: dict[str, str] = {}  # kind -> the container its files are ("zip", "ole"), if any


def register(
    kind: str, suffixes: tuple[str, ...], container: str | None = None, names: tuple[str, ...] = ()
) -> Callable[[Extractor], Extractor]:
    def decorate(function: Extractor) -> Extractor:
        EXTRACTORS[kind] = function
        SUFFIXES.update({suffix: kind for suffix in suffixes})
        NAMES.update({name.lower(): kind for name in names})
        if container:
            CONTAINERS[kind] = container
        return function

    return decorate


def kind_for_suffix(path: Path) -> str | None:
    return NAMES.get(path.name.lower()) or SUFFIXES.get(path.suffix.lower())


def sniff(head: bytes) -> str | None:
    """What the first bytes say the file is, whatever its name claims."""
    if b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{\\rtf"):
        return "rtf"
    lowered = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if lowered.startswith((b"<!doctype html", b"<html")) or b"<html" in lowered[:512]:
        return "html"
    return None


_CONTROL_BYTES = frozenset(range(32)) - {9, 10, 12, 13, 27}  # all but tab, newlines, form feed, escape


def looks_like_text(head: bytes) -> bool:
    """The first bytes of a file under a name we do not know (NOTES, notes.nfo, app.conf.bak) read
    as text in some encoding: no NUL byte, hardly any control character, and they decode."""
    if not head or b"\x00" in head:
        return False
    if sum(byte in _CONTROL_BYTES for byte in head) > len(head) // 100:
        return False
    try:
        head.decode("utf-8")
        return True
    except UnicodeDecodeError as error:
        if error.start >= len(head) - 3 and error.reason == "unexpected end of data":
            return True  # cut in the middle of a character
    from charset_normalizer import from_bytes

    best = from_bytes(head).best()
    return best is not None and best.chaos < 0.1


def detect_kind(path: Path, head: bytes) -> str:
    """The extractor to use: the suffix's, unless the content clearly says otherwise."""
    claimed = kind_for_suffix(path)
    if claimed is None:
        if looks_like_text(head):
            return "text"
        raise Skipped(UNSUPPORTED, f"unsupported file type '{path.suffix}'")
    if not head:
        raise Skipped(ERROR, "empty file (0 bytes)")
    actual = sniff(head)
    if actual == "rtf":
        return "rtf"  # Word saves RTF under .doc and other names
    container = CONTAINERS.get(claimed)
    if claimed == "rtf" and actual in ("ole", "zip"):
        container = "ole"  # …and a .doc or .docx under an .rtf name
    if actual == "ole" and container in ("zip", "ole"):
        return _ole_kind(path)
    if actual == "zip" and container in ("zip", "ole"):
        found = _zip_kind(path)
        return found if found in EXTRACTORS else claimed
    if container in ("zip", "ole"):
        if actual in ("pdf", "html"):
            return actual
        return "text"  # a text file under an Office name; the text extractor rejects binary
    if claimed == "pdf" and actual == "html":
        return "html"
    if claimed == "pdf" and actual is None and b"\x00" not in head[:512]:
        return "pdf"  # no header: let MuPDF try to repair it
    if claimed in ("text", "html") and actual == "pdf":
        return "pdf"
    return claimed


# What the first entries of an Office or OpenDocument zip say it is.
_ZIP_MARKERS = {
    "word/document.xml": "docx",
    "ppt/presentation.xml": "pptx",
    "xl/workbook.xml": "xlsx",
    "xl/workbook.bin": "xlsx",
}
_MIMETYPES = {
    "application/vnd.oasis.opendocument.text": "odt",
    "application/vnd.oasis.opendocument.spreadsheet": "ods",
    "application/vnd.oasis.opendocument.presentation": "odp",
    "application/epub+zip": "epub",
}


def _zip_kind(path: Path) -> str | None:
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                mimetype = archive.read("mimetype")[:100].decode("ascii", "replace").strip()
                for prefix, kind in _MIMETYPES.items():
                    if mimetype.startswith(prefix):
                        return kind
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, KeyError):
        return None  # damaged: the claimed kind's extractor says how
    for marker, kind in _ZIP_MARKERS.items():
        if marker in names:
            return kind
    return None


# OLE stream names of the legacy binary formats; an encrypted OOXML file is an OLE container too.
_OLE_STREAMS = (("worddocument", "doc"), ("workbook", "xls"), ("book", "xls"), ("powerpoint document", "ppt"))


def _ole_kind(path: Path) -> str:
    import olefile

    try:
        with olefile.OleFileIO(str(path)) as ole:
            streams = {"/".join(entry).lower() for entry in ole.listdir()}  # names ignore case
    except Exception as error:  # olefile raises several types on damaged containers
        raise Skipped(ERROR, f"damaged Office file: {str(error)[:160]}") from error
    if "encryptedpackage" in streams:
        raise Skipped(PASSWORD, "password-protected Office document")
    for stream, kind in _OLE_STREAMS:
        if stream in streams:
            return kind
    raise Skipped(UNSUPPORTED, "unknown Office (OLE) document")


def extract(path: Path) -> tuple[str, list[Page]]:
    """(kind, pages with text or awaiting OCR) or Skipped. Pages with neither are dropped."""
    with path.open("rb") as stream:
        head = stream.read(SNIFF_BYTES)
    kind = detect_kind(path, head)
    pages = [page for page in EXTRACTORS[kind](path) if page.scanned or page.text.strip()]
    if not pages:
        raise Skipped(
            NO_TEXT, "no text layer and no scanned pages" if kind == "pdf" else "no text in the file"
        )
    return kind, pages


def document_date(kind: str, path: Path) -> float | None:
    """The date a document gives itself (POSIX seconds), for the kinds that have one."""
    if kind in ("email", "mbox"):
        from desktop_search.core.extract.mail import mail_date

        return mail_date(path)
    return None


# Each module registers its kinds as it is imported.
from desktop_search.core.extract import (  # noqa: E402,F401
    code,
    docx,
    ebook,
    html,
    image,
    legacy,
    mail,
    opendocument,
    opendocument_sheets,
    pdf,
    rtf,
    sheets,
    slides,
    text,
)
