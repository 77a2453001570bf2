"""Whether a search found anything close: gibberish and off-topic queries still get the nearest
passages of the vector index, and the window should say "no close matches" rather than list them.

A result is close when its meaning is (the best cosine of a passage to the query reaches
CLOSE_SIMILARITY) or when one passage holds half of the query's words (CLOSE_COVERAGE: a long
question in a user's own words reaches neither all of its words nor a high cosine; when in doubt,
the results are shown). Picked on
evaluation/no_match_queries.jsonl with evaluation/no_match.py, which prints the figures and the
sweep of the threshold; the cosine is the int8 all-MiniLM-L6-v2's.
"""

from __future__ import annotations

from desktop_search.core.query import Query

CLOSE_SIMILARITY = 0.45
CLOSE_COVERAGE = 0.5


def is_close(best_similarity: float | None, coverage: float) -> bool:
    """best_similarity: the cosine of the passage nearest to the query (None without a vector
    search); coverage: the largest share of coverage_terms() one passage holds (rescoring.Coverage)."""
    return coverage >= CLOSE_COVERAGE or (best_similarity is not None and best_similarity >= CLOSE_SIMILARITY)


def coverage_terms(query: Query) -> list[str]:
    """What one passage should hold: the content words and "phrases" of the query."""
    return list(dict.fromkeys([*query.content_words(), *query.phrases]))
