"""When to say "no close matches": features of each labelled query, measured through the real
Searcher on an index of the shared corpus, and the thresholds of a simple rule swept over them.

evaluation/no_match_queries.jsonl holds 100 queries: 50 "real" ones (each with a corpus file that
answers it) and 50 with no answer ("nonsense": keyboard mash, random syllables or characters,
typo soup; "off-topic": real language about things the corpus lacks). Positive = the query has no
match, so precision and recall are those of the "no close matches" message.

    python -m evaluation.no_match --data-dir DIR   # DIR indexed with `desktop-search index`

Features are cached in the index folder (no_match_features.json); --remeasure measures again.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import desktop_search  # noqa: F401  (telemetry off before onnxruntime loads)
from desktop_search.core.catalog import parse_vector_id
from desktop_search.core.filters import Filters
from desktop_search.core.match_confidence import CLOSE_SIMILARITY, coverage_terms, is_close
from desktop_search.core.query import parse, quote
from desktop_search.core.rescoring import Coverage
from desktop_search.core.search import CANDIDATES, Searcher
from desktop_search.services import Services

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ROOT / "evaluation" / "no_match_queries.jsonl"

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
        "passage_coverage": word_coverage(searcher, query, keyword_ids + vector_ids),
        "vector_passage_coverage": word_coverage(searcher, query, vector_ids[:10]),
        "app_close": any(hit.close for hit in results),
        "top_file_coverage": _file_coverage(searcher, words, top_key),
        "bm25": -bm25 if bm25 is not None else 0.0,
        "bm25_per_word": -bm25 / len(words) if bm25 is not None and words else 0.0,
        "both_lists": top_key is not None and top_key in vector_files[:10] and top_key in keyword_files[:10],
        "results": [os.path.relpath(hit.path, hit.folder) for hit in results],  # the corpus was added
    }


def word_coverage(searcher: Searcher, query: Any, ids: list[int]) -> float:
    """The largest share of the query's terms one of these passages holds, as the app counts it."""
    held = Coverage(coverage_terms(query))
    return max((held(row.text) for row in searcher.retrieval.passage_rows(ids)), default=0.0)


def _distinct(values: Any) -> list[Any]:
    return list(dict.fromkeys(values))


def _in_index(searcher: Searcher, word: str) -> bool:
    row = searcher.catalog.db.execute(
        "SELECT 1 FROM passages_fts WHERE passages_fts MATCH ? LIMIT 1", [quote(word)]
    ).fetchone()
    return row is not None


def _key_of(searcher: Searcher, path: str) -> str | None:
    row = searcher.catalog.db.execute("SELECT key FROM files WHERE path = ?", [path]).fetchone()
    return row[0] if row else None


def _file_coverage(searcher: Searcher, words: Sequence[str], key: str | None) -> float:
    if key is None or not words:
        return 0.0
    found = [bool(searcher.retrieval.files_mentioning(quote(word), [key])) for word in words]
    return sum(found) / len(words)


# --- picking a rule ---------------------------------------------------------------------------

Rule = Callable[[Features], bool]  # True: close (the results are shown)
Family = Callable[[float], Rule]  # rules of one threshold T on the best cosine
GRID = [round(0.20 + 0.01 * i, 2) for i in range(61)]
SMOOTHING = 2  # T is judged by its mean F1 over T ± 2 grid steps: no knife-edge pick


def or_cosine(feature: str, cut: float) -> Family:
    """Rules "cos1 >= T, or the feature reaches cut"."""
    return lambda t: lambda row: row["cos1"] >= t or float(row[feature]) >= cut


FAMILIES: dict[str, Family] = {
    "cos1 >= T": lambda t: lambda row: row["cos1"] >= t,
    "cos1 >= T or all words in one passage": or_cosine("passage_coverage", 1),
    "cos1 >= T or 3/4 of the words in one passage": or_cosine("passage_coverage", 0.75),
    "cos1 >= T or 3/5 of the words in one passage": or_cosine("passage_coverage", 0.6),
    "cos1 >= T or half the words in one passage": or_cosine("passage_coverage", 0.5),
    "cos1 >= T or all words in the top file": or_cosine("top_file_coverage", 1),
    "cos1 >= T or all words in the index": or_cosine("index_coverage", 1),
    "cos1 >= T or top file in both lists": or_cosine("both_lists", 1),
}
CHOSEN = "cos1 >= T or half the words in one passage"  # (when in doubt, show: long questions)


def scores(rule: Rule, rows: list[Features]) -> tuple[float, float, int]:
    """(precision, recall) of "no close matches" and how many real queries it hides."""
    flagged = [row for row in rows if not rule(row)]
    true_positive = sum(row["label"] != "real" for row in flagged)
    negatives = sum(row["label"] != "real" for row in rows)
    precision = true_positive / len(flagged) if flagged else 1.0
    return precision, true_positive / negatives if negatives else 1.0, len(flagged) - true_positive


def f1(rule: Rule, rows: list[Features]) -> float:
    precision, recall, _ = scores(rule, rows)
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def pick(family: Family, rows: list[Features]) -> float:
    """The threshold with the best F1 averaged over its neighbours (ties: the lower T, which
    hides fewer real queries)."""
    values = [f1(family(t), rows) for t in GRID]

    def smoothed(i: int) -> float:
        near = values[max(0, i - SMOOTHING) : i + SMOOTHING + 1]
        return sum(near) / len(near)

    return GRID[max(range(len(GRID)), key=lambda i: (smoothed(i), -i))]


def cross_validate(family: Family, rows: list[Features], folds: int = 5, shuffles: int = 10) -> str:
    """T picked on 4/5 of the queries, judged on the other fifth (stratified by label)."""
    flagged = true_positive = negatives = 0
    for seed in range(shuffles):
        shuffled = rows[:]
        random.Random(seed).shuffle(shuffled)
        shuffled.sort(key=lambda row: row["label"] == "real")
        for fold in range(folds):
            test = shuffled[fold::folds]
            rule = family(pick(family, [row for row in shuffled if row not in test]))
            hits = [row for row in test if not rule(row)]
            flagged += len(hits)
            true_positive += sum(row["label"] != "real" for row in hits)
            negatives += sum(row["label"] != "real" for row in test)
    precision = true_positive / flagged if flagged else 1.0
    hidden = (flagged - true_positive) / shuffles
    return f"precision {precision:.2f}, recall {true_positive / negatives:.2f}, real hidden {hidden:.1f}"


def at_least(feature: str, cut: float) -> Rule:
    return lambda row: float(row[feature]) >= cut


def floored(t: float, t2: float) -> Rule:
    return lambda row: row["cos1"] >= t or (row["passage_coverage"] >= 1 and row["cos1"] >= t2)


def report(rows: list[Features]) -> None:
    numeric = (
        "cos1",
        "margin",
        "zscore",
        "bm25_per_word",
        "index_coverage",
        "passage_coverage",
        "top_file_coverage",
    )
    print("\n# features by label: median [min, max]; best F1 of one threshold on the feature alone")
    for name in numeric:
        cuts = sorted({float(row[name]) for row in rows})
        best = max(cuts, key=lambda cut: f1(at_least(name, cut), rows))
        precision, recall, hidden = scores(at_least(name, best), rows)
        print(
            f"  {name}: close if >= {best:.3f}: precision {precision:.2f}, recall {recall:.2f}, real hidden {hidden}"
        )
        for label in ("real", "nonsense", "off-topic"):
            values = sorted(float(row[name]) for row in rows if row["label"] == label)
            print(f"    {label:9} {statistics.median(values):6.3f} [{values[0]:.3f}, {values[-1]:.3f}]")
    print("\n# rules of one threshold T (picked by F1 smoothed over T ± 0.02; 5-fold CV x 10 shuffles)")
    for name, family in FAMILIES.items():
        t = pick(family, rows)
        precision, recall, hidden = scores(family(t), rows)
        print(
            f"  {name:40} T = {t:.2f}: precision {precision:.2f}, recall {recall:.2f}, real hidden {hidden}"
        )
        print(f"  {'':40} cross-validated: {cross_validate(family, rows)}")
    print(f"\n# sweep of T for: {CHOSEN}")
    print("      T precision recall real hidden")
    for t in GRID[18:36]:
        precision, recall, hidden = scores(FAMILIES[CHOSEN](t), rows)
        print(f"  {t:5.2f} {precision:9.2f} {recall:6.2f} {hidden:11d}")
    print("\n# a floor T2 on the cosine of the all-words branch: cos1 >= T or (all words and cos1 >= T2)")
    t = pick(FAMILIES[CHOSEN], rows)
    for t2 in (0.2, 0.25, 0.3, 0.35, 0.4):
        precision, recall, hidden = scores(floored(t, t2), rows)
        print(f"  T2 = {t2:.2f}: precision {precision:.2f}, recall {recall:.2f}, real hidden {hidden}")
    print(f"\n# desktop_search/core/match_confidence.is_close (T = {CLOSE_SIMILARITY})")
    close: Rule = lambda row: is_close(row["cos1"], row["passage_coverage"])  # noqa: E731
    precision, recall, hidden = scores(close, rows)
    print(f"  precision {precision:.2f}, recall {recall:.2f}, real queries hidden {hidden} of 50")
    for row in rows:
        if close(row) == (row["label"] != "real"):
            print(
                f"  {'shown' if close(row) else 'hidden'}: {row['label']:9} cos1 {row['cos1']:.3f} "
                f"coverage {row['passage_coverage']:.2f} {row['query']!r} (file in top 10: {row['answered']})"
            )
    print("\n# the app's search, as it flags its hits (FileHit.close: the rule, or a file name match)")
    precision, recall, hidden = scores(lambda row: row["app_close"], rows)
    print(f"  precision {precision:.2f}, recall {recall:.2f}, real queries hidden {hidden} of 50")


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
