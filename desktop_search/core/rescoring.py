"""The second ranking stage: every candidate passage the first stage found, scored by what is
known of it, so the best file comes first and opens at its best page.

The first stage fuses ranks (RRF), which throws away how close a passage is: a passage that is
first in meaning by far and one that is first by a hair count the same. Here the cosine
similarity and the BM25 score are each scaled to [0, 1] over the candidates and blended (a convex
combination: the fusion that the literature finds beats RRF once tuned, Bruch et al. 2023), with
evidence a person would weigh too: how many of the query's words the passage holds, whether it
holds the whole query verbatim, whether the file's name matches. Pages that only point elsewhere
(contents, indexes: lines of dot leaders and page numbers) repeat a manual's every keyword and
answer nothing, so they step back.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from desktop_search.core.cjk import has_cjk

_LEADERS = (". . . .", ".....", ".  .  .  .")  # dot leaders, as PDF text gives them
_IDENTIFIER = re.compile(r"^-|[_=():/\\<>\[\]{}]|\w[.]\w|^[A-Z0-9]{4,}$|[a-z][A-Z]|[A-Za-z]\d|\d[A-Za-z]")
_NUMBER_LINE = re.compile(r"^\s*[\divxlcIVXLC]+(?:\.\d+)*\.?\s*$")


@dataclass(frozen=True)
class Evidence:
    """What the first stage learnt about one candidate passage."""

    text: str
    similarity: float | None = None  # cosine to the query, when the vector list holds it
    bm25: float = 0.0  # FTS5's BM25 (higher is better), 0 when the keyword list lacks it
    coverage: float = 0.0  # share of the query's content words the passage holds
    phrase: bool = False  # holds the query's words as one phrase
    name: float = 0.0  # share of the query's content words its file's name holds


@dataclass
class Blend:
    """How much each kind of evidence counts (tuned on SciFact train and the manuals set)."""

    meaning: float = 0.6  # cosine's share of the cosine/BM25 blend; BM25 gets the rest
    coverage: float = 0.4
    phrase: float = 0.2
    verbatim: float = 0.2  # the query as typed, character for character (an identifier, a message)
    name: float = 1.0  # a name with the words typed is what a person looking for a file means
    navigation: float = 0.5  # taken off a contents or index page
    # The share of meaning kept for queries the English model cannot read well: identifiers,
    # options, messages ("append=yes", "EPOCHREALTIME") and Chinese, Japanese or Korean words.
    literal_meaning: float = 0.5


def rescore(query_text: str, evidence: Mapping[int, Evidence], blend: Blend) -> dict[int, float]:
    """Passage id -> second-stage score (higher is better)."""
    if not evidence:
        return {}
    similarities = [e.similarity for e in evidence.values() if e.similarity is not None]
    low = min(similarities, default=0.0)
    spread = max(similarities, default=0.0) - low or 1.0
    strongest = max(e.bm25 for e in evidence.values()) or 1.0
    verbatim = _verbatim(query_text)
    share = blend.meaning * (blend.literal_meaning if is_literal(query_text) else 1.0)
    scores = {}
    for passage_id, e in evidence.items():
        meaning = ((e.similarity if e.similarity is not None else low) - low) / spread
        score = share * meaning + (1 - share) * e.bm25 / strongest
        score += blend.coverage * e.coverage + blend.phrase * e.phrase + blend.name * e.name
        if verbatim and verbatim in " ".join(e.text.split()).casefold():
            score += blend.verbatim
        scores[passage_id] = score - blend.navigation * navigation_share(e.text)
    return scores


def navigation_share(text: str) -> float:
    """The share of a passage's lines that only point elsewhere: dot leaders, bare page numbers."""
    if not any(leader in text for leader in _LEADERS):
        return 0.0  # (the quick answer for nearly every passage)
    lines = [line for line in text.splitlines() if line.strip()]
    pointing = sum(1 for line in lines if _is_pointer(line))
    return pointing / len(lines)


def _is_pointer(line: str) -> bool:
    if len(line) <= 12 and _NUMBER_LINE.match(line):
        return True
    return any(leader in line for leader in _LEADERS)


class Coverage:
    """The share of the query's terms a text holds, each as the start of a word in it ("index"
    holds "indexes", and "indexes" holds "indexing": its ending is dropped first), case aside.
    Plain substring tests first: most texts lack most terms, and those tests cost next to nothing."""

    def __init__(self, terms: Sequence[str]) -> None:
        stems = dict.fromkeys(_stem(" ".join(term.casefold().split())) for term in terms)
        self.terms = [(stem.split()[0], _pattern(stem)) for stem in stems if stem]

    def __call__(self, text: str) -> float:
        if not self.terms:
            return 0.0
        folded = text.casefold()
        held = sum(1 for first, pattern in self.terms if first in folded and pattern.search(folded))
        return held / len(self.terms)


def _pattern(stem: str) -> re.Pattern[str]:
    """The stem at the start of a word (a CJK word may start anywhere: that text has no spaces; a
    word of one or two letters is matched whole), a phrase's words apart by any white space (line
    breaks in a PDF's text)."""
    start = "" if has_cjk(stem) else r"(?<!\w)"
    end = r"(?!\w)" if len(stem) <= 2 and not has_cjk(stem) else ""  # "ta" is no start of "table"
    return re.compile(start + r"\s+".join(re.escape(word) for word in stem.split()) + end)


def _stem(word: str) -> str:
    for ending in ("ing", "ed", "es", "s"):
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: -len(ending)]
    return word


def is_literal(query_text: str) -> bool:
    """A query to match by its letters more than by its meaning: CJK words (the model reads
    English), or one or two words that look like code: ALLCAPS, snake_case, camelCase, --options,
    key=value, f(), a.b, digits inside a word."""
    if has_cjk(query_text):
        return True
    words = query_text.split()
    return 0 < len(words) <= 2 and all(_IDENTIFIER.search(word) for word in words)


def _verbatim(query_text: str) -> str | None:
    """The query as one string to find verbatim, when it is not a plain run of words (those the
    phrase evidence covers): "append=yes", "glp_simplex()", "--nomip"."""
    text = " ".join(query_text.split()).casefold().strip('"')
    if len(text) < 4 or re.fullmatch(r"[\w\s]+", text):
        return None
    return text
