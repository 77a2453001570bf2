"""Source code and configuration files, read as text; also build files known by name (Makefile…)."""

from __future__ import annotations

from pathlib import Path

from desktop_search.core.extract import ERROR, Page, Skipped, register
from desktop_search.core.extract.text import decode

MAX_BYTES = 16 << 20  # a bigger "source" file is generated code or a data dump
CODE_SUFFIXES = (
    ".py", ".pyi", ".js", ".mjs", ".cjs", ".ts", ".tsx", ".jsx", ".java", ".kt", ".kts",
    ".c", ".h", ".cc", ".cpp", ".cxx", ".hpp", ".hh", ".cs", ".go", ".rs", ".rb", ".php",
    ".swift", ".scala", ".sh", ".bash", ".zsh", ".ps1", ".bat", ".cmd", ".sql", ".r", ".lua",
    ".pl", ".pm", ".json", ".yaml", ".yml", ".toml", ".xml", ".ini", ".cfg", ".conf",
    ".properties", ".gradle", ".cmake", ".mk", ".dockerfile",
)  # fmt: skip
CODE_NAMES = (
    "Makefile", "GNUmakefile", "Dockerfile", "Containerfile", "Jenkinsfile", "Vagrantfile",
    "Gemfile", "Rakefile", "Procfile", "CMakeLists.txt",
)  # fmt: skip


@register("code", CODE_SUFFIXES, names=CODE_NAMES)
def extract_code(path: Path) -> list[Page]:
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise Skipped(ERROR, f"too large to index: {size / 2**20:.0f} MB (limit {MAX_BYTES >> 20} MB)")
    return [Page(None, decode(path.read_bytes()))]
