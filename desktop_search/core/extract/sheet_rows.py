"""A sheet's rows as lines of text, the same for every spreadsheet format (.xlsx, .ods, .xls):
each value next to its column's header when the sheet has one ("Region: North; Sales: 1200"),
so a passage cut from the middle of a table still says what a number is.

A workbook is read up to a budget of rows, cells and characters shared by its sheets; the rest
is left out.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass

from desktop_search.core.extract import ERROR, Skipped

WHAT = "spreadsheet"
MAX_CELLS = 200_000  # cells read per workbook, empty ones inside a row included
MAX_ROWS = 1_000_000  # rows walked per workbook
MAX_CHARS = 1_000_000  # characters of text kept per workbook
MAX_CELL_CHARS = 32_767  # Excel's own limit for one cell: longer is a crafted file
MAX_COLUMNS = 16_384  # Excel's width: cells further right are left out

_HEADER_SHARE = 0.75  # a header row: at least this share of its cells are labels, not numbers
_HEADER_CELL = 60  # … and none is longer than this (a header is not a paragraph)
_NUMBER = re.compile(r"[\s(+\-]*[$€£¥]?[\d\s.,:/\-]*\d[\d\s.,:/\-]*%?\)?")
_YEAR = re.compile(r"(19|20)\d\d")  # "Region | 2023 | 2024": years head columns


@dataclass
class Budget:
    """What is left to read of one file; shared by its sheets."""

    cells: int = MAX_CELLS
    rows: int = MAX_ROWS
    chars: int = MAX_CHARS

    def spent(self) -> bool:
        return self.cells <= 0 or self.rows <= 0 or self.chars <= 0


def cell_text(value: object) -> str:
    """A cell's value as a person reads it, on one line."""
    if value is None:
        return ""
    if isinstance(value, str):
        if len(value) > MAX_CELL_CHARS:
            raise Skipped(ERROR, f"damaged {WHAT}: a cell holds more text than Excel allows")
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
