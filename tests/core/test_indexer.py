"""Incremental re-indexing, per-file consistency, and resuming after a kill."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

from desktop_search.core.indexer import FileIndexed, Progress
from desktop_search.core.library_status import vector_state
from tests.helpers import (
    CORPUS,
    RUST_BOOK,
    assert_consistent,
    cli_command,
    copy_files,
    run,
    wait_for_catalog,
)

SMALL_BOOK = sorted(RUST_BOOK.glob("ch0[3-4]-0*.md"))[:6]


def search_paths(services, query: str, mode: str = "hybrid") -> list[str]:
    return [hit.path for hit in services.searcher().search(query, 10, mode=mode)]


def test_first_run_indexes_and_second_run_skips_everything(tmp_path, services_factory):
    folder = tmp_path / "docs"
    copy_files(SMALL_BOOK, folder)
    services = services_factory()
    first = run(services, [str(folder)])
    assert first.indexed == len(SMALL_BOOK) and first.passages > 20
    assert first.embedded == first.passages - first.reused
    assert_consistent(services)
    second = run(services)
    assert (second.indexed, second.unchanged, second.embedded) == (0, len(SMALL_BOOK), 0)


def test_change_delete_and_rename(tmp_path, services_factory):
    folder = tmp_path / "docs"
    files = copy_files(SMALL_BOOK, folder)
    services = services_factory()
    run(services, [str(folder)])

    changed = files[0]
    changed.write_text(
        changed.read_text(encoding="utf-8") + "\n\nZanzibar pelicans juggle quinces.\n", encoding="utf-8"
    )
    deleted = files[1]
    deleted_words = '"' + " ".join(deleted.read_text(encoding="utf-8").split()[5:9]) + '"'
    assert search_paths(services, deleted_words, "keyword") == [str(deleted)]
    deleted.unlink()
    renamed = files[2].rename(folder / "renamed chapter.md")

    summary = run(services)
    assert summary.indexed == 2  # the changed file and the renamed one
    assert summary.removed == 2  # the deleted file and the old name
    assert summary.embedded <= 3, "unchanged passages (also of the renamed file) reuse their vectors"
    assert_consistent(services)
    assert search_paths(services, "Zanzibar pelicans")[0] == str(changed)
    assert str(deleted) not in search_paths(services, deleted_words, "keyword")
    paths = {f.path for f in services.store.catalog.files()}
    assert str(renamed) in paths and str(files[2]) not in paths and str(deleted) not in paths


def test_touched_but_identical_file_is_not_reindexed(tmp_path, services_factory):
    folder = tmp_path / "docs"
    files = copy_files(SMALL_BOOK[:2], folder)
    services = services_factory()
    run(services, [str(folder)])
    os.utime(files[0], (time.time() + 60, time.time() + 60))
    summary = run(services)
    assert (summary.indexed, summary.unchanged) == (0, len(files))


def test_failures_get_a_status_and_the_run_goes_on(tmp_path, services_factory):
    folder = tmp_path / "mixed"
    copy_files(
        [
            CORPUS / "pdf" / "broken" / "derived_zero_bytes.pdf",
            CORPUS / "pdf" / "encrypted" / "pypdf__r6-user-password.pdf",
            CORPUS / "pdf" / "scanned" / "pdfjs__issue7229.pdf",
            CORPUS
            / "ebook"
            / "epub"
            / "broken"
            / "epubcheck__ocf-zip-unreadable-image-with-epub-extension-fatal.epub",
            CORPUS / "pdf" / "good" / "samplefiles__pdflatex-4-pages.pdf",
        ],
        folder,
    )
    services = services_factory()
    events = list(services.indexer().run([str(folder)]))
    statuses = {Path(e.path).name: e.status for e in events if isinstance(e, FileIndexed)}
    assert statuses == {
        "derived_zero_bytes.pdf": "error",
        "pypdf__r6-user-password.pdf": "password",
        "pdfjs__issue7229.pdf": "no text",
        "epubcheck__ocf-zip-unreadable-image-with-epub-extension-fatal.epub": "unsupported",  # a JPEG
        "samplefiles__pdflatex-4-pages.pdf": "indexed",
    }
    assert events[-1].failed["password"] == 1
    hits = services.searcher().search("pdflatex", 5)
    assert hits[0].path.endswith("samplefiles__pdflatex-4-pages.pdf") and hits[0].best.page >= 1


def test_keywords_are_searchable_before_embedding_finishes(tmp_path, services_factory):
    folder = tmp_path / "docs"
    copy_files(SMALL_BOOK, folder)
    services = services_factory()
    events = services.indexer().run([str(folder)])
    for event in events:
        if isinstance(event, Progress) and event.phase == "embedding":
            break
    searcher = services.searcher()
    assert searcher.search("ownership", 3, mode="keyword"), "keyword hits before any vector"
    events.close()  # cancel mid-embedding
    assert any(not f.synced for f in services.store.catalog.files())
    # What `status --json` says of each file: read, its vectors still to come.
    states = {vector_state(f) for f in services.store.catalog.files()}
    assert "waiting" in states and services.library().status().waiting_passages > 0
    run(services)
    assert_consistent(services)
    assert {vector_state(f) for f in services.store.catalog.files()} == {"stored"}
    assert services.library().status().waiting_passages == 0


def test_removing_a_folder_removes_its_passages(tmp_path, services_factory):
    first, second = tmp_path / "one", tmp_path / "two"
    copy_files(SMALL_BOOK[:2], first)
    copy_files(SMALL_BOOK[2:4], second)
    services = services_factory()
    run(services, [str(first), str(second)])
    services.store.catalog.remove_folder(str(first))
    run(services, rescan=False)
    assert_consistent(services)
    assert {Path(f.folder) for f in services.store.catalog.files()} == {second}


def test_killed_run_resumes_without_duplicates_or_half_files(tmp_path, services_factory):
    folder = tmp_path / "docs"
    # ~415 passages: two embedding windows, so there is a moment when some files have vectors.
    copy_files(sorted(RUST_BOOK.glob("ch0[3-9]*.md")), folder)
    data = tmp_path / "data"
    command = [*cli_command(data), "index", str(folder)]
    # Kill once when keywords are in but no vector yet, once in the middle of embedding.
    moments = [
        "SELECT COUNT(*) FROM files WHERE synced = 0 AND passages > 0",
        "SELECT (SELECT COUNT(*) FROM files WHERE synced = 1 AND passages > 0) > 0"
        " AND (SELECT COUNT(*) FROM files WHERE synced = 0) > 0",
    ]
    for moment in moments:
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for_catalog(data / "catalog.sqlite3", moment, process)
        process.send_signal(signal.SIGKILL)
        process.wait()
    finished = subprocess.run(command, capture_output=True, text=True, check=True)
    assert "indexed" in finished.stdout
    services = services_factory("data")
    assert_consistent(services)
    on_disk = sorted(str(p) for p in folder.iterdir())
    assert sorted(f.path for f in services.store.catalog.files()) == on_disk
    for record in services.store.catalog.files():
        assert record.status == "indexed" and record.passages == len(
            services.store.catalog.passages_of(record.key)
        )


def test_copies_reuse_vectors_and_still_report_progress(tmp_path, services_factory):
    original, copies = tmp_path / "original", tmp_path / "copies"
    copy_files(SMALL_BOOK, original)
    copy_files(SMALL_BOOK, copies)
    services = services_factory()
    run(services, [str(original)])
    events = list(services.indexer().run([str(copies)]))
    embedding = [e for e in events if isinstance(e, Progress) and e.phase == "embedding"]
    summary = events[-1]
    assert summary.embedded == 0 and summary.reused == summary.passages > 0
    assert len(embedding) >= 2 and embedding[-1].done == embedding[-1].total == summary.passages
    assert [e.done for e in embedding] == sorted(e.done for e in embedding)
    assert_consistent(services)
