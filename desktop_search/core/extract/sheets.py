"""Excel 2007+ workbooks: one page per sheet, one line per row, each value next to its column's
header when the sheet has one ("Region: North; Sales: 1200"), so a passage says what a number is.

Sheets are streamed row by row from the zip (openpyxl's read-only mode first parses a whole
sheet that does not state its size), and read up to a budget of cells and characters per
workbook; the rest is left out. The values saved with the file are read, never recomputed.
"""

from __future__ import annotations

import datetime
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from desktop_search.core.extract import ERROR, UNSUPPORTED, Page, Skipped, register
from desktop_search.core.extract.zipxml import (
    MAX_PART,
    damaged,
    elements,
    local,
    open_part,
    open_zip,
    read_xml,
    related,
    relationship_id,
    rels_of,
    until_failure,
)

WHAT = "spreadsheet"
MAX_CELLS = 200_000  # cells read per workbook, empty ones inside a row included
MAX_ROWS = 1_000_000  # rows walked per workbook
MAX_CHARS = 1_000_000  # characters of text kept per workbook
MAX_CELL_CHARS = 32_767  # Excel's own limit for one cell: longer is a crafted file
MAX_COLUMNS = 16_384  # Excel's width

_HEADER_SHARE = 0.75  # a header row: at least this share of its cells are labels, not numbers
_HEADER_CELL = 60  # … and none is longer than this (a header is not a paragraph)
_NUMBER = re.compile(r"[\s(+\-]*[$€£¥]?[\d\s.,:/\-]*\d[\d\s.,:/\-]*%?\)?")
_YEAR = re.compile(r"(19|20)\d\d")  # "Region | 2023 | 2024": years head columns
_CJK_DATE_FORMATS = {*range(27, 37), *range(50, 59)}  # built-in ids openpyxl does not list


@dataclass
class Budget:
    """What is left to read of one file; shared by its sheets."""

    cells: int = MAX_CELLS
    rows: int = MAX_ROWS
    chars: int = MAX_CHARS

    def spent(self) -> bool:
        return self.cells <= 0 or self.rows <= 0 or self.chars <= 0


@dataclass
class Workbook:
    sheets: list[tuple[str, str | None]]  # (name, worksheet part; None for a chart sheet)
    strings: list[str] = field(default_factory=list)
    date_styles: set[int] = field(default_factory=set)  # cell styles that show a number as a date
    epoch: datetime.datetime = datetime.datetime(1899, 12, 30)


@register("xlsx", (".xlsx", ".xlsm", ".xltx", ".xltm", ".xlsb"), container="zip")
def extract_xlsx(path: Path) -> list[Page]:
    with open_zip(path, WHAT) as archive:
        with damaged(WHAT):
            workbook = _workbook(archive)
        budget = Budget()
        pages: list[Page] = []
        failures: list[Skipped] = []
        for number, (name, part) in enumerate(workbook.sheets, 1):
            text = ""
            if part and not budget.spent():
                rows = until_failure(_rows(archive, part, workbook, budget), failures, WHAT)
                text = sheet_text(rows, budget)
            pages.append(Page(number, text, label=f"sheet {name}"))
    if failures and not any(page.text for page in pages):
        raise failures[0]
    return pages


def _workbook(archive: zipfile.ZipFile) -> Workbook:
    main = next(iter(related(archive, "", "officeDocument")), "xl/workbook.xml")
    if main.endswith(".bin") or "xl/workbook.bin" in archive.NameToInfo:
        raise Skipped(UNSUPPORTED, "binary Excel workbook (.xlsb): save as .xlsx")
    root = read_xml(archive, main)
    relationships = rels_of(archive, main)
    sheets: list[tuple[str, str | None]] = []
    for sheet in root.iterfind("{*}sheets/{*}sheet"):
        kind, target = relationships.get(relationship_id(sheet), ("", ""))
        readable = kind in ("worksheet", "dialogsheet", "macrosheet") and target in archive.NameToInfo
        sheets.append((sheet.get("name") or str(len(sheets) + 1), target if readable else None))
    workbook = Workbook(sheets)
    properties = root.find("{*}workbookPr")
    if properties is not None and properties.get("date1904") in ("1", "true"):
        workbook.epoch = datetime.datetime(1904, 1, 1)
    for part in related(archive, main, "sharedStrings")[:1]:
        workbook.strings = _shared_strings(archive, part)
    for part in related(archive, main, "styles")[:1]:
        try:
            workbook.date_styles = _date_styles(archive, part)
        except Skipped:
            raise
        except Exception:  # damaged styles cost only the dates, shown as serial numbers then
            pass
    return workbook


def _shared_strings(archive: zipfile.ZipFile, part: str) -> list[str]:
    with open_part(archive, part, MAX_PART) as stream:
        return [_checked(_string_item(item)) for item in elements(stream, "si")]


def _string_item(item: etree._Element) -> str:
    """The text of a string item: plain, or runs of rich text; phonetic guides left out."""
    parts = []
    for child in item:
        name = local(child)
        if name == "t":
            parts.append(child.text or "")
        elif name == "r":
            parts.extend(t.text or "" for t in child.iterfind("{*}t"))
    return "".join(parts)


def _checked(text: str) -> str:
    if len(text) > MAX_CELL_CHARS:
        raise Skipped(ERROR, f"damaged {WHAT}: a cell holds more text than Excel allows")
    return text


def _date_styles(archive: zipfile.ZipFile, part: str) -> set[int]:
    from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format

    root = read_xml(archive, part)
    custom = {
        _int(fmt.get("numFmtId"), -1): fmt.get("formatCode") for fmt in root.iterfind("{*}numFmts/{*}numFmt")
    }
    dates = set()
    for index, style in enumerate(root.iterfind("{*}cellXfs/{*}xf")):
        number_format = _int(style.get("numFmtId"), 0)
        code = custom.get(number_format) or BUILTIN_FORMATS.get(number_format)
        if number_format in _CJK_DATE_FORMATS or is_date_format(code):
            dates.add(index)
    return dates


def _rows(archive: zipfile.ZipFile, part: str, workbook: Workbook, budget: Budget) -> Iterator[list[str]]:
    """Each row's cell texts at their column; a run of missing rows is one empty row. Empty cells
    (formatted, without a value) are charged to the budget here, the others by sheet_text."""
    with open_part(archive, part) as stream:
        expected = 1
        for row in elements(stream, "row"):
            number = _int(row.get("r"), expected)
            if number > expected:
                yield []
            expected = number + 1
            cells: list[str] = []
            for cell in row.iterfind("{*}c"):
                column = _column(cell.get("r"), len(cells))
                text = _value(cell, workbook)
                if not text or column >= MAX_COLUMNS:
                    budget.cells -= 1
                    continue
                if column >= len(cells):
                    cells.extend([""] * (column - len(cells) + 1))
                cells[column] = text
            yield cells


def _value(cell: etree._Element, workbook: Workbook) -> str:
    kind = cell.get("t", "n")
    if kind == "inlineStr":
        item = cell.find("{*}is")
        return " ".join(_checked(_string_item(item) if item is not None else "").split())
    value = cell.findtext("{*}v") or ""
    if kind == "s":
        index = _int(value, -1)
        text = workbook.strings[index] if 0 <= index < len(workbook.strings) else ""
    elif kind == "b":
        text = "TRUE" if value.strip() in ("1", "true") else "FALSE"
    elif kind in ("str", "e", "d") or not value:
        text = value
    else:
        text = _number(value, _int(cell.get("s"), 0) in workbook.date_styles, workbook.epoch)
    return " ".join(_checked(text).split())


def _number(value: str, is_date: bool, epoch: datetime.datetime) -> str:
    from openpyxl.utils.datetime import from_excel

    try:
        number = float(value)
        return cell_text(from_excel(number, epoch) if is_date else number)
    except (ValueError, OverflowError):
        return value


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _column(reference: str | None, default: int) -> int:
    """The 0-based column of a cell reference such as "AB12"."""
    letters = (reference or "").rstrip("0123456789")
    if not letters or not letters.isalpha() or not letters.isascii() or len(letters) > 3:
        return default
    column = 0
    for letter in letters.upper():
        column = column * 26 + ord(letter) - ord("A") + 1
    return column - 1


def cell_text(value: object) -> str:
    """A cell's value as a person reads it, on one line."""
    if value is None:
        return ""
    if isinstance(value, str):
        if len(value) > MAX_CELL_CHARS:
            raise Skipped(ERROR, f"damaged {WHAT}: a cell is longer than Excel allows")
        return " ".join(value.split())
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return format(value, ".15g")  # Excel shows 15 significant digits
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time():
            return value.date().isoformat()
        return value.isoformat(" ", timespec="seconds" if value.second else "minutes")
    if isinstance(value, datetime.time):
        return value.isoformat(timespec="seconds" if value.second else "minutes")
    return str(value)


def sheet_text(rows: Iterable[list[str]], budget: Budget) -> str:
    """One line per non-empty row. A row that looks like a header (at the top, or after an empty
    row) and lines up with the row below it labels the values under it; rows without a header
    have their cells joined by " | "."""
    lines: list[str] = []
    header: list[str] | None = None
    candidate: list[str] | None = None  # a header-like row, until the row below confirms it
    after_gap = True
    for cells in rows:
        budget.rows -= 1
        budget.cells -= len(cells)
        if budget.spent():
            break
        if not any(cells):
            after_gap, candidate = True, None
            continue
        if candidate is not None and _lines_up(candidate, cells):
            header = candidate
        candidate = None
        if (header is None or after_gap) and _looks_like_header(cells):
            candidate = cells
            line = " | ".join(cell for cell in cells if cell)
        elif header is not None:
            line = "; ".join(_labelled(header, cells))
        else:
            line = " | ".join(cell for cell in cells if cell)
        after_gap = False
        budget.chars -= len(line) + 1
        lines.append(line)
    return "\n".join(lines)


def _looks_like_header(cells: list[str]) -> bool:
    filled = [cell for cell in cells if cell]
    if len(filled) < 2 or any(len(cell) > _HEADER_CELL for cell in filled):
        return False
    # "Name:" labels a value to its right (a form), not a column
    labels = sum(
        1
        for cell in filled
        if (_YEAR.fullmatch(cell) or not _NUMBER.fullmatch(cell)) and not cell.endswith(":")
    )
    return labels >= _HEADER_SHARE * len(filled)


def _lines_up(header: list[str], cells: list[str]) -> bool:
    """Whether the row below a header has values under at least half of its labels (two or more)."""
    labelled = [column for column, cell in enumerate(header) if cell]
    under = sum(1 for column in labelled if column < len(cells) and cells[column])
    return under >= max(2, len(labelled) / 2)


def _labelled(header: list[str], cells: list[str]) -> Iterable[str]:
    for column, cell in enumerate(cells):
        if not cell:
            continue
        label = header[column].rstrip(":") if column < len(header) else ""
        yield f"{label}: {cell}" if label and label != cell else cell
