"""When to say "no close matches": features of each labelled query, measured through the real
Searcher on an index of the shared corpus, and the thresholds of a simple rule swept over them.

evaluation/no_match_queries.jsonl holds 100 queries: 50 "real" ones (each with a corpus file that
answers it) and 50 with no answer ("nonsense": keyboard mash, random syllables or characters,
typo soup; "off-topic": real language about things the corpus lacks). Positive = the query has no
match, so precision and recall are those of the "no close matches" message.

    python -m evaluation.no_match --data-dir DIR   # DIR indexed with `desktop-search index`

Features are cached next to the index (features.json); --remeasure measures them again.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import desktop_search  # noqa: F401  (telemetry off before onnxruntime loads)
from desktop_search.core.catalog import parse_vector_id
from desktop_search.core.filters import Filters
from desktop_search.core.match_confidence import is_close, word_coverage
from desktop_search.core.query import _quote, parse
from desktop_search.core.search import CANDIDATES, Searcher
from desktop_search.services import Services

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ROOT / "evaluation" / "no_match_queries.jsonl"
CORPUS = "/work/shared/corpus/"

Features = dict[str, Any]


def measure(searcher: Searcher, text: str) -> Features:
    """Every candidate feature of one query (None where a list is empty)."""
    assert searcher.vector_store is not None and searcher.embedder is not None
    query = parse(text)
    words = query.content_words()
    retrieval = searcher.retrieval
    vector = searcher.embedder.embed([query.semantic_text])[0]
    hits = searcher.vector_store.query(vector, CANDIDATES)
    sims = [hit.similarity for hit in hits]
    vector_files = _distinct([parse_vector_id(hit.id)[0] for hit in hits])
    places = [parse_vector_id(hit.id) for hit in hits]
    vector_ids = list(retrieval.passage_ids(places, Filters()).values())
    expression = query.fts_match()
    keyword_ids = retrieval.ranked_passages(expression, Filters(), CANDIDATES) if expression else []
    keyword_files = _distinct(retrieval.files_of_passages(keyword_ids)[i] for i in keyword_ids)
    found = [_in_index(searcher, word) for word in words]
    results = searcher.search(text, limit=10)
    top_key = _key_of(searcher, results[0].path) if results else None
    bm25 = (
        searcher.catalog.db.execute(
            "SELECT min(rank) FROM (SELECT rank FROM passages_fts WHERE passages_fts MATCH ? ORDER BY rank LIMIT 1)",
            [expression],
        ).fetchone()[0]
        if expression
        else None
    )
    return {
        "cos1": sims[0] if sims else None,
        "cos10": sims[9] if len(sims) > 9 else None,
        "margin": sims[0] - sims[9] if len(sims) > 9 else None,
        "zscore": (sims[0] - statistics.mean(sims)) / (statistics.pstdev(sims) or 1.0) if sims else None,
        "words": len(words),
        "index_coverage": sum(found) / len(words) if words else 0.0,
        "passage_coverage": word_coverage(retrieval, words, keyword_ids + vector_ids),
        "vector_passage_coverage": word_coverage(retrieval, words, vector_ids[:10]),
        "top_file_coverage": _file_coverage(searcher, words, top_key),
        "bm25": -bm25 if bm25 is not None else 0.0,
        "bm25_per_word": -bm25 / len(words) if bm25 is not None and words else 0.0,
        "both_lists": top_key is not None and top_key in vector_files[:10] and top_key in keyword_files[:10],
        "results": [hit.path.removeprefix(CORPUS) for hit in results],
    }


def _distinct(values: Any) -> list[Any]:
    return list(dict.fromkeys(values))


def _in_index(searcher: Searcher, word: str) -> bool:
    row = searcher.catalog.db.execute(
        "SELECT 1 FROM passages_fts WHERE passages_fts MATCH ? LIMIT 1", [_quote(word)]
    ).fetchone()
    return row is not None


def _key_of(searcher: Searcher, path: str) -> str | None:
    row = searcher.catalog.db.execute("SELECT key FROM files WHERE path = ?", [path]).fetchone()
    return row[0] if row else None


def _file_coverage(searcher: Searcher, words: Sequence[str], key: str | None) -> float:
    if key is None or not words:
        return 0.0
    found = [bool(searcher.retrieval.files_mentioning(_quote(word), [key])) for word in words]
    return sum(found) / len(words)


# --- picking a rule ---------------------------------------------------------------------------

Rule = Callable[[Features], bool]  # True: close (the results are shown)


def scores(rule: Rule, rows: list[Features]) -> tuple[float, float, int]:
    """(precision, recall) of "no close matches" and how many real queries it hides."""
    flagged = [row for row in rows if not rule(row)]
    true_positive = sum(row["label"] != "real" for row in flagged)
    negatives = sum(row["label"] != "real" for row in rows)
    precision = true_positive / len(flagged) if flagged else 1.0
    return precision, true_positive / negatives if negatives else 1.0, len(flagged) - true_positive


def cosine_rule(t: float) -> Rule:
    return lambda row: (row["cos1"] or 0.0) >= t


def two_threshold_rule(t: float, t2: float, coverage: str = "passage_coverage") -> Rule:
    """Close when the meaning is close enough, or every word is found together and the meaning
    is not far."""
    return lambda row: (row["cos1"] or 0.0) >= t or (row[coverage] >= 1.0 and (row["cos1"] or 0.0) >= t2)


def grid(step: float = 0.01) -> list[float]:
    return [round(0.20 + step * i, 2) for i in range(int(0.6 / step) + 1)]


def f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def best(candidates: dict[Any, Rule], rows: list[Features]) -> Any:
    """The parameters with the best F1 of "no close matches" (ties: fewer real queries hidden)."""
    return max(
        candidates, key=lambda p: (f1(*scores(candidates[p], rows)[:2]), -scores(candidates[p], rows)[2])
    )


def cross_validate(make: Callable[[list[Features]], Rule], rows: list[Features], folds: int = 5) -> None:
    """Thresholds picked on 4/5 of the queries, judged on the other fifth (stratified, 10 shuffles)."""
    totals = [0, 0, 0, 0]  # flagged, true positives, negatives, real hidden
    for seed in range(10):
        shuffled = rows[:]
        random.Random(seed).shuffle(shuffled)
        shuffled.sort(key=lambda row: row["label"] == "real")
        for fold in range(folds):
            test = shuffled[fold::folds]
            rule = make([row for row in shuffled if row not in test])
            flagged = [row for row in test if not rule(row)]
            true_positive = sum(row["label"] != "real" for row in flagged)
            totals[0] += len(flagged)
            totals[1] += true_positive
            totals[2] += sum(row["label"] != "real" for row in test)
            totals[3] += len(flagged) - true_positive
    precision = totals[1] / totals[0] if totals[0] else 1.0
    print(
        f"  cross-validated: precision {precision:.2f}, recall {totals[1] / totals[2]:.2f}, "
        f"real queries hidden {totals[3] / 10:.1f} of 50 (mean over 10 shuffles)"
    )


def report(rows: list[Features]) -> None:
    print("\n# features by label: median [min, max]")
    for name in (
        "cos1",
        "margin",
        "zscore",
        "index_coverage",
        "passage_coverage",
        "top_file_coverage",
        "bm25_per_word",
    ):
        for label in ("real", "nonsense", "off-topic"):
            values = sorted(float(row[name] or 0.0) for row in rows if row["label"] == label)
            print(
                f"  {name:18} {label:9} {statistics.median(values):6.3f} [{values[0]:.3f}, {values[-1]:.3f}]"
            )
    print("\n# single threshold on the best cosine: close if cos1 >= T")
    cosine = {t: cosine_rule(t) for t in grid()}
    chosen = best(cosine, rows)
    _sweep(cosine, rows, chosen)
    cross_validate(lambda train: cosine[best(cosine, train)], rows)
    print("\n# two thresholds: close if cos1 >= T or (all words in one passage and cos1 >= T2)")
    pairs = {(t, t2): two_threshold_rule(t, t2) for t in grid(0.02) for t2 in grid(0.02) if t2 < t}
    t, t2 = best(pairs, rows)
    print(f"  best on all queries: T = {t}, T2 = {t2}")
    _sweep({(x, t2): two_threshold_rule(x, t2) for x in grid() if x > t2}, rows, (t, t2), "T")
    _sweep({(t, x): two_threshold_rule(t, x) for x in grid() if x < t}, rows, (t, t2), "T2")
    cross_validate(lambda train: pairs[best(pairs, train)], rows)
    print("\n# the rule in desktop_search/core/match_confidence.py")
    rule: Rule = lambda row: is_close(row["cos1"], row["passage_coverage"])  # noqa: E731
    precision, recall, hidden = scores(rule, rows)
    print(f"  precision {precision:.2f}, recall {recall:.2f}, real queries hidden {hidden} of 50")
    for row in rows:
        if rule(row) == (row["label"] != "real"):
            wrong = "shown" if row["label"] != "real" else "hidden"
            print(
                f"  {wrong}: {row['label']:9} cos1 {row['cos1']:.3f} coverage {row['passage_coverage']:.2f} "
                f"{row['query']!r} (answered in top 10: {row.get('answered')})"
            )


def _sweep(rules: dict[Any, Rule], rows: list[Features], chosen: Any, vary: str = "T") -> None:
    keys = sorted(rules)
    at = (
        keys.index(chosen)
        if chosen in rules
        else min(range(len(keys)), key=lambda i: abs(keys[i][0] - chosen[0]))
    )
    print(f"  {'parameters':>14} precision recall  real hidden   (varying {vary})")
    for key in keys[max(0, at - 5) : at + 6]:
        precision, recall, hidden = scores(rules[key], rows)
        mark = "  <- chosen" if key == chosen else ""
        print(f"  {key!s:>14} {precision:9.2f} {recall:6.2f} {hidden:12d}{mark}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", required=True, help="an index of /work/shared/corpus")
    parser.add_argument("--remeasure", action="store_true", help="measure the features again")
    args = parser.parse_args()
    cache = Path(args.data_dir) / "no_match_features.json"
    queries = [json.loads(line) for line in QUERIES.read_text(encoding="utf-8").splitlines() if line.strip()]
    if args.remeasure or not cache.exists():
        services = Services.open(args.data_dir)
        searcher = services.searcher()
        rows = []
        for item in queries:
            row = {**item, **measure(searcher, item["query"])}
            row["answered"] = item.get("file") in row["results"] if item.get("file") else None
            rows.append(row)
        services.close()
        cache.write_text(json.dumps(rows, indent=1, ensure_ascii=False), encoding="utf-8")
    rows = json.loads(cache.read_text(encoding="utf-8"))
    answered = sum(bool(row["answered"]) for row in rows if row["label"] == "real")
    print(f"# {len(rows)} queries; {answered} of 50 real ones have their file in the top 10")
    report(rows)


if __name__ == "__main__":
    main()
