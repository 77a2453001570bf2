"""Excel 2007+ workbooks: one page per sheet, its rows laid out as sheet_rows.py says.

Sheets are streamed row by row from the zip (openpyxl's read-only mode first parses a whole
sheet that does not state its size), up to the workbook's budget. The values saved with the
file are read, never recomputed.
"""

from __future__ import annotations

import datetime
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from desktop_search.core.extract import UNSUPPORTED, Page, Skipped, register
from desktop_search.core.extract.sheet_rows import MAX_COLUMNS, WHAT, Budget, cell_text, sheet_text
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

_CJK_DATE_FORMATS = {*range(27, 37), *range(50, 59)}  # built-in ids openpyxl does not list


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
        return [cell_text(_string_item(item)) for item in elements(stream, "si")]


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
        return cell_text(_string_item(item) if item is not None else "")
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
    return cell_text(text)


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
