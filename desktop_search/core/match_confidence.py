"""Whether a search found anything close: gibberish and off-topic queries still get ten nearest
passages from the vector index, and the window should say "no close matches" rather than list them.

The rule and its thresholds were picked on evaluation/no_match_queries.jsonl (evaluation/no_match.py;
the README has the figures).
"""

from __future__ import annotations

from collections.abc import Sequence

from desktop_search.core.catalog.retrieval import Retrieval

CLOSE_SIMILARITY = 0.5  # placeholder until measured
WORDS_SIMILARITY = 0.3


def is_close(best_similarity: float | None, coverage: float) -> bool:
    """best_similarity: the cosine of the nearest passage to the query (None without a vector
    index); coverage: the largest share of the query's content words one passage holds."""
    if best_similarity is None:
        return coverage > 0.0
    return best_similarity >= CLOSE_SIMILARITY or (coverage >= 1.0 and best_similarity >= WORDS_SIMILARITY)


def word_coverage(retrieval: Retrieval, words: Sequence[str], passage_ids: Sequence[int]) -> float:
    """The largest share of the words that one of these passages holds (as FTS5 matches them:
    stemmed, case and accents folded)."""
    ids = [passage_id for passage_id in dict.fromkeys(passage_ids) if passage_id > 0]
    if not words or not ids:
        return 0.0
    held: dict[int, int] = {}
    for word in dict.fromkeys(words):
        for passage_id in retrieval.matching(_quoted(word), ids):
            held[passage_id] = held.get(passage_id, 0) + 1
    return max(held.values(), default=0) / len(dict.fromkeys(words))


def _quoted(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'
