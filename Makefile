# Two commands on a fresh machine: `make build` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
RUNTIME := $(VENV)/.runtime-installed
TESTDEPS := $(VENV)/.test-installed
SETTINGS ?= pelicanconf.py
OUTPUT ?= output
PORT ?= 8000
STATS_PORT ?= 8100
STATS_DIR ?= .stats
# The preview's own origin: the service only counts views sent from it.
PREVIEW_ORIGIN := http://127.0.0.1:$(PORT)

.PHONY: build check serve stats-serve bench-stats test clean system-deps

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

## serve: preview on http://127.0.0.1:8000 with autoreload, the counting service beside it
serve: $(RUNTIME)
	mkdir -p $(STATS_DIR)
	STATS_PORT=$(STATS_PORT) STATS_DB=$(STATS_DIR)/preview.sqlite3 STATS_MANIFEST=.preview/stats-manifest.json \
	STATS_SITE_ORIGIN=$(PREVIEW_ORIGIN) $(BIN)/python -m stats_service & stats=$$!; \
	trap 'kill $$stats 2>/dev/null' EXIT INT TERM; \
	$(BIN)/pelican --autoreload --listen --port $(PORT) -s $(SETTINGS) -o .preview \
	  -e 'STATS_API_URL="http://127.0.0.1:$(STATS_PORT)/api/"'

## stats-serve: the counting service alone on 127.0.0.1:8100 (SQLite in .stats/, counts output/)
stats-serve: $(RUNTIME)
	mkdir -p $(STATS_DIR)
	STATS_PORT=$(STATS_PORT) STATS_DB=$${STATS_DB:-$(STATS_DIR)/stats.sqlite3} \
	STATS_MANIFEST=$${STATS_MANIFEST:-$(OUTPUT)/stats-manifest.json} \
	STATS_SITE_ORIGIN=$${STATS_SITE_ORIGIN:-$(PREVIEW_ORIGIN)} $(BIN)/python -m stats_service

## bench-stats: load the service on loopback with each backend (results: docs/performance.md)
bench-stats: $(RUNTIME) system-deps
	$(BIN)/python benchmarks/bench_stats.py

## test: install test dependencies (and Debian chromium when root), run the suite
test: $(TESTDEPS) system-deps
	$(BIN)/python -m pytest

system-deps:
	scripts/ensure-system-deps.sh

clean:
	rm -rf $(OUTPUT) .preview $(STATS_DIR) .pytest_cache .$(OUTPUT).tmp-* .$(OUTPUT).old-*
	find . -name __pycache__ -not -path './$(VENV)/*' -prune -exec rm -rf {} +
