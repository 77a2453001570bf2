"""OpenDocument spreadsheets: a page per sheet, laid out as sheet_rows.py says, streamed row
by row so that a huge sheet costs time only up to the workbook's budget."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from lxml import etree

from desktop_search.core.extract import Page, Skipped, register
from desktop_search.core.extract.opendocument import (
    CELL,
    COVERED,
    ROW,
    ROW_GROUPS,
    TABLE,
    blocks,
    count,
    q,
    refuse_encrypted,
)
from desktop_search.core.extract.sheet_rows import MAX_COLUMNS, WHAT, Budget, sheet_text
from desktop_search.core.extract.zipxml import (
    damaged,
    iterparse,
    open_part,
    open_zip,
    refuse_entities,
    until_failure,
)

SPREADSHEET = q("office:spreadsheet")
_VALUES = ("value", "date-value", "time-value", "boolean-value", "string-value")

Events = Iterator[tuple[str, etree._Element]]


@register("ods", (".ods", ".ots"), container="zip")
def extract_ods(path: Path) -> list[Page]:
    with open_zip(path, WHAT) as archive:
        with damaged(WHAT):
            refuse_encrypted(archive)
            stream = open_part(archive, "content.xml")
        with stream:
            budget = Budget()
            pages: list[Page] = []
            failures: list[Skipped] = []
            events: Events = until_failure(iterparse(stream, ("start", "end")), failures, WHAT)
            for event, element in events:
                if element.getparent() is None:
                    refuse_entities(element)
                if event == "start" and element.tag == TABLE and _parent_tag(element) == SPREADSHEET:
                    name = element.get(q("table:name")) or str(len(pages) + 1)
                    text = sheet_text(_sheet_rows(events, element, budget), budget)
                    pages.append(Page(len(pages) + 1, text, label=f"sheet {name}"))
                    if budget.spent():
                        break  # the rest of the file is left unread
    if failures and not any(page.text for page in pages):
        raise failures[0]  # a damaged end costs only what follows it
    return pages


def _parent_tag(element: etree._Element) -> str:
    parent = element.getparent()
    return str(parent.tag) if parent is not None else ""


def _sheet_rows(events: Events, table: etree._Element, budget: Budget) -> Iterator[list[str]]:
    """The rows of one sheet as cell texts, consuming the parse events up to the sheet's end.
    Empty cells are charged to the budget here, the others by sheet_text."""
    for event, element in events:
        if event != "end":
            continue
        if element is table:
            return
        if element.tag == ROW and _in_table(element, table):
            cells, empty = _row_cells(element)
            budget.cells -= empty
            repeat = count(element.get(q("table:number-rows-repeated")))
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


def _row_cells(row: etree._Element) -> tuple[list[str], int]:
    """(the row's cell texts at their column, how many empty cell elements it has)."""
    cells: list[str] = []
    empty = 0  # empty columns so far: kept only when a value follows them
    blank = 0  # empty cell elements
    for cell in row:
        if cell.tag not in (CELL, COVERED):
            continue
        repeat = count(cell.get(q("table:number-columns-repeated")))
        text = _cell_text(cell)
        if not text:
            empty += repeat
            blank += 1
            continue
        cells.extend([""] * min(empty, MAX_COLUMNS - len(cells)))
        empty = 0
        cells.extend([text] * min(repeat, MAX_COLUMNS - len(cells)))
        if len(cells) >= MAX_COLUMNS:
            break
    return cells, blank


def _cell_text(cell: etree._Element) -> str:
    lines: list[str] = []
    blocks(cell, lines, lines)
    text = " ".join(" ".join(lines).split())
    if not text:  # a value saved without its display text
        text = next((value for name in _VALUES if (value := cell.get(q(f"office:{name}")))), "")
    return text
