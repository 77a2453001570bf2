"""Scale-out: vectors on a Chroma server; one desktop indexes, another searches."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import RUST_BOOK, copy_files, run_cli


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
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=1)
            break
        except OSError:
            time.sleep(0.3)
    else:
        server.kill()
        pytest.fail("chroma run did not start")
    yield url
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
