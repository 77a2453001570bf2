"""The HNSW settings the vector store is searched with, on new collections and on older ones."""

from __future__ import annotations

from desktop_search.core.chroma_store import COLLECTION, HNSW, ChromaStore, trust_overrides


def searched_with(store: ChromaStore) -> dict[str, object]:
    return dict(store.collection.configuration_json["hnsw"])


def test_a_new_collection_is_cosine_and_searched_wide(tmp_path):
    store = ChromaStore(tmp_path / "chroma")
    try:
        hnsw = searched_with(store)
        assert hnsw["space"] == "cosine" and hnsw["ef_search"] == HNSW["ef_search"] > 100
    finally:
        store.close()


def test_a_collection_made_before_is_searched_as_wide_from_then_on(tmp_path):
    trust_overrides()
    import chromadb
    from chromadb.config import Settings

    client = chromadb.PersistentClient(
        path=str(tmp_path / "chroma"), settings=Settings(anonymized_telemetry=False)
    )
    # As the app made it before: Chroma's own ef_search (100).
    client.get_or_create_collection(
        COLLECTION, embedding_function=None, configuration={"hnsw": {"space": "cosine"}}
    )
    client.close()  # type: ignore[attr-defined]
    store = ChromaStore(tmp_path / "chroma")
    store.close()
    store = ChromaStore(tmp_path / "chroma")  # the setting is kept with the collection
    try:
        assert searched_with(store)["ef_search"] == HNSW["ef_search"]
    finally:
        store.close()
