"""Shared fixtures (the corpus, the built model, real data directories) and the markers of tests
that need something of the machine: each is probed, and a test whose need is not met is skipped
with the reason."""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

import desktop_search  # noqa: F401  (sets ORT_DISABLE_TELEMETRY before onnxruntime loads)
from desktop_search.settings import Settings
from tests import helpers

# OCR reads a scanned page in seconds: the tests about OCR turn it on (services_factory(ocr=True));
# elsewhere a scanned file is "no text (OCR is off)", as for a user who turned the setting off.
os.environ.setdefault("DESKTOP_SEARCH_OCR", "off")


def _succeeds(command: list[str]) -> bool:
    try:
        return subprocess.run(command, capture_output=True, timeout=60).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


@functools.cache
def _can_mount() -> bool:
    """Root with the right to mount a tmpfs (root in a container may lack it)."""
    if os.geteuid() != 0 or not shutil.which("mount"):
        return False
    with tempfile.TemporaryDirectory() as point:
        if not _succeeds(["mount", "-t", "tmpfs", "-o", "size=1M", "tmpfs", point]):
            return False
        return _succeeds(["umount", point])


NEEDS: dict[str, tuple[Callable[[], bool], str]] = {
    "needs_root": (_can_mount, "needs root allowed to mount a tmpfs"),
    "needs_unshare": (
        functools.cache(lambda: _succeeds(["unshare", "-n", "true"])),
        "needs `unshare -n` (a network namespace: root or user namespaces)",
    ),
    "needs_strace": (
        functools.cache(lambda: _succeeds(["strace", "-f", "-o", os.devnull, "true"])),
        "needs strace allowed to trace (apt-get install strace; ptrace permitted)",
    ),
}


def pytest_runtest_setup(item: pytest.Item) -> None:
    for marker in item.iter_markers():
        if marker.name in NEEDS:
            available, reason = NEEDS[marker.name]
            if not available():
                pytest.skip(reason)


@pytest.fixture(scope="session")
def corpus() -> Path:
    return helpers.corpus_dir()


@pytest.fixture(scope="session")
def model_dir() -> Path:
    return Settings.resolve().model()[0]


@pytest.fixture(scope="session")
def counter(model_dir: Path) -> Any:
    from desktop_search.core.chunking import load_counter

    return load_counter(model_dir)


@pytest.fixture(scope="session")
def rust_book_index(tmp_path_factory: pytest.TempPathFactory, corpus: Path) -> Path:
    """A data directory holding the whole Rust book, indexed once for the session."""
    data = tmp_path_factory.mktemp("rust-book-index")
    helpers.run_cli("index", str(corpus / "text" / "rust-book"), data_dir=data)
    return data


@pytest.fixture
def services_factory(tmp_path: Path) -> Iterator[Callable[..., Any]]:
    """open_services(name, isolated=False, ocr=None): Services on tmp_path / name, closed after the
    test; ocr=True reads scanned pages (off by default in tests, see above)."""
    from desktop_search.services import Services

    opened = []

    def open_services(name: str = "data", *, isolated: bool = False, ocr: bool | None = None) -> Any:
        services = Services.open(Settings.resolve(data_dir=tmp_path / name, ocr=ocr), isolated=isolated)
        opened.append(services)
        return services

    yield open_services
    for services in opened:
        services.close()
