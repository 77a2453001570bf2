"""The catalog on a real SQLite file: files and passages saved as one unit, folders, exclusions,
connections for other threads, and the read queries search runs."""

from __future__ import annotations

import os
import sqlite3
import threading

import pytest

from desktop_search.core.catalog import Catalog, file_key
from desktop_search.core.chunking import Passage
from desktop_search.core.filters import Filters
from desktop_search.core.snippets import MARK_CLOSE, MARK_OPEN


def passages(*texts: str) -> list[Passage]:
    return [Passage(seq, None, 0, len(text), text) for seq, text in enumerate(texts)]


def save(catalog: Catalog, path: str, folder: str, *texts: str, kind: str = "text", mtime: float = 1000.0):
    catalog.save_file(
        path=path,
        folder=folder,
        kind=kind,
        size=len(" ".join(texts)),
        mtime=mtime,
        hash=f"hash of {path}",
        status="indexed",
        reason=None,
        passages=passages(*texts),
    )


@pytest.fixture
def catalog(tmp_path):
    opened = Catalog(tmp_path / "catalog.sqlite3")
    yield opened
    opened.close()


@pytest.fixture
def tree(tmp_path, catalog):
    """An added folder with a sub-folder, and a sibling whose name starts like the sub-folder."""
    docs = str(tmp_path / "docs")
    paths = {
        "top": str(tmp_path / "docs" / "top.md"),
        "sub": str(tmp_path / "docs" / "sub" / "inner.md"),
        "subway": str(tmp_path / "docs" / "subway" / "station.md"),
        "pdf": str(tmp_path / "docs" / "sub" / "manual.pdf"),
    }
    catalog.add_folder(docs)
    save(catalog, paths["top"], docs, "The borrow checker guards references.", "Nothing here.")
    save(catalog, paths["sub"], docs, "A borrow ends where its last use is.", mtime=2000.0)
    save(catalog, paths["subway"], docs, "Trains borrow nothing from the checker.", mtime=3000.0)
    save(catalog, paths["pdf"], docs, "Borrow rules, printed.", kind="pdf", mtime=2500.0)
    return docs, paths


def test_save_file_replaces_passages_and_record_as_one_unit(catalog, tmp_path):
    path, folder = str(tmp_path / "a.md"), str(tmp_path)
    save(catalog, path, folder, "one", "two", "three")
    save(catalog, path, folder, "four")
    assert [p.text for p in catalog.passages_of(file_key(path))] == ["four"]
    assert catalog.file(path).passages == 1 and catalog.passage_count() == 1

    duplicate_seq = [Passage(0, None, 0, 4, "five"), Passage(0, None, 0, 3, "six")]
    with pytest.raises(sqlite3.IntegrityError):
        catalog.save_file(
            path=path,
            folder=folder,
            kind="text",
            size=9,
            mtime=2.0,
            hash="new",
            status="indexed",
            reason=None,
            passages=duplicate_seq,
        )
    # The failed save changed nothing: not the passages, not the record.
    assert [p.text for p in catalog.passages_of(file_key(path))] == ["four"]
    assert catalog.file(path).hash == f"hash of {path}"


def test_remove_folder_marks_its_files_deleted(catalog, tree):
    docs, paths = tree
    assert catalog.remove_folder(docs) == 4
    assert catalog.folders() == []
    assert list(catalog.files()) == [] and catalog.passage_count() == 0
    record = catalog.file(paths["top"])
    assert record.status == "deleted" and record.passages == 0 and not record.synced
    assert {r.path for r in catalog.unsynced()} == set(paths.values())  # their vectors must go


def test_invalidate_makes_the_next_scan_read_the_file(catalog, tree):
    _, paths = tree
    catalog.invalidate([paths["top"]])
    record = catalog.file(paths["top"])
    assert record.size == -1 and record.hash is None
    assert catalog.file(paths["sub"]).hash is not None


def test_exclusions_are_replaced_as_a_whole(catalog):
    catalog.set_exclusions(["*.log", "build/"])
    assert catalog.exclusions() == ["*.log", "build/"]
    catalog.set_exclusions(["node_modules/"])
    assert catalog.exclusions() == ["node_modules/"]


def test_a_new_connection_sees_writes_from_another_thread(catalog, tmp_path):
    other = catalog.new_connection()
    try:
        assert other.db is not catalog.db
        path = str(tmp_path / "later.md")
        writer = threading.Thread(target=save, args=(catalog, path, str(tmp_path), "written later"))
        writer.start()
        writer.join()
        assert other.file(path) is not None and other.passage_count() == 1
    finally:
        other.close()


def test_keyword_ranking_honours_kind_time_and_folder_filters(catalog, tree):
    docs, paths = tree
    retrieval = catalog.retrieval
    everything = retrieval.ranked_passages('"borrow"', Filters(), 10)
    assert len(everything) == 4
    by_path = {row.id: row.path for row in retrieval.passage_rows(everything)}

    def paths_for(filters: Filters) -> set[str]:
        return {by_path[i] for i in retrieval.ranked_passages('"borrow"', filters, 10)}

    assert paths_for(Filters(kinds=("pdf",))) == {paths["pdf"]}
    assert paths_for(Filters(modified_after=2000.0, modified_before=2500.0)) == {paths["sub"], paths["pdf"]}
    assert paths_for(Filters(folders=(docs,))) == set(paths.values())
    sub = os.path.join(docs, "sub")
    assert paths_for(Filters(folders=(sub,))) == {paths["sub"], paths["pdf"]}, "not docs/subway"
    assert paths_for(Filters(folders=(sub + os.sep,))) == {paths["sub"], paths["pdf"]}
    assert paths_for(Filters(folders=(paths["top"],))) == {paths["top"]}  # a file is its own folder
    assert paths_for(Filters(folders=(os.path.join(docs, "nowhere"),))) == set()


def test_name_ranking_and_passage_ids_under_filters(catalog, tree):
    docs, paths = tree
    retrieval = catalog.retrieval
    assert retrieval.ranked_files_by_name('"station"', Filters(), 10) == [file_key(paths["subway"])]
    assert retrieval.ranked_files_by_name('"subway"', Filters(folders=(os.path.join(docs, "sub"),)), 10) == []
    places = [(file_key(paths["sub"]), 0), (file_key(paths["subway"]), 0), (file_key(paths["top"]), 5)]
    found = retrieval.passage_ids(places, Filters(folders=(os.path.join(docs, "sub"),)))
    assert list(found) == [(file_key(paths["sub"]), 0)]  # subway filtered out, top has no seq 5
    first = retrieval.first_passages([file_key(paths["top"])])
    assert retrieval.files_of_passages(list(first.values())) == {
        first[file_key(paths["top"])]: file_key(paths["top"])
    }


def test_matching_mentions_and_highlights(catalog, tree):
    _, paths = tree
    retrieval = catalog.retrieval
    ids = retrieval.ranked_passages('"borrow"', Filters(), 10)
    checker = retrieval.matching('"checker"', ids)
    assert {row.path for row in retrieval.passage_rows(list(checker))} == {paths["top"], paths["subway"]}
    keys = [file_key(p) for p in paths.values()]
    assert retrieval.files_mentioning('"trains"', keys) == {file_key(paths["subway"])}
    marked = retrieval.highlighted('"references"', ids, MARK_OPEN, MARK_CLOSE)
    assert list(marked.values()) == [f"The borrow checker guards {MARK_OPEN}references{MARK_CLOSE}."]
