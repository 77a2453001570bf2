"""Where a passage and the query's words are in a page's text: what the preview highlights."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

from desktop_search.core.cjk import has_cjk
from desktop_search.core.query import parse
from desktop_search.core.query_terms import split_terms

_WORD = re.compile(r"\S+")

Span = tuple[int, int]


def terms_for(query: str, highlighted: Iterable[str]) -> tuple[str, ...]:
    """The words to mark: the query's (less stop words) and the forms the index matched."""
    parsed = parse(split_terms(query).text)  # not "type:pdf", "in:reports"…
    words = parsed.content_words()
    found = dict.fromkeys(t.strip() for t in [*parsed.phrases, *words, *highlighted] if t.strip())
    return tuple(found)


def term_spans(text: str, terms: Sequence[str], within: Sequence[Span]) -> list[Span]:
    """Where the terms occur in text, inside the given spans; a word matches its longer forms."""
    if not terms:
        return []
    alternatives = [_term_pattern(term) for term in sorted(terms, key=len, reverse=True)]
    pattern = re.compile("|".join(alternatives), re.IGNORECASE)
    spans: list[Span] = []
    for low, high in within:
        spans.extend(match.span() for match in pattern.finditer(text, low, high))
    return spans


def _term_pattern(term: str) -> str:
    """A word at a word's start, with its longer forms; a CJK word anywhere, as it is (those
    scripts put no space between words, core/cjk.py)."""
    words = r"\s+".join(re.escape(w) for w in term.split())
    return words if has_cjk(term) else rf"(?<!\w){words}\w*"


def locate(haystack: str, needle: str) -> Span | None:
    """Where needle's words run in haystack, whatever the spacing and line breaks between them."""
    found = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(haystack)]
    run = locate_words([word for _, _, word in found], needle)
    return (found[run[0]][0], found[run[1]][1]) if run else None


def locate_words(words: Sequence[str], needle: str, anchor: int = 6) -> tuple[int, int] | None:
    """(first, last) indices of the run of words that needle's words match, ligatures, soft
    hyphens and case aside; the run is anchored on its first words and stretched to its last."""
    found = [_normal(word) for word in words]
    wanted = [_normal(w) for w in needle.split()]
    if not found or not wanted:
        return None
    size = min(anchor, len(wanted))
    for offset in range(0, len(wanted) - size + 1, size):
        probe = wanted[offset : offset + size]
        for at in range(len(found) - size + 1):
            if found[at : at + size] == probe:
                first = max(at - offset, 0)
                last = min(first + len(wanted), len(found)) - 1
                tail = wanted[-size:]
                for end in range(min(len(found), last + 2 * size + 1), first + size - 1, -1):
                    if found[end - size : end] == tail:
                        last = end - 1
                        break
                return first, last
    return None


def _normal(word: str) -> str:
    return unicodedata.normalize("NFKC", word).replace("\u00ad", "").casefold()
