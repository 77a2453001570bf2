"""SciFact retrieval benchmark through the project's own indexing and search code.

Each abstract becomes a text file (title, blank line, abstract); the Indexer indexes the folder
like any user folder and the Searcher's ranked lists are fused exactly as in `search()`. Prints
nDCG@10 and Recall@100 for vector only, keyword only and hybrid. Weights are tuned on `train`;
`test` is reported. The index is cached under .cache/eval/ so reruns take seconds.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import time
from collections import defaultdict
from pathlib import Path

import desktop_search  # noqa: F401  (telemetry off before onnxruntime loads)
from desktop_search.core.filters import Filters
from desktop_search.core.indexer import Summary
from desktop_search.core.query import parse
from desktop_search.core.search import Searcher, Weights, fuse
from desktop_search.services import Services

ROOT = Path(__file__).resolve().parent.parent
SCIFACT = ROOT.parent / "shared" / "eval" / "scifact"
CACHE = ROOT / ".cache" / "eval"
DEPTH = 300


def write_documents(folder: Path) -> None:
    if folder.is_dir() and any(folder.iterdir()):
        return
    folder.mkdir(parents=True, exist_ok=True)
    with open(SCIFACT / "corpus.jsonl", encoding="utf-8") as stream:
        for line in stream:
            doc = json.loads(line)
            (folder / f"{doc['_id']}.txt").write_text(f"{doc['title']}\n\n{doc['text']}", encoding="utf-8")


def build_index(model_file: str) -> Services:
    documents = CACHE / "scifact-documents"
    write_documents(documents)
    services = Services.open(str(CACHE / f"scifact-index-{model_file}"), model_file=model_file)
    for event in services.indexer().run([str(documents)]):
        if isinstance(event, Summary):
            print(
                f"# index ({model_file}): {event.indexed} new files, {event.embedded} passages embedded "
                f"in {event.seconds:.0f} s ({event.unchanged} unchanged)"
            )
    return services


def load_split(split: str) -> tuple[dict[str, str], dict[str, dict[str, int]]]:
    qrels: dict[str, dict[str, int]] = defaultdict(dict)
    with open(SCIFACT / "qrels" / f"{split}.tsv", encoding="utf-8") as stream:
        next(stream)
        for line in stream:
            query_id, doc_id, score = line.split()
            qrels[query_id][doc_id] = int(score)
    queries = {}
    with open(SCIFACT / "queries.jsonl", encoding="utf-8") as stream:
        for line in stream:
            query = json.loads(line)
            if query["_id"] in qrels:
                queries[query["_id"]] = query["text"]
    return queries, qrels


def ranked_lists(searcher: Searcher, queries: dict[str, str]) -> dict[str, dict[str, list[int]]]:
    return {
        query_id: searcher.ranked_lists(parse(text), Filters(), DEPTH) for query_id, text in queries.items()
    }


def doc_of_passage(services: Services) -> dict[int, str]:
    catalog = services.store.catalog
    return {
        passage.id: Path(record.path).stem
        for record in catalog.files()
        for passage in catalog.passages_of(record.key)
    }


def rank_documents(scores: dict[int, float], docs: dict[int, str]) -> list[str]:
    """Files ranked by their best passage, as the Searcher groups them."""
    best: dict[str, float] = {}
    for passage_id, score in scores.items():
        doc = docs[passage_id]
        best[doc] = max(best.get(doc, 0.0), score)
    return sorted(best, key=lambda doc: -best[doc])


def ndcg_at_10(ranking: list[str], relevant: dict[str, int]) -> float:
    dcg = sum(relevant.get(doc, 0) / math.log2(i + 2) for i, doc in enumerate(ranking[:10]))
    ideal = sum(
        score / math.log2(i + 2) for i, score in enumerate(sorted(relevant.values(), reverse=True)[:10])
    )
    return dcg / ideal if ideal else 0.0


def recall_at_100(ranking: list[str], relevant: dict[str, int]) -> float:
    wanted = {doc for doc, score in relevant.items() if score > 0}
    return len(wanted & set(ranking[:100])) / len(wanted)


def evaluate(lists, qrels, docs, weights: Weights, only: str | None = None) -> tuple[float, float]:
    ndcg = recall = 0.0
    for query_id, ranked in lists.items():
        chosen = {only: ranked.get(only, [])} if only else ranked
        ranking = rank_documents(fuse(chosen, weights), docs)
        ndcg += ndcg_at_10(ranking, qrels[query_id])
        recall += recall_at_100(ranking, qrels[query_id])
    return ndcg / len(lists), recall / len(lists)


def tune(lists, qrels, docs) -> Weights:
    best, best_score = Weights(), -1.0
    for vector, phrase, k in itertools.product(
        (0.6, 0.8, 1.0, 1.25, 1.5, 2.0), (0.0, 0.5, 1.0), (10, 30, 60, 100)
    ):
        weights = Weights(vector=vector, keyword=1.0, phrase=phrase, k=k)
        score = evaluate(lists, qrels, docs, weights)[0]
        if score > best_score:
            best, best_score = weights, score
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model-file", default="model.onnx", help="model.onnx (fp32) or model.int8.onnx")
    parser.add_argument("--no-tune", action="store_true", help="report the app's current weights only")
    args = parser.parse_args()
    services = build_index(args.model_file)
    searcher = services.searcher()
    docs = doc_of_passage(services)
    started = time.monotonic()
    test_queries, test_qrels = load_split("test")
    test_lists = ranked_lists(searcher, test_queries)
    per_query_ms = (time.monotonic() - started) / len(test_queries) * 1000
    rows = [
        ("vector only", evaluate(test_lists, test_qrels, docs, Weights(), only="vector")),
        ("keyword only (FTS5 BM25)", evaluate(test_lists, test_qrels, docs, Weights(), only="keyword")),
        (f"hybrid, app weights {searcher.weights}", evaluate(test_lists, test_qrels, docs, searcher.weights)),
    ]
    if not args.no_tune:
        train_queries, train_qrels = load_split("train")
        train_lists = ranked_lists(searcher, train_queries)
        tuned = tune(train_lists, train_qrels, docs)
        train_score = evaluate(train_lists, train_qrels, docs, tuned)[0]
        rows.append(
            (
                f"hybrid, tuned on train ({train_score:.3f}) {tuned}",
                evaluate(test_lists, test_qrels, docs, tuned),
            )
        )
    print(
        f"\nSciFact test, {len(test_queries)} queries, model {args.model_file}, "
        f"{per_query_ms:.0f} ms per query for all ranked lists\n"
    )
    print("| method | nDCG@10 | Recall@100 |\n|---|---|---|")
    for name, (ndcg, recall) in rows:
        print(f"| {name} | {ndcg:.3f} | {recall:.3f} |")
    services.close()


if __name__ == "__main__":
    main()
