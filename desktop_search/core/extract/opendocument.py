"""OpenDocument text, spreadsheets and presentations (LibreOffice, OpenOffice).

A text is one flowing page (body, tables, lists, frames; then notes, comments, headers and
footers); a spreadsheet has a page per sheet, laid out like Excel's; a presentation a page per
slide, with its notes. Deleted text kept for change tracking is not read.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from lxml import etree

from desktop_search.core.extract import ERROR, PASSWORD, Page, Skipped, register
from desktop_search.core.extract.sheets import Budget, sheet_text
from desktop_search.core.extract.slides import slide_label
from desktop_search.core.extract.zipxml import (
    MAX_UNPACKED,
    damaged,
    open_part,
    open_zip,
    read_xml,
    refuse_entities,
)

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


def _q(name: str) -> str:
    prefix, _, local = name.partition(":")
    return f"{{{_URIS[prefix]}}}{local}"


P, H, SPACE, TAB, BREAK = _q("text:p"), _q("text:h"), _q("text:s"), _q("text:tab"), _q("text:line-break")
NOTE, CITATION, NOTE_BODY = _q("text:note"), _q("text:note-citation"), _q("text:note-body")
ANNOTATION = _q("office:annotation")
TABLE, ROW, CELL, COVERED = (
    _q("table:table"),
    _q("table:table-row"),
    _q("table:table-cell"),
    _q("table:covered-table-cell"),
)
ROW_GROUPS = {_q(f"table:{name}") for name in ("table-header-rows", "table-rows", "table-row-group")}
PAGE, FRAME, NOTES = _q("draw:page"), _q("draw:frame"), _q("presentation:notes")
CLASS = _q("presentation:class")
# Parts of the tree that hold no reading text: deleted text kept for change tracking, field
# declarations, column styles, comments' authors and dates.
_SKIPPED = {
    _q("text:tracked-changes"),
    _q("text:sequence-decls"),
    _q("text:variable-decls"),
    _q("text:user-field-decls"),
    _q("table:table-columns"),
    _q("table:table-column"),
    _q("office:forms"),
    "{http://purl.org/dc/elements/1.1/}creator",
    "{http://purl.org/dc/elements/1.1/}date",
    NOTES,
}
MAX_SPACES = 80  # text:s c="…": a run of spaces is shown, not a page of them
MAX_REPEAT = 16_384  # columns in a row, at most (a spreadsheet's width)


@register("odt", (".odt", ".ott"), container="zip")
def extract_odt(path: Path) -> list[Page]:
    with open_zip(path, WHAT) as archive, damaged("text document"):
        body = _content(archive).find(f"{_q('office:body')}/*")
        lines: list[str] = []
        notes: list[str] = []
        if body is not None:
            _blocks(body, lines, notes)
        lines.extend(notes)
        lines.extend(_headers_and_footers(archive))
    return [Page(None, "\n".join(line for line in lines if line.strip()))]


@register("odp", (".odp", ".otp"), container="zip")
def extract_odp(path: Path) -> list[Page]:
    with open_zip(path, WHAT) as archive, damaged("presentation"):
        body = _content(archive).find(f"{_q('office:body')}/*")
        return _slides(body) if body is not None else []


@register("ods", (".ods", ".ots"), container="zip")
def extract_ods(path: Path) -> list[Page]:
    with open_zip(path, WHAT) as archive, damaged("spreadsheet"):
        _refuse_encrypted(archive)
        with open_part(archive, "content.xml", MAX_UNPACKED) as stream:
            return _sheets(stream)


def _content(archive: zipfile.ZipFile) -> etree._Element:
    _refuse_encrypted(archive)
    return read_xml(archive, "content.xml")


def _refuse_encrypted(archive: zipfile.ZipFile) -> None:
    if "META-INF/manifest.xml" in archive.NameToInfo:
        manifest = read_xml(archive, "META-INF/manifest.xml")
        if manifest.find(f".//{_q('manifest:encryption-data')}") is not None:
            raise Skipped(PASSWORD, "password-protected OpenDocument file")
    if "content.xml" not in archive.NameToInfo:
        raise Skipped(ERROR, f"damaged {WHAT}: no content part")


# Text: paragraphs, headings, lists, tables and frames, in document order.


def _blocks(element: etree._Element, lines: list[str], notes: list[str]) -> None:
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
            _blocks(child, lines, notes)


def _inline(element: etree._Element, parts: list[str], lines: list[str], notes: list[str]) -> None:
    """The text of one paragraph; notes and comments go to notes, frames inside to lines."""
    if element.text:
        parts.append(element.text)
    for child in element:
        tag = child.tag
        if tag == SPACE:
            parts.append(" " * min(_count(child.get(_q("text:c"))), MAX_SPACES))
        elif tag == TAB:
            parts.append("\t")
        elif tag == BREAK:
            parts.append("\n")
        elif tag == NOTE:
            citation = child.findtext(CITATION) or ""
            parts.append(citation)
            body: list[str] = []
            note_body = child.find(NOTE_BODY)
            _blocks(note_body if note_body is not None else child, body, notes)
            notes.append(f"{citation} {' '.join(body)}".strip())
        elif tag == ANNOTATION:
            _blocks(child, notes, notes)
        elif tag in _SKIPPED or not isinstance(tag, str):
            pass
        elif tag == FRAME or tag.startswith(f"{{{_URIS['draw']}}}"):
            _blocks(child, lines, notes)  # a text box or shape anchored in the paragraph
        else:
            _inline(child, parts, lines, notes)  # spans, links, fields
        if child.tail:
            parts.append(child.tail)


def _count(value: str | None) -> int:
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
                _blocks(cell, lines, notes)
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
    for master in read_xml(archive, "styles.xml").iter(_q("style:master-page")):
        for part in master:
            if part.tag.startswith(f"{{{_URIS['style']}}}header") or part.tag.startswith(
                f"{{{_URIS['style']}}}footer"
            ):
                lines: list[str] = []
                _blocks(part, lines, lines)
                text = "\n".join(line for line in lines if line.strip())
                if text and text not in found:  # each page style repeats them
                    found.append(text)
    return found


# Presentations: a page per slide, its title first and its notes last.


def _slides(body: etree._Element) -> list[Page]:
    # Header and footer texts are declared once and named by the slides that show them.
    declared = {
        (child.tag, child.get(_q("presentation:name"))): " ".join((child.text or "").split())
        for child in body.iterchildren(_q("presentation:header-decl"), _q("presentation:footer-decl"))
    }
    pages = []
    for number, slide in enumerate(body.iterchildren(PAGE), 1):
        title_lines: list[str] = []
        for frame in slide.iter(FRAME):
            if frame.get(CLASS) == "title":
                _blocks(frame, title_lines, title_lines)
        lines: list[str] = []
        _blocks(slide, lines, lines)
        for part in ("header", "footer"):
            used = slide.get(_q(f"presentation:use-{part}-name"))
            lines.append(declared.get((_q(f"presentation:{part}-decl"), used), "") if used else "")
        notes: list[str] = []
        for notes_part in slide.iterchildren(NOTES):
            _blocks(notes_part, notes, notes)
        text = "\n".join(line for line in [*title_lines, *lines] if line.strip())
        notes_text = "\n".join(line for line in notes if line.strip())
        if notes_text:
            text = f"{text}\n\nNotes:\n{notes_text}" if text else f"Notes:\n{notes_text}"
        title = " ".join(line for line in title_lines if line.strip())
        pages.append(Page(number, text, label=slide_label(number, title)))
    return pages


# Spreadsheets: streamed, row by row, so a huge sheet costs time only up to the budget.


def _sheets(stream: IO[bytes]) -> list[Page]:
    events = etree.iterparse(
        stream,
        events=("start", "end"),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
    )
    budget = Budget()
    pages: list[Page] = []
    spreadsheet = _q("office:spreadsheet")
    for event, element in events:
        if not pages and event == "start" and element.getparent() is None:
            refuse_entities(element)
        if event == "start" and element.tag == TABLE and _parent_tag(element) == spreadsheet:
            name = element.get(_q("table:name")) or str(len(pages) + 1)
            text = sheet_text(_sheet_rows(events, element), budget)
            pages.append(Page(len(pages) + 1, text, label=f"sheet {name}"))
            if budget.spent():
                break  # the rest of the file is left unread
    return pages


def _parent_tag(element: etree._Element) -> str:
    parent = element.getparent()
    return str(parent.tag) if parent is not None else ""


def _sheet_rows(events: Iterator[tuple[str, etree._Element]], table: etree._Element) -> Iterator[list[str]]:
    """The rows of one sheet as cell texts, consuming the parse events up to the sheet's end."""
    for event, element in events:
        if event != "end":
            continue
        if element is table:
            return
        if element.tag == ROW and _in_table(element, table):
            cells = _row_cells(element)
            repeat = _count(element.get(_q("table:number-rows-repeated")))
            for _ in range(repeat if any(cells) else 1):  # a run of empty rows is one gap
                yield cells
            element.clear()
            while element.getprevious() is not None:  # keep the tree small
                del element.getparent()[0]


def _in_table(row: etree._Element, table: etree._Element) -> bool:
    parent = row.getparent()
    while parent is not None and parent.tag in ROW_GROUPS:
        parent = parent.getparent()
    return parent is table


def _row_cells(row: etree._Element) -> list[str]:
    cells: list[str] = []
    empty = 0  # empty cells so far: kept only when a value follows them
    for cell in row:
        if cell.tag not in (CELL, COVERED):
            continue
        repeat = _count(cell.get(_q("table:number-columns-repeated")))
        text = _cell_text(cell)
        if not text:
            empty += repeat
            continue
        cells.extend([""] * min(empty, MAX_REPEAT - len(cells)))
        empty = 0
        cells.extend([text] * min(repeat, MAX_REPEAT - len(cells)))
        if len(cells) >= MAX_REPEAT:
            break
    return cells


def _cell_text(cell: etree._Element) -> str:
    lines: list[str] = []
    _blocks(cell, lines, lines)
    text = " ".join(" ".join(lines).split())
    if not text:  # a value without its display text
        for attribute in ("value", "date-value", "time-value", "boolean-value", "string-value"):
            text = cell.get(_q(f"office:{attribute}")) or ""
            if text:
                break
    return text
