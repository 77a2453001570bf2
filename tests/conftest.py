"""Shared fixtures: the read-only corpus in ../shared, the built model, real data directories."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import desktop_search  # noqa: F401  (sets ORT_DISABLE_TELEMETRY before onnxruntime loads)
from desktop_search import paths

ROOT = Path(__file__).resolve().parent.parent
SHARED = (ROOT.parent / "shared").resolve()
CORPUS = SHARED / "corpus"
RUST_BOOK = CORPUS / "text" / "rust-book"


@pytest.fixture(scope="session")
def model_dir() -> Path:
    return paths.find_model_dir()


@pytest.fixture(scope="session")
def counter(model_dir):
    from desktop_search.core.chunking import load_counter

    return load_counter(model_dir)


def cli_command(data_dir: Path) -> list[str]:
    return [str(Path(sys.executable).with_name("desktop-search")), "--data-dir", str(data_dir)]


def run_cli(*args: str, data_dir: Path, check: bool = True, **kwargs) -> subprocess.CompletedProcess:
    """The installed entry point, as a user runs it."""
    command = [*cli_command(data_dir), *args]
    result = subprocess.run(command, capture_output=True, text=True, timeout=1800, **kwargs)
    if check and result.returncode != 0:
        raise AssertionError(f"{command} exited {result.returncode}:\n{result.stderr}")
    return result


@pytest.fixture(scope="session")
def rust_book_index(tmp_path_factory) -> Path:
    """A data directory holding the whole Rust book, indexed once for the session."""
    data = tmp_path_factory.mktemp("rust-book-index")
    run_cli("index", str(RUST_BOOK), data_dir=data)
    return data


def copy_files(sources, target: Path) -> list[Path]:
    target.mkdir(parents=True, exist_ok=True)
    copies = []
    for source in sources:
        copies.append(Path(shutil.copy2(source, target / Path(source).name)))
    return copies


@pytest.fixture
def services_factory(tmp_path):
    from desktop_search.services import Services

    opened = []

    def open_services(name: str = "data", *, isolated: bool = False):
        services = Services.open(str(tmp_path / name), isolated=isolated)
        opened.append(services)
        return services

    yield open_services
    for services in opened:
        services.close()


__all__ = ["CORPUS", "RUST_BOOK", "SHARED", "cli_command", "copy_files", "run_cli"]
