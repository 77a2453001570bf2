"""`desktop-search serve` and the command line's searches it answers: the same output as searched
in-process, the fallback when no instance runs, a stale socket, user-only permissions, bad requests,
several clients at once, and a clean stop."""

from __future__ import annotations

import json
import os
import signal
import socket
import stat
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from desktop_search.core.query_server import Channel, socket_path
from tests.helpers import CORPUS, cli_command, copy_files, run_cli, wait_for

FILES = [
    CORPUS / "text" / "rust-book" / "ch16-03-shared-state.md",
    CORPUS / "text" / "rust-book" / "ch09-01-unrecoverable-errors-with-panic.md",
    CORPUS / "text" / "rust-book" / "ch15-03-drop.md",
    CORPUS / "text" / "debian-doc" / "gnupg__KEYSERVER.txt",
    CORPUS / "pdf" / "good" / "pdfjs__file_pdfjs_test.pdf",
    CORPUS / "docx" / "good" / "poi__heading123.docx",
]
SEARCHES = [
    ("sharing data between threads with a mutex",),
    ("what happens when the program panics", "--passages", "3"),
    ("key server listings", "--json", "--passages", "2"),
    ("cleanup when a value goes out of scope", "--mode", "vector", "--limit", "2"),
    ("Mutex type:md", "--sort", "name", "--json"),
    ("zqxv blorft", "--nearest"),
]
HEAVY = ("numpy", "onnxruntime", "chromadb", "PySide6", "pymupdf")


@pytest.fixture(scope="module")
def indexed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("serve")
    copy_files(FILES, root / "lib")
    run_cli("index", str(root / "lib"), data_dir=root / "data")
    return root / "data"


def start_serve(data_dir: Path, *options: str) -> subprocess.Popen[str]:
    """`desktop-search serve`, once it says it answers (its first line on stderr)."""
    process = subprocess.Popen(
        [*cli_command(data_dir), "serve", *options], stderr=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert process.stderr is not None
    line = process.stderr.readline()
    assert line.startswith("answering searches on "), line + process.stderr.read()
    return process


def stop(process: subprocess.Popen[str]) -> int:
    process.send_signal(signal.SIGTERM)
    return process.wait(timeout=120)  # only turns a hang into a failure


@pytest.fixture(scope="module")
def in_process(indexed: Path) -> dict[tuple[str, ...], str]:
    """Each search's output with no instance running: the fallback, which is today's path."""
    assert Channel.connect(socket_path(indexed)) is None
    return {args: run_cli("search", *args, data_dir=indexed).stdout for args in SEARCHES}


@pytest.fixture(scope="module")
def served(indexed: Path, in_process: dict[tuple[str, ...], str]) -> Iterator[Path]:
    process = start_serve(indexed, "--no-watch")
    yield indexed
    assert stop(process) == 0


@pytest.mark.parametrize("args", SEARCHES, ids=lambda args: " ".join(args))
def test_a_served_search_prints_what_an_in_process_one_prints(served, in_process, args) -> None:
    assert in_process[args].strip()
    assert run_cli("search", *args, data_dir=served).stdout == in_process[args]


def test_queries_in_a_batch_are_served_the_same(served, tmp_path) -> None:
    batch = tmp_path / "queries.txt"
    batch.write_text("mutex\n\nkey server\npanic unwinding\n", encoding="utf-8")
    served_lines = run_cli("search", "--queries", str(batch), data_dir=served).stdout
    from_stdin = run_cli("search", "--queries", "-", data_dir=served, input=batch.read_text()).stdout
    assert served_lines == from_stdin
    records = [json.loads(line) for line in served_lines.splitlines()]
    assert [r["query"] for r in records] == ["mutex", "key server", "panic unwinding"]
    assert Path(records[0]["hits"][0]["path"]).name == "ch16-03-shared-state.md"


def test_the_served_path_imports_nothing_heavy(served) -> None:
    command = [sys.executable, "-X", "importtime", "-m", "desktop_search", "--data-dir", str(served)]
    result = subprocess.run([*command, "search", "mutex"], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0 and "shared-state" in result.stdout
    imported = {line.split("|")[-1].strip().split(".")[0] for line in result.stderr.splitlines()}
    assert "desktop_search" in imported
    assert not imported & set(HEAVY)


def test_local_searches_in_process_even_when_served(served) -> None:
    result = run_cli("search", "mutex", "--local", data_dir=served, check=False)
    assert result.returncode == 3  # the running instance holds the index: today's message
    assert "another Desktop Search process" in result.stderr


def test_an_unknown_type_is_refused_as_in_process(served, indexed) -> None:
    result = run_cli("search", "mutex", "--type", "nonsense", data_dir=served, check=False)
    assert result.returncode == 2
    assert "unknown --type nonsense; choose from" in result.stderr


def test_the_socket_is_for_this_user_only(served) -> None:
    path = socket_path(served)
    assert stat.S_ISSOCK(path.stat().st_mode)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    folder = path.parent.stat()
    assert folder.st_uid == os.getuid() and not folder.st_mode & 0o077


def test_bad_requests_get_error_replies_and_the_server_goes_on(served) -> None:
    path = socket_path(served)
    with socket.socket(socket.AF_UNIX) as raw:
        raw.connect(str(path))
        stream = raw.makefile("rwb")
        stream.write(b"this is not json\n[1, 2]\n")
        stream.flush()
        assert json.loads(stream.readline())["ok"] is False
        assert json.loads(stream.readline()) == {"ok": False, "error": "a request is a JSON object"}
    channel = Channel.connect(path)
    assert channel is not None
    with channel:
        assert channel.ask({"command": "search", "query": 5})["error"] == "query: a string is needed"
        assert channel.ask({"command": "search", "query": "x", "limit": 0})["ok"] is False
        assert channel.ask({"command": "search", "query": "x", "folders": ["relative"]})["ok"] is False
        assert channel.ask({"command": "drop tables"})["error"] == "unknown request 'drop tables'"
        assert (
            channel.ask({"command": "hello", "settings": {"chroma_url": "http://elsewhere:1"}})["ok"] is False
        )
        answer = channel.ask({"command": "search", "query": "mutex"})
    assert answer is not None and answer["ok"] and answer["hits"]


def test_several_clients_at_once_get_their_own_answers(served) -> None:
    queries = ["mutex", "panic", "key server", "drop", "mutex", "panic"]

    def ask(query: str) -> list[str]:
        channel = Channel.connect(socket_path(served))
        assert channel is not None
        with channel:
            answer = channel.ask({"command": "search", "query": query, "limit": 3})
        assert answer is not None
        return [hit["path"] for hit in answer["hits"]]

    with ThreadPoolExecutor(len(queries)) as pool:
        answers = list(pool.map(ask, queries))
    assert answers[0] == answers[4] and answers[1] == answers[5]
    assert Path(answers[0][0]).name == "ch16-03-shared-state.md"


def test_a_stale_socket_is_searched_past_and_replaced(tmp_path, indexed) -> None:
    data = tmp_path / "data"
    run_cli("status", data_dir=data)  # an empty index
    path = socket_path(data)
    left = socket.socket(socket.AF_UNIX)
    left.bind(str(path))  # as a crashed instance leaves it: bound, nobody listening
    left.close()
    assert path.exists() and Channel.connect(path) is None
    assert run_cli("search", "mutex", data_dir=data).stdout == "no results\n"  # in-process
    process = start_serve(data, "--no-watch")
    try:
        assert Channel.connect(path) is not None
        assert run_cli("search", "mutex", data_dir=data).stdout == "no results\n"
    finally:
        assert stop(process) == 0
    assert not path.exists()


def test_serve_stops_cleanly_on_sigint_and_sigterm(tmp_path) -> None:
    data = tmp_path / "data"
    for how in (signal.SIGINT, signal.SIGTERM):
        process = start_serve(data)  # watching the (no) added folders
        channel = Channel.connect(socket_path(data))
        assert channel is not None
        channel.close()
        process.send_signal(how)
        assert process.wait(timeout=120) == 0
        assert not socket_path(data).exists()
        assert Channel.connect(socket_path(data)) is None


def test_serve_keeps_the_added_folders_up_to_date(tmp_path) -> None:
    lib, data = tmp_path / "lib", tmp_path / "data"
    copy_files(FILES[:1], lib)
    run_cli("index", str(lib), data_dir=data)
    process = start_serve(data)  # brings the folder up to date, then watches it
    try:
        copy_files(FILES[3:4], lib)  # a file about key servers arrives while it serves

        def found() -> bool:
            hits = json.loads(run_cli("search", "key server listings", "--json", data_dir=data).stdout)
            return any(Path(hit["path"]).name == "gnupg__KEYSERVER.txt" for hit in hits)

        wait_for(found, "the new file found through the running serve")
    finally:
        assert stop(process) == 0
    assert not socket_path(data).exists()
