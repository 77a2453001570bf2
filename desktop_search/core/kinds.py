"""File kinds grouped as a person thinks of files rather than formats: the window's type filter
and the query language's `type:` share these."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class KindGroup:
    label: str  # what the window's type filter says
    kinds: tuple[str, ...]  # the extractors' kinds (core/extract) it holds
    words: tuple[str, ...]  # what `type:` accepts for it, besides each kind's own name


# Every kind the extractors register, each in one group (a test holds them in step).
KIND_GROUPS = (
    KindGroup("PDF", ("pdf",), ("pdf",)),
    KindGroup("Word documents", ("docx", "odt", "doc", "rtf"), ("word", "document", "documents")),
    KindGroup("Presentations", ("pptx", "odp", "ppt"), ("presentation", "presentations", "slides")),
    KindGroup("Spreadsheets", ("xlsx", "ods", "xls"), ("spreadsheet", "spreadsheets", "sheet", "excel")),
    KindGroup("E-books", ("epub",), ("ebook", "ebooks", "book")),
    KindGroup("E-mail", ("email", "mbox"), ("mail", "email", "emails", "eml")),
    KindGroup("Images and scans", ("image",), ("image", "images", "picture", "photo", "scan")),
    KindGroup("Source code", ("code",), ("code", "source")),
    KindGroup("Text", ("text",), ("text", "txt", "markdown", "md")),
    KindGroup("Web pages", ("html",), ("html", "web", "webpage")),
)


def kinds_named(word: str) -> tuple[str, ...]:
    """The kinds `type:word` means: a group's word names all its kinds, a kind's name itself;
    () for a word that names none."""
    wanted = word.lower()
    for group in KIND_GROUPS:
        if wanted in group.words:
            return group.kinds
    for group in KIND_GROUPS:
        if wanted in group.kinds:
            return (wanted,)
    return ()
