# Two commands on a fresh machine: `make build` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
RUNTIME := $(VENV)/.runtime-installed
TESTDEPS := $(VENV)/.test-installed
SETTINGS ?= pelicanconf.py
OUTPUT ?= output
PORT ?= 8000

.PHONY: build check serve test clean system-deps bench-images

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(RUNTIME): pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(TESTDEPS): pyproject.toml $(RUNTIME)
	$(BIN)/pip install -q -e ".[test]"
	touch $@

## build: install, then build the site into output/ (atomically)
build: $(RUNTIME)
	$(BIN)/python -m portal build -s $(SETTINGS) -o $(OUTPUT)

## check: validate the content only (what editors run before publishing)
check: $(RUNTIME)
	$(BIN)/python -m portal check -s $(SETTINGS)

## serve: preview on http://localhost:8000 with autoreload
serve: $(RUNTIME)
	$(BIN)/pelican --autoreload --listen --port $(PORT) -s $(SETTINGS) -o .preview

## test: install test dependencies (and Debian chromium when root), run the suite
test: $(TESTDEPS) system-deps
	$(BIN)/python -m pytest

system-deps:
	scripts/ensure-system-deps.sh

## bench-images: photo pipeline vs a plain Pillow loop, same run; table into docs/performance.md
bench-images: $(RUNTIME)
	$(BIN)/python benchmarks/bench_images.py --write docs/performance.md

clean:
	rm -rf $(OUTPUT) .preview .pytest_cache .$(OUTPUT).tmp-* .$(OUTPUT).old-*
	find . -name __pycache__ -not -path './$(VENV)/*' -prune -exec rm -rf {} +
