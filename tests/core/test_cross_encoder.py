"""The pluggable cross-encoder, with a tiny one exported here: a "term overlap" model whose score
is the number of the passage's word pieces that also occur in the query. Known scores test the
pairing, the inputs, truncation and batching; the setting reaches Services from env and CLI."""

from __future__ import annotations

import shutil
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from desktop_search.cli import _split_folders, build_parser, settings_from
from desktop_search.core.cross_encoder import CrossEncoder, CrossEncoderError
from desktop_search.settings import RERANKER_ENV, Settings
from tests.helpers import RUST_BOOK, copy_files

SPECIAL_IDS = (0, 100, 101, 102, 103)  # [PAD] [UNK] [CLS] [SEP] [MASK] in the app's vocabulary


def export_overlap_model(
    folder: Path,
    tokenizer_json: Path,
    *,
    head: str = "column",
    segments: bool = True,
    inputs: tuple[str, ...] = (),
) -> Path:
    """folder/model.onnx + tokenizer.json: logits (n, 1) (head "column"), (n,) ("flat") or (n, 2)
    ("two", the overlap in the last column). segments=False: no token_type_ids input, and the score
    is the pair's count of word pieces (like a RoBERTa-based model, it cannot tell the segments
    apart); inputs: other input names, to build a model that is no cross-encoder."""
    import torch  # the model build's dependency, always in the dev venv

    class TermOverlap(torch.nn.Module):  # type: ignore[misc, name-defined]
        def forward(self, input_ids: Any, attention_mask: Any, *rest: Any) -> Any:
            real = attention_mask.bool()
            for special in SPECIAL_IDS:
                real = real & (input_ids != special)
            if segments:
                token_type_ids, *extra = rest
                query = real & (token_type_ids == 0)
                passage = real & (token_type_ids == 1)
                same = input_ids[:, :, None] == input_ids[:, None, :]  # (n, seq, seq)
                in_query = (same & query[:, None, :]).any(dim=2)
                score = (in_query & passage).sum(dim=1).float()
            else:
                extra = list(rest)
                score = real.sum(dim=1).float()
            for tensor in extra:
                score = score + 0 * tensor.float().sum()
            if head == "flat":
                return score
            if head == "two":
                return torch.stack([-score, score], dim=1)
            return score[:, None]

    folder.mkdir(parents=True, exist_ok=True)
    names = ["input_ids", "attention_mask", *(["token_type_ids"] if segments else []), *inputs]
    example = tuple(torch.ones((2, 5), dtype=torch.int64) for _ in names)
    with warnings.catch_warnings():  # the TorchScript exporter's deprecation
        warnings.simplefilter("ignore", DeprecationWarning)
        torch.onnx.export(
            TermOverlap(),
            example,
            str(folder / "model.onnx"),
            input_names=names,
            output_names=["logits"],
            dynamic_axes={name: {0: "batch", 1: "sequence"} for name in names} | {"logits": {0: "batch"}},
            dynamo=False,  # the TorchScript exporter: no onnxscript needed
        )
    shutil.copy(tokenizer_json, folder / "tokenizer.json")
    return folder


@pytest.fixture(scope="session")
def export(tmp_path_factory: pytest.TempPathFactory, model_dir: Path) -> Callable[..., Path]:
    def build(**options: Any) -> Path:
        return export_overlap_model(
            tmp_path_factory.mktemp("cross-encoder"), model_dir / "tokenizer.json", **options
        )

    return build


@pytest.fixture(scope="session")
def overlap_dir(export: Callable[..., Path]) -> Path:
    return export()


@pytest.fixture(scope="session")
def overlap(overlap_dir: Path) -> CrossEncoder:
    return CrossEncoder.load(overlap_dir)


def test_passages_sharing_more_of_the_query_score_higher(overlap: CrossEncoder) -> None:
    texts = [
        "The weather in Lisbon was mild all week.",
        "Check the oil level before a long drive.",
        "Low oil pressure can damage the engine.",
        "If the engine oil pressure warning lights up, stop the engine.",
    ]
    scores = overlap.score("engine oil pressure warning", texts)
    assert scores == [0.0, 1.0, 3.0, 5.0]  # every occurrence counts: "engine" twice in the last
    assert overlap.score("engine oil pressure warning", []) == []


@pytest.mark.parametrize("head", ["flat", "two"])
def test_a_single_score_or_two_class_scores_a_pair(export: Callable[..., Path], head: str) -> None:
    model = CrossEncoder.load(export(head=head))
    assert model.score("oil pressure", ["oil", "pressure and oil", "tyres"]) == [1.0, 2.0, 0.0]


def test_a_model_without_token_type_ids_gets_only_the_inputs_it_declares(
    export: Callable[..., Path],
) -> None:
    model = CrossEncoder.load(export(segments=False))
    # [CLS] engine [SEP] oil pressure warning [SEP], padding masked out: 4 word pieces
    assert model.score("engine", ["oil", "oil pressure warning"]) == [2.0, 4.0]


def test_a_batch_scores_as_each_pair_alone(overlap: CrossEncoder) -> None:
    paragraphs = [p.strip() for p in (RUST_BOOK / "ch04-01-what-is-ownership.md").read_text().split("\n\n")]
    texts = [p for p in paragraphs if p][:40]
    texts.append(" ".join(texts))  # far beyond the tokenizer's limit
    assert len(texts) > 2 * 16  # more than two batches, of different widths
    query = "ownership rules: each value has an owner, the stack and the heap"
    batched = overlap.score(query, texts)
    assert batched == [overlap.score(query, [text])[0] for text in texts]
    assert len(set(batched)) > 5 and max(batched) > 10


def test_long_passages_are_cut_not_the_query(overlap: CrossEncoder) -> None:
    filler = "lorem " * 600
    assert overlap.score("engine", [f"engine {filler}", f"{filler} engine"]) == [1.0, 0.0]
    long_query = "engine " + "ipsum " * 20
    assert overlap.score(long_query, [f"engine {filler}"]) == [1.0]


def test_a_folder_without_a_cross_encoder_is_refused_with_the_reason(
    tmp_path: Path, overlap_dir: Path, model_dir: Path, export: Callable[..., Path]
) -> None:
    with pytest.raises(CrossEncoderError, match="does not exist"):
        CrossEncoder.load(tmp_path / "nowhere")
    with pytest.raises(CrossEncoderError, match=r"no model\.onnx or tokenizer\.json"):
        CrossEncoder.load(tmp_path)
    shutil.copy(overlap_dir / "tokenizer.json", tmp_path / "tokenizer.json")
    with pytest.raises(CrossEncoderError, match=r"no model\.onnx;"):
        CrossEncoder.load(tmp_path)
    (tmp_path / "model.onnx").write_bytes(b"not a model")
    with pytest.raises(CrossEncoderError, match="cannot load the model"):
        CrossEncoder.load(tmp_path)
    (tmp_path / "tokenizer.json").write_text("{")
    with pytest.raises(CrossEncoderError, match="cannot read the tokenizer"):
        CrossEncoder.load(tmp_path)
    with pytest.raises(CrossEncoderError, match=r"takes inputs.*pixel_values"):
        CrossEncoder.load(export(inputs=("pixel_values",)))
    with pytest.raises(CrossEncoderError, match="looks like an embedding model"):
        CrossEncoder.load(model_dir)  # the app's own embedding model: a vector a word piece


def reranker_of(settings: Settings) -> CrossEncoder | None:
    from desktop_search.services import Services

    services = Services.open(settings)
    try:
        return services.reranker
    finally:
        services.close()


def test_the_setting_reaches_services_from_the_environment_and_the_command_line(
    tmp_path: Path, overlap_dir: Path
) -> None:
    assert reranker_of(Settings.resolve(data_dir=tmp_path / "default", environ={})) is None
    from_env = Settings.resolve(data_dir=tmp_path / "env", environ={RERANKER_ENV: str(overlap_dir)})
    args = build_parser().parse_args(
        ["--data-dir", str(tmp_path / "cli"), "--reranker", str(overlap_dir), "status"]
    )
    for settings in (from_env, settings_from(args)):
        reranker = reranker_of(settings)
        assert reranker is not None and reranker.folder == overlap_dir
        assert reranker.score("oil", ["oil", "water"]) == [1.0, 0.0]
    given = Settings.resolve(reranker=tmp_path, environ={RERANKER_ENV: str(overlap_dir)})
    assert given.reranker == tmp_path  # the option wins over the environment
    # "Open with": the folders after the options are added, and DIR is the option's, not one of them
    argv = ["--reranker", str(overlap_dir), str(tmp_path)]
    assert _split_folders(argv) == (argv[:2], [str(tmp_path)])


def test_a_wrong_reranker_folder_is_refused_on_first_use_not_at_start(tmp_path: Path) -> None:
    from desktop_search.services import Services

    services = Services.open(Settings.resolve(data_dir=tmp_path / "data", reranker=tmp_path, environ={}))
    try:
        with pytest.raises(CrossEncoderError, match=r"has no model\.onnx"):
            _ = services.reranker
        assert services.searcher().reranker is None  # searching goes on without it…
        assert any(
            "cross-encoder is off" in w and "model.onnx" in w for w in services.store.warnings
        )  # …and says why
    finally:
        services.close()


def test_search_puts_the_passages_the_cross_encoder_prefers_first(
    tmp_path: Path, overlap_dir: Path, overlap: CrossEncoder, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desktop_search.core import search
    from desktop_search.services import Services

    folder = tmp_path / "book"
    copy_files(sorted(RUST_BOOK.glob("ch04-*.md")) + sorted(RUST_BOOK.glob("ch08-*.md")), folder)
    services = Services.open(Settings.resolve(data_dir=tmp_path / "data", reranker=overlap_dir, environ={}))
    try:
        for _ in services.indexer().run([str(folder)]):
            pass
        searcher = services.searcher()
        query = "store a list of values in a vector and borrow a reference to one element"
        # It reads the second stage's best 30 passages: the first file holds its favourite of them.
        judged = overlap.score(query, [hit.best.text for hit in searcher.search(query, 5)])
        assert judged[0] == max(judged) and judged[0] > min(judged)
        monkeypatch.setattr(search, "RERANKED", 1000)  # every candidate read: its order throughout
        judged = overlap.score(query, [hit.best.text for hit in searcher.search(query, 5)])
        assert judged == sorted(judged, reverse=True) and judged[0] > judged[-1]
        searcher.reranker = None
        without = overlap.score(query, [hit.best.text for hit in searcher.search(query, 5)])
        assert without != judged  # the cross-encoder changed the order
    finally:
        services.close()
