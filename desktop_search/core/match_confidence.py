"""Whether a search found anything close: gibberish and off-topic queries still get the nearest
passages of the vector index, and the window should say "no close matches" rather than list them.

A result is close when its meaning is (the best cosine of a passage to the query reaches
CLOSE_SIMILARITY) or when one passage holds all of the query's words. Picked on
evaluation/no_match_queries.jsonl with evaluation/no_match.py, which prints the figures and the
sweep of the threshold; the cosine is the int8 all-MiniLM-L6-v2's.
"""

from __future__ import annotations

from collections.abc import Sequence

from desktop_search.core.catalog.retrieval import Retrieval
from desktop_search.core.query import Query

CLOSE_SIMILARITY = 0.48
CHUNK = 1000  # ids per IN (...) list


def is_close(best_similarity: float | None, coverage: float) -> bool:
    """best_similarity: the cosine of the passage nearest to the query (None without a vector
    search); coverage: word_coverage() of the passages the search ranked."""
    return coverage >= 1.0 or (best_similarity is not None and best_similarity >= CLOSE_SIMILARITY)


def coverage_terms(query: Query) -> list[str]:
    """What one passage should hold: the content words and "phrases" of the query."""
    return list(dict.fromkeys([*query.content_words(), *query.phrases]))


def word_coverage(retrieval: Retrieval, terms: Sequence[str], passage_ids: Sequence[int]) -> float:
    """The largest share of the terms that one of these passages holds, as FTS5 matches them
    (stemmed, case and accents folded). passage_ids: the candidates of a search, e.g. its keyword
    and vector lists; ids < 1 (passages known only to a server, files with no text) count as none."""
    ids = [passage_id for passage_id in dict.fromkeys(passage_ids) if passage_id > 0]
    distinct = list(dict.fromkeys(terms))
    if not distinct or not ids:
        return 0.0
    # The term's matches as a subquery: FTS5 answers "MATCH ? AND rowid IN (...)" one rowid at a
    # time, several times slower.
    held: dict[int, int] = {}
    for start in range(0, len(ids), CHUNK):
        part = ids[start : start + CHUNK]
        sql = f"""SELECT id FROM passages WHERE id IN ({",".join("?" * len(part))})
                  AND id IN (SELECT rowid FROM passages_fts WHERE passages_fts MATCH ?)"""
        for term in distinct:
            for (passage_id,) in retrieval.db.execute(sql, [*part, _quoted(term)]):
                held[passage_id] = held.get(passage_id, 0) + 1
    return max(held.values(), default=0) / len(distinct)


def _quoted(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'
