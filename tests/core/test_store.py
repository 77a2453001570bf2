"""A lost or damaged vector index is detected and rebuilt from the catalog; the lock holds."""

from __future__ import annotations

import shutil

import pytest

from desktop_search.core.store import DataDirError, Store
from tests.helpers import RUST_BOOK, assert_consistent, copy_files, run


@pytest.fixture
def indexed(tmp_path, services_factory):
    folder = tmp_path / "docs"
    copy_files(sorted(RUST_BOOK.glob("ch0[3]-0*.md"))[:3], folder)
    services = services_factory("data")
    run(services, [str(folder)])
    services.close()
    return tmp_path / "data"


def test_deleted_vector_index_is_rebuilt_without_readding_folders(indexed, services_factory):
    shutil.rmtree(indexed / "chroma")
    services = services_factory("data")
    assert services.searcher().search("variables", 3, mode="keyword"), "keywords work meanwhile"
    summary = run(services)
    assert any("lacks" in warning for warning in summary.warnings), "found before the first indexing"
    assert summary.reused == 0 and summary.embedded > 0
    assert_consistent(services)
    assert services.searcher().search("shadowing a variable", 3, mode="vector")


def test_damaged_vector_index_is_moved_aside_and_rebuilt(indexed, services_factory):
    (indexed / "chroma" / "chroma.sqlite3").write_bytes(b"this is not a database" * 100)
    services = services_factory("data")
    assert any("damaged" in warning for warning in services.store.warnings)
    assert list(indexed.glob("chroma.damaged-*"))
    run(services)
    assert_consistent(services)


def test_one_process_owns_a_data_directory(indexed):
    first = Store(indexed)
    try:
        with pytest.raises(DataDirError, match="another Desktop Search process"):
            Store(indexed)
    finally:
        first.close()
    Store(indexed).close()  # released on close


def test_data_directory_is_private(indexed):
    assert (indexed.stat().st_mode & 0o077) == 0


def test_switching_the_model_embeds_everything_again(indexed):
    from desktop_search.services import Services

    first = Services.open(str(indexed), model_file="model.onnx")
    assert any("model changed" in w for w in first.store.warnings)  # the fixture used the default
    assert not any(f.synced for f in first.store.catalog.files())
    summary = run(first)
    assert summary.reused == 0 and summary.embedded > 0
    assert_consistent(first)
    first.close()
    again = Services.open(str(indexed), model_file="model.onnx")
    assert again.store.warnings == [] and all(f.synced for f in again.store.catalog.files())
    again.close()


def test_vectors_in_a_child_process_survive_its_death(indexed, services_factory):
    """The window keeps Chroma in a child process; if that dies (killed, out of memory), the next
    call starts another and nothing is lost."""
    import os
    import signal

    services = services_factory("data", isolated=True)
    assert services.store.warnings == []
    vectors = services.store.vector_store
    first_pid = vectors.pid
    assert first_pid and first_pid != os.getpid()
    before = [hit.path for hit in services.searcher().search("shadowing a variable", 3, mode="vector")]
    assert before
    os.kill(first_pid, signal.SIGKILL)
    after = [hit.path for hit in services.searcher().search("shadowing a variable", 3, mode="vector")]
    assert after == before and vectors.pid != first_pid
    folder = indexed.parent / "docs"
    extra = copy_files(sorted(RUST_BOOK.glob("ch03-05*.md")), folder)
    summary = run(services, [str(folder)])
    assert summary.indexed == len(extra) and summary.embedded > 0
    assert_consistent(services)
