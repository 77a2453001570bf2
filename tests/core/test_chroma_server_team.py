"""A team on one Chroma server (`chroma run`): several desktops indexing into it at once, and the
server going away and coming back."""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.request
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import chromadb
import pytest

from desktop_search.core.search import Searcher
from desktop_search.services import Services
from desktop_search.settings import Settings
from tests.core.test_server import free_port
from tests.helpers import RUST_BOOK, assert_consistent, cli_command, copy_files, run, run_cli, wait_for


class ChromaServer:
    """`chroma run` on 127.0.0.1, stopped and started again on the same port and folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        chroma = Path(sys.executable).with_name("chroma")
        command = [
            str(chroma),
            "run",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--path",
            str(self.folder),
        ]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for(self.answers, f"chroma run answering on {self.url}")

    def answers(self) -> bool:
        assert self.process is not None and self.process.poll() is None, "chroma run exited"
        try:
            urllib.request.urlopen(f"{self.url}/api/v2/heartbeat", timeout=5)
        except OSError:
            return False
        return True

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(30)
            self.process = None

    def vectors(self) -> dict[str, Any]:
        """Every vector's id and metadata, read straight from the server."""
        client = chromadb.HttpClient(host="127.0.0.1", port=self.port)
        return client.get_collection("passages").get(include=["metadatas"])


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ChromaServer]:
    chroma = ChromaServer(tmp_path / "server")
    try:
        yield chroma
    finally:
        chroma.stop()


def open_desktop(data: Path, url: str) -> Services:
    return Services.open(Settings.resolve(data_dir=data, chroma_url=url))


def paths_found(searcher: Searcher, query: str) -> dict[str, str]:
    """path -> best snippet of each file the query finds."""
    return {hit.path: hit.best.snippet for hit in searcher.search(query, limit=10)}


def test_three_desktops_index_into_one_server_at_once(tmp_path, server):
    server.start()
    common = copy_files(
        [RUST_BOOK / "ch06-02-match.md", RUST_BOOK / "ch03-04-comments.md"], tmp_path / "common"
    )
    slices = RUST_BOOK / "ch04-03-slices.md"  # the same bytes on two desktops, at different paths
    own = {
        "a": [*sorted(RUST_BOOK.glob("ch15-0*.md")), slices],
        "b": sorted(RUST_BOOK.glob("ch08-0*.md")),
        "c": [*sorted(RUST_BOOK.glob("ch19-0*.md")), slices],
    }
    folders = {name: copy_files(files, tmp_path / f"docs-{name}")[0].parent for name, files in own.items()}
    # a and b also index the same path (a share mounted alike): the same catalog ids on both.
    roots = {
        "a": [folders["a"], common[0].parent],
        "b": [folders["b"], common[0].parent],
        "c": [folders["c"]],
    }
    indexers = [
        subprocess.Popen(
            [
                *cli_command(tmp_path / f"desktop-{name}"),
                "--chroma-url",
                server.url,
                "index",
                *map(str, paths),
            ],
            stdout=subprocess.DEVNULL,
            stderr=(tmp_path / f"{name}.log").open("w"),  # a file: a full pipe would stall the run
        )
        for name, paths in roots.items()
    ]
    searcher_desktop = open_desktop(tmp_path / "desktop-searcher", server.url)
    try:
        searches = 0
        while any(indexer.poll() is None for indexer in indexers) or searches == 0:
            paths_found(searcher_desktop.searcher(), "smart pointers and hash maps")  # never raises
            searches += 1
        for name, indexer in zip(roots, indexers):
            assert indexer.wait() == 0, (tmp_path / f"{name}.log").read_text()

        desktops = {name: open_desktop(tmp_path / f"desktop-{name}", server.url) for name in roots}
        try:
            stored = server.vectors()
            assert len(stored["ids"]) == len(set(stored["ids"]))
            per_desktop = Counter(meta["desktop"] for meta in stored["metadatas"])
            passages = {name: d.store.catalog.passage_count() for name, d in desktops.items()}
            assert sum(per_desktop.values()) == sum(passages.values()), "no vector lost, none twice"
            assert sorted(per_desktop.values()) == sorted(passages.values())
            for services in desktops.values():
                assert services.store.vector_store_problem() is None
                assert_consistent(services)  # each desktop's own vectors: exactly its passages

            # Each desktop finds the others' files, shown from the vectors' text and place.
            wanted = {
                "c": ("Rc reference counting smart pointer", folders["a"] / "ch15-04-rc.md"),
                "a": ("hash map insert a key and a value", folders["b"] / "ch08-03-hash-maps.md"),
                "b": ("refutable and irrefutable patterns", folders["c"] / "ch19-02-refutability.md"),
            }
            for name, (query, other) in wanted.items():
                found = paths_found(desktops[name].searcher(), query)
                assert str(other) in found, f"desktop {name} should find {other.name}: {list(found)}"
                assert found[str(other)].strip()
                assert str(other) in paths_found(searcher_desktop.searcher(), query)

            # A file changed then deleted on desktop a: only a's vectors of it change.
            b_before = per_desktop[desktops["b"].store.vector_store.desktop]  # type: ignore[attr-defined]
            common[0].write_text("# Match\n\nA short note about the match control flow construct.\n")
            run(desktops["a"])
            assert_consistent(desktops["a"])
            common[0].unlink()
            run(desktops["a"])
            assert_consistent(desktops["a"])
            after = Counter(meta["desktop"] for meta in server.vectors()["metadatas"])
            assert after[desktops["b"].store.vector_store.desktop] == b_before  # type: ignore[attr-defined]
            assert_consistent(desktops["b"])
        finally:
            for services in desktops.values():
                services.close()
    finally:
        searcher_desktop.close()
        for indexer in indexers:
            if indexer.poll() is None:
                indexer.kill()


def status_totals(data: Path, url: str) -> dict[str, Any]:
    result = run_cli("--chroma-url", url, "status", "--json", data_dir=data)
    return dict(json.loads(result.stdout)["totals"])


def test_a_desktop_started_while_the_server_is_down_catches_up_when_it_returns(tmp_path, server):
    docs = copy_files(sorted(RUST_BOOK.glob("ch16-0*.md")), tmp_path / "docs")[0].parent
    data = tmp_path / "desktop"

    down = run_cli("--chroma-url", server.url, "index", str(docs), data_dir=data, check=False)
    assert down.returncode != 0
    assert "unreachable" in down.stderr and "wait for their vectors" in down.stderr
    totals = status_totals(data, server.url)
    assert totals["indexed"] == 5, "the reading pass completed"
    assert totals["passages_waiting_for_vectors"] == totals["passages"] > 0
    assert "unreachable" in totals["vector_store_problem"]
    assert totals["searchable_by_meaning"] is False

    searched = run_cli("--chroma-url", server.url, "search", "mutex", "--json", data_dir=data)
    hits = json.loads(searched.stdout)
    assert hits and Path(hits[0]["path"]).name == "ch16-03-shared-state.md", "keyword search works"
    assert "searching by keyword only" in searched.stderr

    server.start()
    run_cli("--chroma-url", server.url, "index", data_dir=data)
    totals = status_totals(data, server.url)
    assert totals["passages_waiting_for_vectors"] == 0
    assert totals["vector_store_problem"] is None and totals["searchable_by_meaning"] is True
    assert len(server.vectors()["ids"]) == totals["passages"]


def test_the_server_stopping_mid_indexing_leaves_the_rest_waiting_until_it_returns(tmp_path, server):
    from tests.helpers import wait_for_catalog

    server.start()
    docs = copy_files(sorted(RUST_BOOK.glob("ch1[0-3]-0*.md")), tmp_path / "docs")[0].parent
    data = tmp_path / "desktop"
    indexer = subprocess.Popen(
        [*cli_command(data), "--chroma-url", server.url, "index", str(docs)],
        stdout=subprocess.DEVNULL,
        stderr=(tmp_path / "index.log").open("w"),
    )
    try:
        wait_for_catalog(data / "catalog.sqlite3", "SELECT COUNT(*) FROM files WHERE synced = 1", indexer)
        server.stop()
        indexer.wait(600)
    finally:
        if indexer.poll() is None:
            indexer.kill()
    assert indexer.returncode != 0 and "unreachable" in (tmp_path / "index.log").read_text()
    totals = status_totals(data, server.url)
    assert 0 < totals["passages_waiting_for_vectors"] < totals["passages"]
    assert "unreachable" in totals["vector_store_problem"]

    server.start()  # the same folder: the vectors stored before the stop are still there
    desktop = open_desktop(data, server.url)
    try:
        assert not desktop.store.warnings
        summary = run(desktop)
        assert summary.embedded > 0
        assert_consistent(desktop)  # every passage's vector once, none lost in the stop
        assert len(server.vectors()["ids"]) == desktop.store.catalog.passage_count()
    finally:
        desktop.close()
