"""OpenDocument texts and presentations (LibreOffice, OpenOffice), and the reading of ODF text
that spreadsheets share (opendocument_sheets.py).

A text is one flowing page (body, tables, lists, frames; then notes, comments, headers and
footers); a presentation has a page per slide, with its notes. Deleted text kept for change
tracking is not read.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path

from lxml import etree

from desktop_search.core.extract import ERROR, PASSWORD, Page, Skipped, register
from desktop_search.core.extract.slides import slide_label, slide_text
from desktop_search.core.extract.zipxml import damaged, local, open_zip, read_xml

WHAT = "OpenDocument file"
_URIS = {
    "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
    "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0",
    "table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
    "draw": "urn:oasis:names:tc:opendocument:xmlns:drawing:1.0",
    "presentation": "urn:oasis:names:tc:opendocument:xmlns:presentation:1.0",
    "style": "urn:oasis:names:tc:opendocument:xmlns:style:1.0",
    "manifest": "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0",
}


def q(name: str) -> str:
    prefix, _, local = name.partition(":")
    return f"{{{_URIS[prefix]}}}{local}"


P, H, SPACE, TAB, BREAK = q("text:p"), q("text:h"), q("text:s"), q("text:tab"), q("text:line-break")
NOTE, CITATION, NOTE_BODY = q("text:note"), q("text:note-citation"), q("text:note-body")
ANNOTATION = q("office:annotation")
TABLE, ROW, CELL, COVERED = (
    q("table:table"),
    q("table:table-row"),
    q("table:table-cell"),
    q("table:covered-table-cell"),
)
ROW_GROUPS = {q(f"table:{name}") for name in ("table-header-rows", "table-rows", "table-row-group")}
PAGE, FRAME, NOTES = q("draw:page"), q("draw:frame"), q("presentation:notes")
CLASS = q("presentation:class")
# Parts of the tree that hold no reading text: deleted text kept for change tracking, field
# declarations, column styles, comments' authors and dates.
_SKIPPED = {
    q("text:tracked-changes"),
    q("text:sequence-decls"),
    q("text:variable-decls"),
    q("text:user-field-decls"),
    q("table:table-columns"),
    q("table:table-column"),
    q("office:forms"),
    "{http://purl.org/dc/elements/1.1/}creator",
    "{http://purl.org/dc/elements/1.1/}date",
    NOTES,
}
MAX_SPACES = 80  # text:s c="…": a run of spaces is shown, not a page of them


@register("odt", (".odt", ".ott"), container="zip")
def extract_odt(path: Path) -> list[Page]:
    with open_zip(path, WHAT) as archive, damaged("text document"):
        body = _content(archive).find(f"{q('office:body')}/*")
        lines: list[str] = []
        notes: list[str] = []
        if body is not None:
            blocks(body, lines, notes)
        lines.extend(notes)
        lines.extend(_headers_and_footers(archive))
    return [Page(None, "\n".join(line for line in lines if line.strip()))]


@register("odp", (".odp", ".otp"), container="zip")
def extract_odp(path: Path) -> list[Page]:
    with open_zip(path, WHAT) as archive, damaged("presentation"):
        body = _content(archive).find(f"{q('office:body')}/*")
        return _slides(body) if body is not None else []


def _content(archive: zipfile.ZipFile) -> etree._Element:
    refuse_encrypted(archive)
    return read_xml(archive, "content.xml")


def refuse_encrypted(archive: zipfile.ZipFile) -> None:
    if "META-INF/manifest.xml" in archive.NameToInfo:
        manifest = read_xml(archive, "META-INF/manifest.xml")
        if manifest.find(f".//{q('manifest:encryption-data')}") is not None:
            raise Skipped(PASSWORD, "password-protected OpenDocument file")
    if "content.xml" not in archive.NameToInfo:
        raise Skipped(ERROR, f"damaged {WHAT}: no content part")


# Text: paragraphs, headings, lists, tables and frames, in document order.


def blocks(element: etree._Element, lines: list[str], notes: list[str]) -> None:
    for child in element:
        tag = child.tag
        if tag in (P, H):
            parts: list[str] = []
            _inline(child, parts, lines, notes)
            lines.append("".join(parts))
        elif tag == TABLE:
            lines.extend(_table(child, notes))
        elif tag in _SKIPPED or tag == ANNOTATION or not isinstance(tag, str):
            continue
        elif tag == FRAME and child.get(CLASS) == "title":
            continue  # a slide's title, put first by _slide
        else:
            blocks(child, lines, notes)


def _inline(element: etree._Element, parts: list[str], lines: list[str], notes: list[str]) -> None:
    """The text of one paragraph; notes and comments go to notes, frames inside to lines."""
    if element.text:
        parts.append(element.text)
    for child in element:
        tag = child.tag
        if tag == SPACE:
            parts.append(" " * min(count(child.get(q("text:c"))), MAX_SPACES))
        elif tag == TAB:
            parts.append("\t")
        elif tag == BREAK:
            parts.append("\n")
        elif tag == NOTE:
            citation = child.findtext(CITATION) or ""
            parts.append(citation)
            body: list[str] = []
            note_body = child.find(NOTE_BODY)
            blocks(note_body if note_body is not None else child, body, notes)
            notes.append(f"{citation} {' '.join(body)}".strip())
        elif tag == ANNOTATION:
            blocks(child, notes, notes)
        elif tag in _SKIPPED or not isinstance(tag, str):
            pass
        elif tag == FRAME or tag.startswith(f"{{{_URIS['draw']}}}"):
            blocks(child, lines, notes)  # a text box or shape anchored in the paragraph
        else:
            _inline(child, parts, lines, notes)  # spans, links, fields
        if child.tail:
            parts.append(child.tail)


def count(value: str | None) -> int:
    try:
        return max(1, int(value or 1))
    except ValueError:
        return 1


def _table(table: etree._Element, notes: list[str]) -> list[str]:
    """One line per row of a table in a text or a slide, its cells joined by " | "."""
    rows = []
    for row in _rows(table):
        cells = []
        for cell in row:
            if cell.tag in (CELL, COVERED):
                lines: list[str] = []
                blocks(cell, lines, notes)
                cells.append(" ".join(" ".join(lines).split()))
        rows.append(" | ".join(cell for cell in cells if cell))
    return rows


def _rows(element: etree._Element) -> Iterator[etree._Element]:
    for child in element:
        if child.tag == ROW:
            yield child
        elif child.tag in ROW_GROUPS:
            yield from _rows(child)


def _headers_and_footers(archive: zipfile.ZipFile) -> list[str]:
    if "styles.xml" not in archive.NameToInfo:
        return []
    found: list[str] = []
    for master in read_xml(archive, "styles.xml").iter(q("style:master-page")):
        for part in master:
            if local(part).startswith(("header", "footer")):  # also -left, -first
                lines: list[str] = []
                blocks(part, lines, lines)
                text = "\n".join(line for line in lines if line.strip())
                if text and text not in found:  # each page style repeats them
                    found.append(text)
    return found


# Presentations: a page per slide, its title first and its notes last.


def _slides(body: etree._Element) -> list[Page]:
    # Header and footer texts are declared once and named by the slides that show them.
    declared = {
        (child.tag, child.get(q("presentation:name"))): " ".join((child.text or "").split())
        for child in body.iterchildren(q("presentation:header-decl"), q("presentation:footer-decl"))
    }
    pages = []
    for number, slide in enumerate(body.iterchildren(PAGE), 1):
        title_lines: list[str] = []
        for frame in slide.iter(FRAME):
            if frame.get(CLASS) == "title":
                blocks(frame, title_lines, title_lines)
        lines: list[str] = []
        blocks(slide, lines, lines)
        for part in ("header", "footer"):
            used = slide.get(q(f"presentation:use-{part}-name"))
            lines.append(declared.get((q(f"presentation:{part}-decl"), used), "") if used else "")
        notes: list[str] = []
        for notes_part in slide.iterchildren(NOTES):
            blocks(notes_part, notes, notes)
        title = " ".join(line for line in title_lines if line.strip())
        text = slide_text(title_lines, lines, notes)
        pages.append(Page(number, text, label=slide_label(number, title)))
    return pages
