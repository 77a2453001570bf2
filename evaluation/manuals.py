"""Page-level retrieval on six PDF manuals (../shared/eval/manuals): does the app put the right
file first, and does it open that file at the right page?

The manuals are indexed by the app's own indexer like any user folder; every query goes through
`Searcher.search()`, so the page measured is the page the window and the CLI show. Metrics (the
set's README): file@k, page@k (file-grouped: the right file in the first k and its shown page
right), first3 (the right page among the right file's first 3 passages), passage page@k
(ungrouped passages). Per kind: semantic, keyword, short.
"""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import desktop_search  # noqa: F401  (telemetry off before onnxruntime loads)
from desktop_search.core.catalog import PassageRow
from desktop_search.core.filters import Filters
from desktop_search.core.fusion import Candidates
from desktop_search.core.query import Query, parse
from desktop_search.core.search import CANDIDATES, Searcher
from desktop_search.services import Services
from evaluation.common import CACHE, SHARED, index_folder

MANUALS = SHARED / "eval" / "manuals"
KINDS = ("semantic", "keyword", "short")
METRICS = ("file@1", "file@5", "page@1", "page@5", "first3", "passage page@5")


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    file: str
    pages: frozenset[int]
    kind: str


def load_questions() -> list[Question]:
    with open(MANUALS / "queries.jsonl", encoding="utf-8") as stream:
        rows = [json.loads(line) for line in stream if line.strip()]
    return [Question(r["id"], r["query"], r["file"], frozenset(r["pages"]), r["kind"]) for r in rows]


def open_index(model_file: str) -> Services:
    return index_folder(MANUALS / "docs", CACHE / f"manuals-index-{model_file}", model_file)


@dataclass
class Prepared:
    """A query's first stage, kept so that many second stages can be scored on it."""

    question: Question
    query: Query
    candidates: Candidates
    rows: dict[int, PassageRow]


def prepare(searcher: Searcher, questions: list[Question], mode: str) -> list[Prepared]:
    prepared = []
    for question in questions:
        query = parse(question.text)
        candidates = searcher.candidates(query, Filters(), CANDIDATES, mode)
        prepared.append(Prepared(question, query, candidates, searcher.rows(candidates)))
    return prepared


def judge(question: Question, scores: dict[int, float], rows: dict[int, PassageRow]) -> dict[str, bool]:
    """The metrics of one query, from its passages' final scores."""
    ranked = sorted((i for i in scores if i in rows), key=lambda i: -scores[i])
    by_file: dict[str, list[int | None]] = {}
    for passage_id in ranked:
        by_file.setdefault(Path(rows[passage_id].path).name, []).append(rows[passage_id].page)
    names = list(by_file)
    rank = names.index(question.file) if question.file in names else None
    pages = by_file.get(question.file, [])
    right_page = bool(pages) and pages[0] in question.pages
    top = [(Path(rows[i].path).name, rows[i].page) for i in ranked[:5]]
    return {
        "file@1": rank == 0,
        "file@5": rank is not None and rank < 5,
        "page@1": rank == 0 and right_page,
        "page@5": rank is not None and rank < 5 and right_page,
        "first3": rank is not None and rank < 5 and any(p in question.pages for p in pages[:3]),
        "passage page@5": any(f == question.file and p in question.pages for f, p in top),
    }


def evaluate(searcher: Searcher, prepared: list[Prepared], mode: str) -> dict[str, dict[str, float]]:
    """metric -> {kind or "all" -> mean over the queries}."""
    per_kind: dict[str, list[dict[str, bool]]] = defaultdict(list)
    for item in prepared:
        candidates = item.candidates if mode == "hybrid" else item.candidates.only(mode)
        scores = searcher.score(item.query, candidates, item.rows, mode)
        result = judge(item.question, scores, item.rows)
        per_kind[item.question.kind].append(result)
        per_kind["all"].append(result)
    return {
        metric: {kind: sum(r[metric] for r in rows) / len(rows) for kind, rows in per_kind.items()}
        for metric in METRICS
    }


def misses(searcher: Searcher, questions: list[Question], mode: str) -> None:
    """Where each query's right page went, as the app shows it: for reading, not for the table."""
    for question in questions:
        hits = searcher.search(question.text, limit=10, mode=mode)
        names = [Path(hit.path).name for hit in hits]
        if question.file not in names:
            print(f"{question.id} {question.kind:8s} file missed: {names[:3]}")
            continue
        shown = [p.page for p in hits[names.index(question.file)].passages]
        if shown[0] not in question.pages:
            print(
                f"{question.id} {question.kind:8s} rank {names.index(question.file)} pages {shown} want {sorted(question.pages)}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model-file", default="model.int8.onnx")
    parser.add_argument("--mode", default="hybrid")
    parser.add_argument("--misses", action="store_true", help="print each query whose page was wrong")
    args = parser.parse_args()
    services = open_index(args.model_file)
    searcher = services.searcher()
    questions = load_questions()
    if args.misses:
        misses(searcher, questions, args.mode)
    results = evaluate(searcher, prepare(searcher, questions, "hybrid"), args.mode)
    print(f"| {args.mode} {args.model_file} | " + " | ".join(METRICS) + " |")
    for kind in ("all", *KINDS):
        print(f"| {kind} | " + " | ".join(f"{results[m][kind]:.2f}" for m in METRICS) + " |")
    services.close()


if __name__ == "__main__":
    main()
