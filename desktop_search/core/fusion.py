"""The first stage's ranked lists and their reciprocal rank fusion."""

from __future__ import annotations

from dataclasses import dataclass, field

RRF_K = 10  # tuned on SciFact train (the usual default, 60, scored lower)


@dataclass
class Candidates:
    """The first stage's ranked lists (passage ids, best first) and the scores behind them."""

    lists: dict[str, list[int]] = field(default_factory=dict)
    bm25: dict[int, float] = field(default_factory=dict)
    similarity: dict[int, float] = field(default_factory=dict)

    def only(self, name: str) -> Candidates:
        """These candidates as if one list ("vector", "keyword") were all there was."""
        return Candidates({name: self.lists.get(name, [])}, self.bm25, self.similarity)


@dataclass
class Weights:
    """How much each ranked list counts in the fusion (tuned on SciFact train)."""

    vector: float = 1.0
    keyword: float = 1.0
    phrase: float = 1.0  # passages holding the whole query verbatim
    name: float = 1.0  # files whose name (or path below their folder) has the words
    k: int = RRF_K


def fuse(ranked: dict[str, list[int]], weights: Weights) -> dict[int, float]:
    """Weighted reciprocal rank fusion of ranked passage-id lists."""
    scores: dict[int, float] = {}
    for name, ids in ranked.items():
        weight = getattr(weights, name)
        for rank, passage_id in enumerate(ids):
            scores[passage_id] = scores.get(passage_id, 0.0) + weight / (weights.k + rank + 1)
    return scores
