"""Running headers, footers and page numbers: the lines a document repeats in the top and bottom
margins of its pages ("Chapter 7: R Miscellanea  37", "User Guide", "Page 12").

They are noise in every passage: they pull unrelated pages together and give a keyword hit on
every page. A line in a margin band recurs when its words come back in the margins of several
pages (anywhere in the document: left and right pages often differ), or when it differs from page
to page only by a number that counts up with the pages ("Page 7", "vii"). Lines at one height
make a row across pages; a row where such lines recur on many pages, and on most of the pages
that have it, is a header or footer row, and on those pages all its lines go (the section title beside a page number
too). The first lines of the body, also in the band, seldom recur, so their row is kept; a line in
the middle of a page is never looked at.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

MIN_PAGES = 4  # a shorter document's repeats say too little
MIN_REPEATS = 3  # pages a line (or a page-number sequence) must recur on
BAND = 0.12  # share of the page's height, at its top and at its bottom, where furniture sits
ROW_SHARE = 0.5  # of the pages with a line at a height, those where it recurs, for a furniture row
ROW_PAGES = 0.2  # of the document's pages, those where a furniture row's lines recur at least
ROW_STEP = 0.01  # of the page's height: lines this far apart may share a row

# A run of digits, or a roman numeral (front matter is numbered i, ii, …) standing as a word.
_NUMBER = re.compile(r"\d+|(?<!\w)(?=[ivxlc]+(?!\w))(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})(?!\w)")
_ROMAN_VALUES = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100}
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Line:
    """One laid-out line of a page: its span in the page's text (line break included) and where
    it sits, as shares of the page's height from its top edge."""

    start: int
    end: int
    top: float
    bottom: float


def page_lines(text: str, rows: Sequence[tuple[float, float]]) -> list[Line]:
    """The page's lines, from its text and where each of its lines sits (top, bottom), in the
    order text holds them, each ended by a line break; [] when they do not line up (a line that
    holds a line break of its own), so that the page is left whole."""
    if text.count("\n") != len(rows) or not text.endswith("\n"):
        return []
    lines, at = [], 0
    for (top, bottom), line in zip(rows, text.split("\n"), strict=False):
        lines.append(Line(at, at + len(line) + 1, top, bottom))
        at += len(line) + 1
    return lines


def furniture(pages: Sequence[tuple[str, Sequence[Line]]]) -> list[set[int]]:
    """For each page (its text and lines), the indices of the lines that are furniture: the lines
    of a margin row that recur on most pages which have that row, on the pages where one of its
    lines recurs (the chapter title beside a page number goes with it)."""
    found: list[set[int]] = [set() for _ in pages]
    if len(pages) < MIN_PAGES:
        return found
    margins = [list(_margin_lines(text, lines)) for text, lines in pages]
    rows: dict[int, list[_Row]] = {}  # by height, in steps of ROW_STEP, for a quick look-up
    for place, recurring in enumerate(_recurring(margins)):
        for index, _, line in margins[place]:
            step = round((line.top + line.bottom) / 2 / ROW_STEP)
            near = [row for s in (step - 1, step, step + 1) for row in rows.get(s, ())]
            row = next((row for row in near if _same_row(row.line, line)), None)
            if row is None:
                row = _Row(line)
                rows.setdefault(step, []).append(row)
            row.lines.append((place, index))
            (row.recurring if index in recurring else row.other).add(place)
    for row in (row for near in rows.values() for row in near):
        recurring, seen = row.recurring, row.recurring | row.other
        if len(recurring) >= max(MIN_REPEATS, ROW_PAGES * len(pages), ROW_SHARE * len(seen)):
            for place, index in row.lines:
                if place in recurring:
                    found[place].add(index)
    return found


def without(text: str, lines: Sequence[Line], dropped: set[int]) -> str:
    """text less the dropped lines."""
    if not dropped:
        return text
    kept, at = [], 0
    for index in sorted(dropped):
        kept.append(text[at : lines[index].start])
        at = lines[index].end
    kept.append(text[at:])
    return "".join(kept)


@dataclass
class _Row:
    """The lines at one height in a margin, over all pages, and the pages where one of them recurs
    or none does."""

    line: Line
    lines: list[tuple[int, int]] = field(default_factory=list)  # (page's place, line's index)
    recurring: set[int] = field(default_factory=set)
    other: set[int] = field(default_factory=set)


def _margin_lines(text: str, lines: Sequence[Line]) -> Iterable[tuple[int, str, Line]]:
    """(index, text folded, line) of the lines in the top or bottom band."""
    for index, line in enumerate(lines):
        if line.bottom <= BAND or line.top >= 1 - BAND:
            folded = _SPACE.sub(" ", text[line.start : line.end].casefold()).strip()
            if folded:
                yield index, folded, line


def _recurring(margins: Sequence[Sequence[tuple[int, str, Line]]]) -> list[set[int]]:
    """For each page, its margin lines that recur: the same words on several pages, or a number
    that counts up with the pages in a line that is otherwise the same."""
    repeats = Counter(folded for page in margins for folded in {folded for _, folded, _ in page})
    numbering = Counter(
        mark
        for place, page in enumerate(margins)
        for mark in {m for _, f, _ in page for m in _marks(f, place)}
    )
    return [
        {
            index
            for index, folded, _ in page
            if repeats[folded] >= MIN_REPEATS
            or any(numbering[mark] >= MIN_REPEATS for mark in _marks(folded, place))
        }
        for place, page in enumerate(margins)
    ]


def _marks(line: str, place: int) -> Iterable[tuple[str, int, int]]:
    """For each number in the line: the line with its numbers blanked, which number it is, and how
    far it is ahead of the page's place in the document; a page number keeps that distance from
    page to page ("Page 7", "7 / 210", "vii")."""
    numbers = list(_NUMBER.finditer(line))
    blanked = _NUMBER.sub("#", line)
    for which, number in enumerate(numbers):
        yield blanked, which, _value(number.group()) - place


def _value(number: str) -> int:
    if number.isdecimal():
        return int(number)
    values = [_ROMAN_VALUES[c] for c in number]
    return sum(-v if v < w else v for v, w in zip(values, [*values[1:], 0], strict=True))


def _same_row(line: Line, other: Line) -> bool:
    overlap = min(line.bottom, other.bottom) - max(line.top, other.top)
    return overlap > 0.5 * min(line.bottom - line.top, other.bottom - other.top)
