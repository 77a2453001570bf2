"""Duplicates on real files: copies of a corpus file found as one search result and one group,
the same document in two formats and a lightly edited copy found near-identical, related files
(other chapters of the same book) not."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from desktop_search.core.duplicates import NEAR, linked_groups, similar_pairs
from desktop_search.services import Services
from tests.helpers import CORPUS, RUST_BOOK, copy_files, run_cli

DROP = RUST_BOOK / "ch15-03-drop.md"


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("dupes") / "files"
    for place in ("a", "b", "c"):
        copy_files([DROP], root / place)
    edited = DROP.read_text(encoding="utf-8").replace("Rust", "the language", 3)
    (root / "drop-edited.md").write_text(edited, encoding="utf-8")
    copy_files([RUST_BOOK / "ch15-01-box.md", RUST_BOOK / "ch16-01-threads.md"], root)
    legacy, converted = (
        "office/legacy/good/poi__saved-by-table.doc",
        "docx/good/converted__saved-by-table.docx",
    )
    copy_files([CORPUS / legacy, CORPUS / converted], root / "report")
    return root


@pytest.fixture(scope="module")
def data(folder: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("dupes-data")
    run_cli("index", str(folder), data_dir=data)
    return data


@pytest.fixture
def services(data: Path) -> Iterator[Services]:
    opened = Services.open(data)
    yield opened
    opened.close()


def test_copies_are_one_result_listing_every_path(services: Services, folder: Path) -> None:
    hits = services.searcher().search("drop trait cleanup code when a value goes out of scope", limit=3)
    copies = tuple(str(folder / place / DROP.name) for place in ("a", "b", "c"))
    (merged,) = [hit for hit in hits if hit.copies]
    assert merged.path in copies and merged.copies == copies
    others = [hit.path for hit in hits if hit is not merged]
    assert len(hits) == 3 and len(set(others)) == 2  # the limit is filled with distinct files
    assert not set(copies) & set(others)


def test_identical_group_with_its_space(services: Services, folder: Path) -> None:
    groups = services.duplicates().identical()
    assert len(groups) == 1
    (group,) = groups
    size = DROP.stat().st_size
    assert group.paths == tuple(str(folder / place / DROP.name) for place in ("a", "b", "c"))
    assert group.sizes == (size,) * 3 and group.total == 3 * size and group.wasted == 2 * size


def test_near_identical_finds_two_formats_and_an_edited_copy_not_related_files(
    services: Services, folder: Path
) -> None:
    groups = services.duplicates().near()
    found = {frozenset(group.paths) for group in groups}
    report = frozenset(str(path) for path in (folder / "report").iterdir())
    edited = frozenset({str(folder / "a" / DROP.name), str(folder / "drop-edited.md")})
    assert found == {report, edited}
    assert all(NEAR <= group.similarity < 1.0 for group in groups)
    doc = next(group for group in groups if frozenset(group.paths) == report)
    assert doc.wasted == min(doc.sizes)  # keeping the larger of the two frees the smaller


def test_duplicates_command_text_and_json(data: Path, folder: Path) -> None:
    text = run_cli("duplicates", data_dir=data).stdout
    identical, near = text.split("Near-identical files")
    assert identical.startswith("Identical files: 1 group,")
    assert "3 copies:" in identical and str(folder / "c" / DROP.name) in identical
    assert str(folder / "drop-edited.md") in near and "converted__saved-by-table.docx" in near
    groups = json.loads(run_cli("duplicates", "--json", data_dir=data).stdout)
    assert [group["identical"] for group in groups] == [True, False, False]
    assert groups[0]["wasted"] == 2 * DROP.stat().st_size
    assert groups[1]["wasted"] >= groups[2]["wasted"]  # largest waste first

    hits = json.loads(run_cli("search", "drop trait", "--json", data_dir=data).stdout)
    assert [len(hit.get("copies", [])) for hit in hits if hit["path"].endswith(DROP.name)] == [3]
    lines = run_cli("search", "drop trait", data_dir=data).stdout.splitlines()
    assert [line for line in lines if "(3 copies)" in line] == [
        line for line in lines if f"/{DROP.name}" in line
    ]


def test_groups_form_from_blocks_of_a_large_matrix(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pairs found a few rows at a time are the pairs of the whole product; linked pairs join."""
    rows = np.random.default_rng(7).normal(size=(300, 16)).astype(np.float32)
    rows[10] = rows[5]
    rows[200] = rows[5] + 0.01
    rows[201] = rows[200] + 0.01
    rows /= np.linalg.norm(rows, axis=1, keepdims=True)
    monkeypatch.setattr("desktop_search.core.duplicates.BLOCK", 300 * 7)  # 7 rows per block
    pairs = list(similar_pairs(rows, 0.99))
    assert {(i, j) for i, j, _ in pairs} == {(5, 10), (5, 200), (5, 201), (10, 200), (10, 201), (200, 201)}
    assert [sorted(group) for group, _ in linked_groups(pairs)] == [[5, 10, 200, 201]]
