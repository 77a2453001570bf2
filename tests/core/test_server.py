"""Scale-out: vectors on a Chroma server; one desktop indexes, another searches."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from tests.helpers import RUST_BOOK, copy_files, run_cli, wait_for


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def chroma_server(tmp_path):
    port = free_port()
    chroma = Path(sys.executable).with_name("chroma")
    server = subprocess.Popen(
        [str(chroma), "run", "--host", "127.0.0.1", "--port", str(port), "--path", str(tmp_path / "server")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"

    def answers() -> bool:
        assert server.poll() is None, "chroma run exited before it answered"
        try:
            urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=5)
        except OSError:
            return False
        return True

    try:
        wait_for(answers, f"chroma run answering on {url}")
        yield url
    finally:
        server.terminate()
        server.wait(10)


def test_index_on_one_desktop_and_search_from_another(tmp_path, chroma_server):
    docs = tmp_path / "shared-drive"
    copy_files(sorted(RUST_BOOK.glob("ch16-0*.md")), docs)
    run_cli("--chroma-url", chroma_server, "index", str(docs), data_dir=tmp_path / "desktop-a")
    hits = json.loads(
        run_cli(
            "--chroma-url",
            chroma_server,
            "search",
            "sharing data between threads with a mutex",
            "--json",
            data_dir=tmp_path / "desktop-b",
        ).stdout
    )
    assert Path(hits[0]["path"]).name == "ch16-03-shared-state.md"
    assert hits[0]["snippet"].strip()
    local = json.loads(
        run_cli(
            "--chroma-url", chroma_server, "search", "mutex", "--json", data_dir=tmp_path / "desktop-a"
        ).stdout
    )
    assert local and local[0]["highlights"], "the indexing desktop also has the keyword index"
