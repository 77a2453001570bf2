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
from collections.abc import Mapping
from dataclasses import dataclass

_LEADER = re.compile(r"(?:\.\s?){5,}|(?:\.\s{1,3}){4,}")
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

    meaning: float = 0.7  # cosine's share of the cosine/BM25 blend; BM25 gets the rest
    coverage: float = 0.2
    phrase: float = 0.2
    verbatim: float = 0.2  # the query as typed, character for character (an identifier, a message)
    name: float = 1.0  # a name with the words typed is what a person looking for a file means
    navigation: float = 0.5  # taken off a contents or index page


def rescore(query_text: str, evidence: Mapping[int, Evidence], blend: Blend) -> dict[int, float]:
    """Passage id -> second-stage score (higher is better)."""
    if not evidence:
        return {}
    similarities = [e.similarity for e in evidence.values() if e.similarity is not None]
    low = min(similarities, default=0.0)
    spread = max(similarities, default=0.0) - low or 1.0
    strongest = max(e.bm25 for e in evidence.values()) or 1.0
    verbatim = _verbatim(query_text)
    scores = {}
    for passage_id, e in evidence.items():
        meaning = ((e.similarity if e.similarity is not None else low) - low) / spread
        score = blend.meaning * meaning + (1 - blend.meaning) * e.bm25 / strongest
        score += blend.coverage * e.coverage + blend.phrase * e.phrase + blend.name * e.name
        if verbatim and verbatim in " ".join(e.text.split()).casefold():
            score += blend.verbatim
        scores[passage_id] = score - blend.navigation * navigation_share(e.text)
    return scores


def navigation_share(text: str) -> float:
    """The share of a passage's lines that only point elsewhere: dot leaders, bare page numbers."""
    lines = [line for line in text.splitlines() if line.strip()]
    if not lines:
        return 0.0
    pointing = sum(1 for line in lines if _LEADER.search(line) or _NUMBER_LINE.match(line))
    return pointing / len(lines)


def _verbatim(query_text: str) -> str | None:
    """The query as one string to find verbatim, when it is not a plain run of words (those the
    phrase evidence covers): "append=yes", "glp_simplex()", "--nomip"."""
    text = " ".join(query_text.split()).casefold().strip('"')
    if len(text) < 4 or re.fullmatch(r"[\w\s]+", text):
        return None
    return text
