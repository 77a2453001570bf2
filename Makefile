# `make run` and `make test` do all the set-up on a fresh machine; later runs reuse it.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
MODEL := resources/model/model.onnx

.PHONY: run test model eval bench clean

run: $(STAMP) $(MODEL)
	$(VENV)/bin/desktop-search

test: $(STAMP) $(MODEL)
	$(VENV)/bin/lint-imports
	$(PY) -m pytest

bench: $(STAMP) $(MODEL)
	$(PY) benchmarks/bench.py

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

eval: $(STAMP) $(MODEL)
	$(PY) -m evaluation.scifact
	$(PY) -m evaluation.scifact --model-file model.int8.onnx --no-tune
