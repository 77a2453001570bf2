"""The indexer's account of where the embedding pass goes (benchmarks/scale.py reports it)."""

from __future__ import annotations

from desktop_search.core.embedding import BATCH_SIZE
from tests.helpers import RUST_BOOK, copy_files, run


def test_embedder_and_vector_store_time_is_split_out_of_the_run(tmp_path, services_factory):
    folder = tmp_path / "docs"
    copy_files(sorted(RUST_BOOK.glob("ch03-0*.md"))[:3], folder)
    services = services_factory()
    first = run(services, [str(folder)])
    assert first.embedded > BATCH_SIZE  # several embedder calls were timed
    assert first.embed_seconds > 0 and first.store_seconds > 0
    assert first.embed_seconds + first.store_seconds <= first.seconds - first.keyword_seconds

    again = run(services)  # nothing changed: nothing embedded, nothing written
    assert (again.embedded, again.embed_seconds, again.store_seconds) == (0, 0.0, 0.0)
