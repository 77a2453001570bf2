"""Fault injection: kill -9 at random points, restart, and compare with a clean index."""

from __future__ import annotations

import random
import signal
import subprocess
import time
from pathlib import Path

from desktop_search.core.catalog import parse_vector_id
from tests.helpers import (
    CORPUS,
    RUST_BOOK,
    assert_consistent,
    cli_command,
    copy_files,
    run,
    run_cli,
    stored_ids,
    wait_for_catalog,
)

WITH_TEXT = [
    *sorted(RUST_BOOK.glob("ch1[0-1]-0*.md")),
    CORPUS / "pdf" / "good" / "debian__refcard-a4.pdf",
    CORPUS / "pdf" / "good" / "samplefiles__pdflatex-4-pages.pdf",
    CORPUS / "docx" / "good" / "converted__Bug48075.docx",
]
MIXED = [
    *WITH_TEXT,
    CORPUS / "pdf" / "encrypted" / "pypdf__r6-user-password.pdf",
    CORPUS / "pdf" / "scanned" / "pdfjs__issue7229.pdf",
    CORPUS / "pdf" / "broken" / "qpdf__bad1.pdf",
    CORPUS / "docx" / "broken" / "derived_zero_bytes.docx",
]


def snapshot(services) -> dict[str, object]:
    catalog = services.store.catalog
    files = {Path(f.path).name: (f.status, f.reason, f.passages) for f in catalog.files()}
    passages = {
        (Path(f.path).name, p.seq, p.page, p.start, p.end)
        for f in catalog.files()
        for p in catalog.passages_of(f.key)
    }
    names = {f.key: Path(f.path).name for f in catalog.files()}  # data dirs differ, names do not
    ids = sorted(f"{names[key]}:{seq}" for key, seq in map(parse_vector_id, stored_ids(services)))
    return {"files": files, "passages": passages, "vector ids": ids}


def test_five_random_kills_end_like_a_clean_run(tmp_path, services_factory):
    folder = tmp_path / "docs"
    copy_files(MIXED, folder)
    command = [*cli_command(tmp_path / "killed"), "index", str(folder)]
    # Five kills at random moments: while reading, and after a random number of files got vectors.
    rng = random.Random(20261126)
    targets = [0, *sorted(rng.sample(range(1, len(WITH_TEXT) // 2 + 1), 4))]
    database = tmp_path / "killed" / "catalog.sqlite3"
    for target in targets:
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.0, 0.5))  # a random kill point: time itself is what varies here
        moment = f"SELECT COUNT(*) >= {target} FROM files WHERE synced = 1 AND passages > 0"
        wait_for_catalog(database, moment if target else "SELECT COUNT(*) > 0 FROM files", process)
        process.send_signal(signal.SIGKILL)
        process.wait()
    run_cli("index", data_dir=tmp_path / "killed")

    clean = services_factory("clean")
    run(clean, [str(folder)])
    killed = services_factory("killed")
    assert_consistent(killed)
    assert_consistent(clean)
    got, expected = snapshot(killed), snapshot(clean)
    assert got["files"] == expected["files"]
    assert sum(passages > 0 for _, _, passages in got["files"].values()) == len(WITH_TEXT)
    assert got["passages"] == expected["passages"]
    assert got["vector ids"] == expected["vector ids"]
    assert len(got["vector ids"]) > 100
