"""A sheet's rows as lines of text: "Header: value; …" under a header row, else cells by tabs.

Naming each value by its column keeps a passage cut from the middle of a table understandable
("Budget: 1200; Owner: Ana" rather than "1200	Ana").
"""

from __future__ import annotations

MAX_CELLS = 1_000_000  # non-empty cells per sheet; a bigger sheet is a data dump, its head is enough


def sheet_text(rows: list[list[str]]) -> str:
    """One line per non-empty row; the header row, when there is one, names the values below it."""
    filled = [row for row in (_trimmed(row) for row in rows) if row]
    if not filled:
        return ""
    header = filled[0] if _is_header(filled) else None
    lines = ["\t".join(filled[0])] if header else []
    cells = 0
    for row in filled[1:] if header else filled:
        cells += sum(1 for value in row if value)
        if cells > MAX_CELLS:
            break
        lines.append(_named(row, header) if header else "\t".join(row))
    return "\n".join(lines)


def _trimmed(row: list[str]) -> list[str]:
    values = [" ".join(value.split()) for value in row]
    while values and not values[-1]:
        values.pop()
    return values


def _is_header(rows: list[list[str]]) -> bool:
    """A first row of distinct labels (not numbers) over at least half the columns used below it;
    a title or a form's first line is not a header."""
    labels = [value for value in rows[0] if value]
    if len(rows) < 2 or len(labels) < 2 or len(set(labels)) < len(labels):
        return False
    if any(_is_number(value) for value in labels):
        return False
    used = {column for row in rows[1:50] for column, value in enumerate(row) if value}
    labelled = {column for column, value in enumerate(rows[0]) if value}
    return len(used & labelled) * 2 >= len(used)


def _is_number(value: str) -> bool:
    try:
        float(value.replace(",", ""))
    except ValueError:
        return False
    return True


def _named(row: list[str], header: list[str]) -> str:
    parts = []
    for column, value in enumerate(row):
        if not value:
            continue
        name = header[column] if column < len(header) else ""
        parts.append(f"{name}: {value}" if name else value)
    return "; ".join(parts)
