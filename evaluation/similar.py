"""`python -m evaluation.similar`: how good "files like this one" is, two ways of building it.

- coverage (core/similar.py): each of the file's passages asks for its nearest passages; a file
  scores by how well its passages and the source's cover each other (the mean over the source's
  passages of its best similarity to each, and the same over its own passages, averaged); "one
  way" is the first half alone.
- mean vector: the file's passages averaged into one vector, asked once (DEPTH nearest
  passages); a file scores by its best passage.

Rust book (indexed alone, cached under .cache/eval/): for each chapter file, the share of its 5
most similar files that belong to the same chapter (chNN-…), against that share for 5 files
drawn at random. SciFact (the `make eval` index): for each abstract that shares a labelled query
with another, how often its most similar abstract is one of those, against chance.
"""

from __future__ import annotations

import argparse
import re
import statistics
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

import numpy as np

import desktop_search  # noqa: F401  (telemetry off before onnxruntime loads)
from desktop_search.core.filters import Filters
from desktop_search.core.search import FileHit
from desktop_search.core.similar import NEIGHBOURS, Matched, Scores, Similar, Source
from desktop_search.core.similar import coverage as one_way_coverage
from desktop_search.services import Services
from evaluation import scifact
from evaluation.common import CACHE, SHARED, index_folder

DEPTH = 200  # passages the mean vector asks for
CHAPTER = re.compile(r"^ch(\d\d)-")
Method = Callable[[Similar, Source, int], list[FileHit]]


def coverage(similar: Similar, source: Source, limit: int) -> list[FileHit]:
    return similar.similar_to(source, limit, Filters())


def one_way(similar: Similar, source: Source, limit: int) -> list[FileHit]:
    assert similar.vector_store is not None
    scores, matched = one_way_coverage(
        similar.vector_store.query_many(source.vectors, NEIGHBOURS), source.key
    )
    return similar.results(source, scores, matched, Filters(), limit)


def mean_vector(similar: Similar, source: Source, limit: int) -> list[FileHit]:
    assert similar.vector_store is not None
    mean = source.vectors.mean(axis=0)
    hits = similar.vector_store.query(mean / np.linalg.norm(mean), DEPTH)
    scores: Scores = {}
    matched: Matched = {}
    for hit in hits:
        key, seq = hit.id.rsplit(":", 1)
        if key == source.key:
            continue
        scores[key] = max(scores.get(key, hit.similarity), hit.similarity)
        matched.setdefault(key, {})[(key, int(seq))] = hit.similarity
    return similar.results(source, scores, matched, Filters(), limit)


METHODS: dict[str, Method] = {
    "passage pairs, covering both ways (kept)": coverage,
    "passage pairs, covering one way": one_way,
    "mean vector": mean_vector,
}


def rust_book(services: Services, method: Method) -> tuple[float, float, float, float]:
    """(precision@5 of same-chapter neighbours, chance, the best possible, ms per file)."""
    similar = services.similar()
    chapters = {
        record.path: match.group(1)
        for record in services.store.catalog.files()
        if (match := CHAPTER.match(Path(record.path).name))
    }
    precision, chance, ceiling, took = [], [], [], []
    for path, chapter in chapters.items():
        siblings = sum(1 for other, c in chapters.items() if c == chapter and other != path)
        started = time.perf_counter()
        hits = method(similar, similar.source(path), 5)
        took.append(time.perf_counter() - started)
        precision.append(sum(chapters.get(hit.path) == chapter for hit in hits) / 5)
        chance.append(siblings / (len(chapters) - 1))
        ceiling.append(min(siblings, 5) / 5)
    means = (statistics.mean(precision), statistics.mean(chance), statistics.mean(ceiling))
    return (*means, 1000 * statistics.median(took))


def scifact_partners(folder: Path) -> dict[str, set[str]]:
    """Abstract id -> the other abstracts relevant to one of its queries (train and test)."""
    by_query: dict[str, set[str]] = defaultdict(set)
    for split in ("train", "test"):
        with open(folder / "qrels" / f"{split}.tsv", encoding="utf-8") as stream:
            next(stream)
            for line in stream:
                query_id, doc_id, score = line.split()
                if int(score) > 0:
                    by_query[f"{split}-{query_id}"].add(doc_id)
    partners: dict[str, set[str]] = defaultdict(set)
    for docs in by_query.values():
        for doc in docs:
            partners[doc] |= docs - {doc}
    return {doc: others for doc, others in partners.items() if others}


def scifact_rate(services: Services, method: Method, folder: Path) -> tuple[float, float, int, float]:
    """(share whose nearest abstract shares a query, chance of that, abstracts, ms per abstract)."""
    similar = services.similar()
    paths = {Path(record.path).stem: record.path for record in services.store.catalog.files()}
    partners = {doc: others for doc, others in scifact_partners(folder).items() if doc in paths}
    hits_, chance, took = 0, [], []
    for doc, others in partners.items():
        started = time.perf_counter()
        found = method(similar, similar.source(paths[doc]), 1)
        took.append(time.perf_counter() - started)
        hits_ += bool(found) and Path(found[0].path).stem in others
        chance.append(len(others) / (len(paths) - 1))
    return hits_ / len(partners), statistics.mean(chance), len(partners), 1000 * statistics.median(took)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model-file", default="model.int8.onnx")
    parser.add_argument("--rust-book", type=Path, default=SHARED / "corpus" / "text" / "rust-book")
    parser.add_argument("--scifact", type=Path, default=scifact.SCIFACT, help="BEIR SciFact (qrels)")
    parser.add_argument(
        "--scifact-index",
        type=Path,
        help="a copy of the SciFact data directory (default: .cache/eval's, built as `make eval` does)",
    )
    args = parser.parse_args()
    rust = index_folder(args.rust_book, CACHE / f"rust-book-index-{args.model_file}", args.model_file)
    if args.scifact_index:
        sci = Services.open(str(args.scifact_index), model_file=args.model_file)
    else:
        sci = scifact.open_index(args.model_file)
    print(
        "| method | rust book: same chapter in top 5 (chance, best possible) | ms/file "
        "| SciFact: nearest shares a query (chance) | ms/file |"
    )
    print("|---|---|---|---|---|")
    for name, method in METHODS.items():
        precision, rust_chance, best, rust_ms = rust_book(rust, method)
        rate, sci_chance, count, sci_ms = scifact_rate(sci, method, args.scifact)
        print(
            f"| {name} | {precision:.2f} ({rust_chance:.2f}, {best:.2f}) | {rust_ms:.0f} | "
            f"{rate:.2f} of {count} ({sci_chance:.4f}) | {sci_ms:.0f} |",
            flush=True,
        )
    rust.close()
    sci.close()


if __name__ == "__main__":
    main()
