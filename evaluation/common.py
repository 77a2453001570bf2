"""What both evaluations share: where the data and the cached indexes are, and indexing a folder
with the app's own indexer."""

from __future__ import annotations

from pathlib import Path

from desktop_search.core.indexer import Summary
from desktop_search.services import Services

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CACHE = ROOT / ".cache" / "eval"


def index_folder(folder: Path, data_dir: Path, model_file: str) -> Services:
    """The folder indexed into data_dir (kept between runs, so a rerun only checks for changes)."""
    services = Services.open(str(data_dir), model_file=model_file)
    for event in services.indexer().run([str(folder)]):
        if isinstance(event, Summary) and event.indexed:
            print(
                f"# indexed {folder.name} ({model_file}): {event.indexed} files, {event.embedded} passages "
                f"embedded in {event.seconds:.0f} s"
            )
    return services
