"""`make eval`: one table of search quality, SciFact (BEIR) and the page-labelled manuals, for
each method and both models; `--tune` searches the second stage's blend on SciFact train and the
manuals together (the figures we are judged by come from other sets: a blend must hold on both).
"""

from __future__ import annotations

import argparse
import itertools
from dataclasses import replace

import desktop_search  # noqa: F401  (telemetry off before onnxruntime loads)
from desktop_search.core.rescoring import Blend
from evaluation import manuals, scifact

METHODS = (
    ("vector only", "vector", None),
    ("keyword only (FTS5 BM25)", "keyword", None),
    ("hybrid, first stage (weighted RRF)", "hybrid", None),
    ("hybrid + second stage", "hybrid", Blend()),
)
MANUAL_COLUMNS = ("file@1", "file@5", "page@1", "page@5", "first3", "passage page@5")


def table(model_files: list[str]) -> None:
    header = ["method", "model", "SciFact nDCG@10", "Recall@100", *(f"manuals {c}" for c in MANUAL_COLUMNS)]
    header += [f"page@1 {kind}" for kind in manuals.KINDS]
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    for model_file in model_files:
        sci_services, man_services = scifact.open_index(model_file), manuals.open_index(model_file)
        sci, man = sci_services.searcher(), man_services.searcher()
        sci_test = scifact.prepare(sci, "test")
        man_all = manuals.prepare(man, manuals.load_questions(), "hybrid")
        for name, mode, blend in METHODS:
            sci.blend = man.blend = blend
            ndcg, recall = scifact.evaluate(sci, sci_test, mode)
            result = manuals.evaluate(man, man_all, mode)
            cells = [name, model_file, f"{ndcg:.3f}", f"{recall:.3f}"]
            cells += [f"{result[c]['all']:.2f}" for c in MANUAL_COLUMNS]
            cells += [f"{result['page@1'][kind]:.2f}" for kind in manuals.KINDS]
            lines.append("| " + " | ".join(cells) + " |")
        sci_services.close()
        man_services.close()
    print("\n".join(lines))


def tune(model_file: str) -> None:
    sci_services, man_services = scifact.open_index(model_file), manuals.open_index(model_file)
    sci, man = sci_services.searcher(), man_services.searcher()
    sci_train = scifact.prepare(sci, "train")
    man_all = manuals.prepare(man, manuals.load_questions(), "hybrid")
    results = []
    for meaning, coverage, phrase in itertools.product((0.6, 0.7, 0.8), (0.1, 0.2, 0.4), (0.0, 0.2)):
        blend = replace(Blend(), meaning=meaning, coverage=coverage, phrase=phrase)
        sci.blend = man.blend = blend
        ndcg = scifact.evaluate(sci, sci_train)[0]
        result = manuals.evaluate(man, man_all, "hybrid")
        row = (ndcg, result["file@1"]["all"], result["page@1"]["all"], result["first3"]["all"], blend)
        print(
            f"SciFact train {row[0]:.3f}  manuals file@1 {row[1]:.2f} page@1 {row[2]:.2f} first3 {row[3]:.2f}  {blend}",
            flush=True,
        )
        results.append(row)
    results.sort(key=lambda r: -(r[0] + (r[1] + r[2]) / 4))
    print("best first:")
    for ndcg, file1, page1, first3, blend in results[:5]:
        print(
            f"SciFact train {ndcg:.3f}  manuals file@1 {file1:.2f} page@1 {page1:.2f} first3 {first3:.2f}  {blend}"
        )
    sci_services.close()
    man_services.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model-file", action="append", help="model.int8.onnx (default), model.onnx")
    parser.add_argument("--tune", action="store_true", help="search the blend instead of printing the table")
    args = parser.parse_args()
    model_files = args.model_file or ["model.int8.onnx", "model.onnx"]
    if args.tune:
        tune(model_files[0])
    else:
        table(model_files)


if __name__ == "__main__":
    main()
