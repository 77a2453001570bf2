"""SciFact retrieval benchmark through the project's own indexing and search code.

Each abstract becomes a text file (title, blank line, abstract); the Indexer indexes the folder
like any user folder and every query goes through the Searcher's two stages as in `search()`.
nDCG@10 and Recall@100 for vector only, keyword only, the first stage's fusion (RRF) and the
second stage; tuning uses `train`, the table reports `test`. The index is cached under
.cache/eval/ so reruns take seconds.
"""

from __future__ import annotations

import json
import math
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from desktop_search.core.catalog import PassageRow
from desktop_search.core.filters import Filters
from desktop_search.core.fusion import Candidates
from desktop_search.core.query import Query, parse
from desktop_search.core.search import Searcher
from desktop_search.services import Services
from evaluation.common import CACHE, SHARED, index_folder

SCIFACT = SHARED / "eval" / "scifact"
DEPTH = 300


@dataclass
class Prepared:
    """A query's first stage, kept so that many second stages can be scored on it."""

    query: Query
    relevant: dict[str, int]
    candidates: Candidates
    rows: dict[int, PassageRow]


def write_documents(folder: Path) -> None:
    if folder.is_dir() and any(folder.iterdir()):
        return
    folder.mkdir(parents=True, exist_ok=True)
    with open(SCIFACT / "corpus.jsonl", encoding="utf-8") as stream:
        for line in stream:
            doc = json.loads(line)
            (folder / f"{doc['_id']}.txt").write_text(f"{doc['title']}\n\n{doc['text']}", encoding="utf-8")


def open_index(model_file: str) -> Services:
    documents = CACHE / "scifact-documents"
    write_documents(documents)
    return index_folder(documents, CACHE / f"scifact-index-{model_file}", model_file)


def load_split(split: str) -> list[tuple[str, dict[str, int]]]:
    """(query text, {document id: relevance}) for each query of the split."""
    qrels: dict[str, dict[str, int]] = defaultdict(dict)
    with open(SCIFACT / "qrels" / f"{split}.tsv", encoding="utf-8") as stream:
        next(stream)
        for line in stream:
            query_id, doc_id, score = line.split()
            qrels[query_id][doc_id] = int(score)
    with open(SCIFACT / "queries.jsonl", encoding="utf-8") as stream:
        queries = [json.loads(line) for line in stream]
    return [(q["text"], qrels[q["_id"]]) for q in queries if q["_id"] in qrels]


def prepare(searcher: Searcher, split: str, mode: str = "hybrid") -> list[Prepared]:
    prepared = []
    for text, relevant in load_split(split):
        query = parse(text)
        candidates = searcher.candidates(query, Filters(), DEPTH, mode)
        prepared.append(Prepared(query, relevant, candidates, searcher.rows(candidates)))
    return prepared


def rank_documents(scores: dict[int, float], rows: dict[int, PassageRow]) -> list[str]:
    """Documents ranked by their best passage, as the Searcher groups them."""
    best: dict[str, float] = {}
    for passage_id, score in scores.items():
        if passage_id in rows:
            doc = Path(rows[passage_id].path).stem
            best[doc] = max(best.get(doc, -math.inf), score)
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


def evaluate(searcher: Searcher, prepared: list[Prepared], mode: str = "hybrid") -> tuple[float, float]:
    """(nDCG@10, Recall@100), means over the queries; mode "vector" or "keyword" keeps that list only."""
    ndcg = recall = 0.0
    for item in prepared:
        candidates = item.candidates
        if mode != "hybrid":
            candidates = Candidates(
                {mode: candidates.lists.get(mode, [])}, candidates.bm25, candidates.similarity
            )
        ranking = rank_documents(searcher.score(item.query, candidates, item.rows, mode), item.rows)
        ndcg += ndcg_at_10(ranking, item.relevant)
        recall += recall_at_100(ranking, item.relevant)
    return ndcg / len(prepared), recall / len(prepared)
