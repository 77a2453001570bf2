"""What several test modules share: the shared corpus, the CLI as a user runs it, indexing runs
and their consistency checks, and waiting on a state (never on the clock).

CORPUS is `../shared/corpus` next to the repository, or $DESKTOP_SEARCH_CORPUS (a git worktree has
no ../shared beside it). It is checked when a test module first uses it: a missing corpus fails
those tests with a clear message, it is not a reason to skip them (on CI it is an error).
"""

from __future__ import annotations

import csv
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from contextlib import closing
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS_ENV = "DESKTOP_SEARCH_CORPUS"


def corpus_dir() -> Path:
    """The shared corpus, or a failure saying where it was looked for."""
    corpus = Path(os.environ.get(CORPUS_ENV) or ROOT.parent / "shared" / "corpus")
    if not corpus.is_dir():
        pytest.fail(
            f"the shared test corpus is missing: {corpus} (the tests expect ../shared/corpus next to "
            f"the repository; set {CORPUS_ENV} to use another copy)",
            pytrace=False,
        )
    return corpus


def __getattr__(name: str) -> Path:
    # CORPUS and RUST_BOOK are looked up when a module imports them, so only the tests that use
    # the corpus fail without it (the window's worker tests, the scanner's, … still run).
    if name == "CORPUS":
        return corpus_dir()
    if name == "RUST_BOOK":
        return corpus_dir() / "text" / "rust-book"
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def manifest(folder: Path) -> list[dict[str, str]]:
    """The rows of a corpus folder's manifest.csv (what each file is, and what it should give)."""
    with open(folder / "manifest.csv", encoding="utf-8") as stream:
        return list(csv.DictReader(stream))


def outcome(path: Path) -> tuple[str, str | None, list[Any]]:
    """(status, kind or failure reason, pages) of reading a file: INDEXED when it was read."""
    from desktop_search.core import extract

    try:
        kind, pages = extract.extract(path)
    except extract.Skipped as skipped:
        return skipped.status, skipped.reason, []
    return extract.INDEXED, kind, pages


def squashed(text: str) -> str:
    """Text with every run of whitespace made one space, to compare with a manifest's sample."""
    return " ".join(text.split())


def pages_text(pages: Iterable[Any]) -> str:
    """The squashed text of extracted pages, one after the other."""
    return " ".join(squashed(page.text) for page in pages)


def pdf_pages(path: Path) -> list[int]:
    """The page numbers of a corpus PDF, from the corpus manifest (not from our own reading)."""
    folder = path.parent.parent
    relative = path.relative_to(folder).as_posix()
    (row,) = [row for row in manifest(folder) if row["file"] == relative]
    return list(range(1, int(row["pages"]) + 1))


# the command line


def cli_command(data_dir: Path) -> list[str]:
    return [str(Path(sys.executable).with_name("desktop-search")), "--data-dir", str(data_dir)]


def run_cli(
    *args: str, data_dir: Path, check: bool = True, **kwargs: Any
) -> subprocess.CompletedProcess[str]:
    """The installed entry point, as a user runs it (the timeout only stops a hung run)."""
    command = [*cli_command(data_dir), *args]
    result = subprocess.run(command, capture_output=True, text=True, timeout=1800, **kwargs)
    if check and result.returncode != 0:
        raise AssertionError(f"{command} exited {result.returncode}:\n{result.stderr}")
    return result


def copy_files(sources: Iterable[Path | str], target: Path) -> list[Path]:
    """Copy files into target (the corpus is read-only and shared; tests own their copy)."""
    target.mkdir(parents=True, exist_ok=True)
    return [Path(shutil.copy2(source, target / Path(source).name)) for source in sources]


# indexing runs and what they leave behind


def dated_copies(files: dict[str, tuple[Path, str, datetime]], lib: Path) -> None:
    """Copy each (source, folder below lib, date) to lib/folder/name, modified at that date."""
    for name, (source, below, when) in files.items():
        target = lib / below / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(source.read_bytes())
        os.utime(target, (when.timestamp(), when.timestamp()))


def run(services: Any, roots: Iterable[str] | None = None, **kwargs: Any) -> Any:
    """One indexing run to its end; its Summary."""
    from desktop_search.core.indexer import Summary

    events = list(services.indexer().run(roots, **kwargs))
    assert isinstance(events[-1], Summary)
    return events[-1]


def stored_ids(services: Any) -> list[str]:
    return services.store.vector_store.ids()


def expected_ids(services: Any) -> set[str]:
    from desktop_search.core.catalog import vector_id

    catalog = services.store.catalog
    return {vector_id(f.key, seq) for f in catalog.files() for seq in range(f.passages)}


def assert_consistent(services: Any) -> None:
    """Every passage of the catalog has exactly one vector, and nothing else has one."""
    ids = stored_ids(services)
    assert len(ids) == len(set(ids)), "duplicate vectors"
    assert set(ids) == expected_ids(services)
    assert all(f.synced for f in services.store.catalog.files())


# waiting on a state


def wait_for(condition: Callable[[], object], what: str, timeout: float = 600) -> None:
    """Poll condition until it holds. The timeout only turns a hang into a failure: it is generous
    and says nothing about speed."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"never happened within {timeout} s: {what}")
        time.sleep(0.05)


def wait_for_catalog(database: Path, sql: str, process: subprocess.Popen[Any]) -> None:
    """Wait until a query on a running indexer's catalog is true (to kill it at that moment)."""

    def reached() -> bool:
        assert process.poll() is None, f"the run ended before this moment: {sql}"
        if not database.exists():
            return False
        try:
            with closing(sqlite3.connect(f"file:{database}?mode=ro", uri=True)) as db:
                return bool(db.execute(sql).fetchone()[0])
        except sqlite3.OperationalError:
            return False  # the tables are not created yet

    wait_for(reached, sql)
