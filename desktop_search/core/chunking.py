"""Pages to passages that fit the model: ≤ 256 word pieces with [CLS] and [SEP], cut at
paragraph and sentence ends where possible, with a sentence of overlap when a cut falls mid-text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from desktop_search.core.extract import Page

MAX_TOKENS = 256
CONTENT_TOKENS = MAX_TOKENS - 2  # [CLS] and [SEP]
OVERLAP_TOKENS = 48  # carry the last sentence over when it is at most this long

# A sentence ends at . ! ? (or their CJK forms) followed by space, or at a line break.
_SENTENCE_END = re.compile(r"(?<=[.!?;。！？])\s+|\n")
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n\s*")


@dataclass(frozen=True)
class Passage:
    seq: int
    page: int | None
    start: int  # character span in the page's text (the whole text for unpaged files)
    end: int
    text: str
    label: str | None = None  # the page's name, when it is not "p. N" (slide, sheet, chapter…)
    ocr: bool = False  # text recognised in an image, so it may hold misread words


@dataclass(frozen=True)
class _Unit:
    start: int
    end: int
    tokens: int
    opens_paragraph: bool


def load_counter(model_dir: Path):  # type: ignore[no-untyped-def]
    """A tokenizer that counts every word piece (no truncation, no padding)."""
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    tokenizer.no_truncation()
    tokenizer.no_padding()
    return tokenizer


def chunk(pages: Iterable[Page], tokenizer) -> list[Passage]:  # type: ignore[no-untyped-def]
    passages: list[Passage] = []
    for page in pages:
        for start, end in _pack(page.text, tokenizer):
            passages.append(
                Passage(
                    len(passages), page.number, start, end, page.text[start:end], page.label, page.scanned
                )
            )
    return passages


def _units(text: str) -> Iterator[tuple[int, int, bool]]:
    """Sentence-like spans (start, end, opens a paragraph), whitespace trimmed."""
    paragraph_start = 0
    for paragraph in [*_PARAGRAPH_BREAK.finditer(text), None]:
        paragraph_end = paragraph.start() if paragraph else len(text)
        first = True
        cursor = paragraph_start
        for boundary in [*_SENTENCE_END.finditer(text, paragraph_start, paragraph_end), None]:
            end = boundary.start() if boundary else paragraph_end
            span = text[cursor:end]
            stripped = span.strip()
            if stripped:
                start = cursor + (len(span) - len(span.lstrip()))
                yield start, start + len(stripped), first
                first = False
            cursor = boundary.end() if boundary else paragraph_end
        paragraph_start = paragraph.end() if paragraph else len(text)


def _measure(text: str, tokenizer) -> list[_Unit]:  # type: ignore[no-untyped-def]
    spans = list(_units(text))
    if not spans:
        return []
    encodings = tokenizer.encode_batch([text[s:e] for s, e, _ in spans], add_special_tokens=False)
    units: list[_Unit] = []
    for (start, end, opens), encoding in zip(spans, encodings):
        count = len(encoding.ids)
        if count <= CONTENT_TOKENS:
            units.append(_Unit(start, end, count, opens))
            continue
        # A "sentence" longer than a passage (tables, code, run-on text): cut between words.
        offsets, words = encoding.offsets, encoding.word_ids
        first = 0
        while first < count:
            last = min(first + CONTENT_TOKENS, count) - 1
            cut = last
            while cut > first and cut + 1 < count and words[cut + 1] == words[cut]:
                cut -= 1
            if cut == first:  # one word longer than a passage: cut inside it
                cut = last
            piece_start, piece_end = start + offsets[first][0], start + offsets[cut][1]
            units.append(_Unit(piece_start, piece_end, cut - first + 1, opens and first == 0))
            first = cut + 1
    return units


def _pack(text: str, tokenizer) -> Iterator[tuple[int, int]]:  # type: ignore[no-untyped-def]
    units = _measure(text, tokenizer)
    current: list[_Unit] = []
    size = 0
    for index, unit in enumerate(units):
        if current and size + unit.tokens > CONTENT_TOKENS:
            yield current[0].start, current[-1].end
            carry = current[-1]
            # Overlap only when the cut falls inside a paragraph and the carry leaves room.
            if (
                not unit.opens_paragraph
                and carry.tokens <= OVERLAP_TOKENS
                and carry.tokens + unit.tokens <= CONTENT_TOKENS
            ):
                current, size = [carry], carry.tokens
            else:
                current, size = [], 0
        elif (
            current
            and unit.opens_paragraph
            and size >= CONTENT_TOKENS // 2
            and size + _paragraph_tokens(units, index) > CONTENT_TOKENS
        ):
            # The next paragraph will not fit whole: end this passage at the paragraph break.
            yield current[0].start, current[-1].end
            current, size = [], 0
        current.append(unit)
        size += unit.tokens
    if current:
        yield current[0].start, current[-1].end


def _paragraph_tokens(units: list[_Unit], first: int) -> int:
    total = units[first].tokens
    for unit in units[first + 1 :]:
        if unit.opens_paragraph:
            break
        total += unit.tokens
    return total
