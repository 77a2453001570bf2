# `make run` and `make test` do all the set-up on a fresh machine; later runs reuse it.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
MODEL := resources/model/model.onnx

.PHONY: run test lint model eval bench bench-scale clean package package-test tools

# The programs the app runs to read scans and legacy Office files (Debian packages; installed if
# missing, as root or with sudo; the .deb depends on them).
TOOLS := tesseract-ocr tesseract-ocr-eng tesseract-ocr-osd antiword catdoc

run: $(STAMP) $(MODEL) tools
	$(VENV)/bin/desktop-search

test: $(STAMP) $(MODEL) tools lint
	$(PY) -m pytest

tools:
	packaging/linux/apt-ensure.sh $(TOOLS)

# Lint, format, types (strict on the core) and the import contracts: before any test runs.
lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy desktop_search
	$(VENV)/bin/lint-imports

bench: $(STAMP) $(MODEL) tools
	$(PY) benchmarks/bench.py

# 100,000 files indexed to the end, memory, disk and a restart (about an hour; FILES=2000 for a
# short run). The tree is cached in ~/.cache/desktop-search-bench/tree-N.
FILES ?= 100000
bench-scale: $(STAMP) $(MODEL) tools
	$(PY) benchmarks/scale.py --files $(FILES)

model: $(MODEL)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	# torch first and pinned: anything unpinned would pull a multi-GB CUDA build.
	$(PY) -m pip install -q torch==2.13.0
	$(PY) -m pip install -q -e '.[build,test]'
	touch $@

$(MODEL): $(STAMP) desktop_search/core/model_build.py
	$(PY) -m desktop_search.core.model_build resources/model

clean:
	rm -rf $(VENV) resources/model build dist

# One table: SciFact and the page-labelled manuals, each method, int8 and fp32 (indexes cached in
# .cache/eval/). `$(PY) -m evaluation --tune` searches the second stage's blend.
eval: $(STAMP) $(MODEL) tools
	$(PY) -m evaluation

# The installer: PyInstaller's one-folder app, then a .deb (packaging/linux/build-deb.sh). The Debian
# packages the build needs are installed if missing (as root or with sudo). Run package-test (as
# root) to install, use, open and purge it as a user would.
package: $(STAMP) $(MODEL)
	packaging/linux/apt-ensure.sh binutils  # objdump for PyInstaller; readelf and strip for the .deb
	$(PY) -m pip install -q pyinstaller==6.22.3
	rm -rf dist/desktop-search
	$(PY) -m PyInstaller --noconfirm --log-level WARN --workpath build --distpath dist pyinstaller.spec
	PYTHON=$(PY) packaging/linux/build-deb.sh dist/desktop-search dist

package-test:
	packaging/linux/package-test.sh
