"""Chinese, Japanese and Korean text for the keyword index.

These scripts put no space between words (Korean glues its particles to the word), so FTS5's
unicode61 tokenizer sees a whole run of them as one token, and a word from the middle of a
sentence matches nothing. Passages holding such text are indexed a second time with a separator
around each of these characters, making each one a token; a query's word is then the phrase of
its characters, which matches wherever those characters stand together, and a longer run is also
searched by its pairs of characters (with_pairs).
"""

from __future__ import annotations

import re

# Han (with 々〆〇), Hiragana, Katakana (half width too) and Hangul, as code point ranges.
RANGES = (
    (0x1100, 0x11FF),  # Hangul Jamo
    (0x3005, 0x3007),  # 々 〆 〇
    (0x3040, 0x30FF),  # Hiragana, Katakana
    (0x3130, 0x318F),  # Hangul compatibility Jamo
    (0x31F0, 0x31FF),  # Katakana phonetic extensions
    (0x3400, 0x4DBF),  # CJK extension A
    (0x4E00, 0x9FFF),  # CJK unified ideographs
    (0xA960, 0xA97F),  # Hangul Jamo extended A
    (0xAC00, 0xD7FF),  # Hangul syllables, Jamo extended B
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0xFF66, 0xFF9F),  # half width Katakana
    (0x20000, 0x3134F),  # CJK extensions B to G
)
_CLASS = "".join(f"{chr(low)}-{chr(high)}" for low, high in RANGES)
_CHARACTER = re.compile(f"[{_CLASS}]")
_RUN = re.compile(f"[{_CLASS}]{{3,}}")
# Between two characters of which one is CJK: where the spaced text gets a separator.
_BOUNDARY = re.compile(f"(?<=[{_CLASS}])(?=.)|(?<=.)(?=[{_CLASS}])", re.DOTALL)

# A control character: a separator to unicode61, one byte, and in no text a person reads.
SEPARATOR = "\x1f"


def has_cjk(text: str) -> bool:
    return _CHARACTER.search(text) is not None


def spaced(text: str) -> str:
    """The text with a separator on each side of every CJK character: for the CJK index."""
    return _BOUNDARY.sub(SEPARATOR, text)


def unspaced(text: str) -> str:
    """The spaced text as it was (with whatever marks were added to it since)."""
    return text.replace(SEPARATOR, "")


def as_phrases(expression: str) -> str:
    """An FTS5 expression for the CJK index: each CJK word in it (all its terms are "quoted")
    becomes the phrase of its characters."""
    return spaced(expression)


def with_pairs(word: str) -> list[str]:
    """The word, then each pair of neighbouring CJK characters of its runs of three or more:
    Chinese and Japanese queries are typed as one run, whose words a text may hold apart or in
    another order, and a pair is the usual length of a word there."""
    pairs = [run[i : i + 2] for run in _RUN.findall(word) for i in range(len(run) - 1)]
    return list(dict.fromkeys([word, *pairs]))
