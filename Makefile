# Two commands on a fresh machine: `make build` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
RUNTIME := $(VENV)/.runtime-installed
TESTDEPS := $(VENV)/.test-installed
SETTINGS ?= pelicanconf.py
OUTPUT ?= output
PORT ?= 8000
PREVIEW_SETTINGS ?= previewconf.py
PUBLISH_SETTINGS ?= publishconf.py
HERE := $(dir $(abspath $(lastword $(MAKEFILE_LIST))))
# Passed through the environment so quotes cannot break the shell. TITLE and
# CATEGORY are not exported: make would expand "$" and "$(shell …)" in them;
# `new` passes their unexpanded $(value …), single-quoted, instead.
export SITEURL DEPLOY_TARGET
unexport TITLE CATEGORY
shell_quote = '$(subst ','\'',$(value $(1)))'


STATS_PORT ?= 8100
STATS_DIR ?= .stats
# The preview's own origin: the service only counts views sent from it.
PREVIEW_ORIGIN := http://127.0.0.1:$(PORT)

.PHONY: build check serve new publish deploy linkcheck stats-serve bench-listings bench-compress bench-people bench-search bench-stats bench-related bench-images test clean system-deps bench-check bench-serve

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

## check: validate the content only, drafts included (what editors run before publishing);
## FILES="content/articles/2024/a.md …" checks just those files, in about a second, without a build
check: $(RUNTIME)
	$(BIN)/python -m portal check -s $(PREVIEW_SETTINGS) $(FILES)

## serve: preview on http://127.0.0.1:8000, rebuilt and reloaded on save, drafts marked "BẢN NHÁP",
## content errors shown in the browser, the counting service beside it
serve: $(RUNTIME)
	mkdir -p $(STATS_DIR)
	STATS_PORT=$(STATS_PORT) STATS_DB=$(STATS_DIR)/preview.sqlite3 STATS_MANIFEST=.preview/stats-manifest.json \
	STATS_SITE_ORIGIN=$(PREVIEW_ORIGIN) $(BIN)/python -m stats_service & stats=$$!; \
	trap 'kill $$stats 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python -m portal serve --port $(PORT) -s $(PREVIEW_SETTINGS) -o .preview \
	  -e 'STATS_API_URL="http://127.0.0.1:$(STATS_PORT)/api/"'

## new: a new draft article: make new TITLE="…" CATEGORY="…" [NEW_CATEGORY=1]
new: $(RUNTIME)
	@$(BIN)/python -m portal new -s $(SETTINGS) --title $(call shell_quote,TITLE) --category $(call shell_quote,CATEGORY) $(if $(NEW_CATEGORY),--new-category)

## publish: build the public site (SITEURL=https://… required) into output/, atomically,
## and wait for its search index (a rebuild puts the pages in place first)
publish: $(RUNTIME)
	$(BIN)/python -m portal build -s $(PUBLISH_SETTINGS) -o $(OUTPUT)
	$(BIN)/python -m portal wait-search -o $(OUTPUT)

## deploy: publish, then rsync output/ to DEPLOY_TARGET (user@host:/var/www/portal/)
deploy: $(RUNTIME)
	@test -n "$$DEPLOY_TARGET" || { echo "lỗi: chưa đặt DEPLOY_TARGET, ví dụ: make deploy DEPLOY_TARGET=user@host:/var/www/portal/" >&2; exit 1; }
	$(BIN)/python -m portal build -s $(PUBLISH_SETTINGS) -o $(OUTPUT)
	$(BIN)/python -m portal wait-search -o $(OUTPUT)
	$(HERE)scripts/deploy.sh $(OUTPUT) "$$DEPLOY_TARGET"

## linkcheck: every internal link and image in output/ leads to a real file
linkcheck: $(RUNTIME)
	$(BIN)/python -m portal linkcheck $(OUTPUT)

## bench-compress: brotli qualities against gzip -9 (docs/performance.md)
bench-compress: $(RUNTIME)
	$(BIN)/python -m benchmarks.bench_compress

## stats-serve: the counting service alone on 127.0.0.1:8100 (SQLite in .stats/, counts output/)
stats-serve: $(RUNTIME)
	mkdir -p $(STATS_DIR)
	STATS_PORT=$(STATS_PORT) STATS_DB=$${STATS_DB:-$(STATS_DIR)/stats.sqlite3} \
	STATS_MANIFEST=$${STATS_MANIFEST:-$(OUTPUT)/stats-manifest.json} \
	STATS_SITE_ORIGIN=$${STATS_SITE_ORIGIN:-$(PREVIEW_ORIGIN)} $(BIN)/python -m stats_service

## bench-stats: load the service on loopback with each backend (results: docs/performance.md)
bench-stats: $(RUNTIME) system-deps
	$(BIN)/python -m benchmarks.bench_stats

## test: install test dependencies (and Debian chromium when root), run the suite
test: $(TESTDEPS) system-deps
	$(BIN)/python -m pytest

## bench-search: index time, size and first-query bytes at 1k and 10k articles (docs/performance.md)
bench-search: $(TESTDEPS) system-deps
	$(BIN)/python -m benchmarks.bench_search --sizes 1000 10000

system-deps:
	scripts/ensure-system-deps.sh

## bench-people: name detection at 10k articles x 200 people vs a per-name scan (docs/performance.md)
bench-people: $(RUNTIME)
	$(BIN)/python -m benchmarks.bench_people --articles 10000 --people 200

## bench-images: photo pipeline vs a plain Pillow loop, same run; table into docs/performance.md
bench-images: $(RUNTIME)
	$(BIN)/python -m benchmarks.bench_images --write docs/performance.md

clean:
	rm -rf $(OUTPUT) .preview $(STATS_DIR) .pytest_cache .$(OUTPUT).tmp-* .$(OUTPUT).old-* .$(OUTPUT).cache .$(OUTPUT).spare .preview.cache
	find . -name __pycache__ -not -path './$(VENV)/*' -prune -exec rm -rf {} +

## bench-listings: grouping at 1k..10k articles vs Pelican's own (docs/performance.md)
bench-listings: $(RUNTIME)
	$(BIN)/python -m benchmarks.bench_listings --full-build 10000

## bench-related: related articles, ours against tags-only and all-pairs cosine (docs/performance.md)
bench-related: $(RUNTIME)
	$(BIN)/python -m benchmarks.bench_related

## bench-serve: a saved article in the preview of 10,000 articles vs `pelican -r` (docs/performance.md)
bench-serve: $(RUNTIME)
	$(BIN)/python -m benchmarks.bench_serve --articles 10000 --write docs/performance.md

## bench-check: one-file check vs the whole-site check on 10,000 generated articles (docs/performance.md)
bench-check: $(RUNTIME)
	$(BIN)/python -m benchmarks.bench_check --articles 10000

# --- Importing the old portal (docs/import.md) -------------------------------
# Passed through the environment so a password with quotes or $ cannot break the shell.
export DB UPLOADS MIRROR RULES
PREFIX ?= nv4_vi_news
.PHONY: import-nukeviet import-mirror bench-import

## import-nukeviet: make import-nukeviet DB=mysql://USER:PASS@HOST:3306/DB UPLOADS=/path/uploads [PREFIX=nv4_vi_news] [ARGS="--dry-run --drafts"]
import-nukeviet: $(RUNTIME)
	@test -n "$$DB" -a -n "$$UPLOADS" || { echo "lỗi: cần DB và UPLOADS, ví dụ: make import-nukeviet DB=mysql://nguoidung:matkhau@127.0.0.1:3306/nukeviet UPLOADS=/duong/dan/uploads" >&2; exit 1; }
	$(BIN)/python -m portal import nukeviet --db "$$DB" --prefix "$(PREFIX)" --uploads "$$UPLOADS" $(ARGS)

## import-mirror: make import-mirror MIRROR=/path/saved-site RULES=dang-uy-khoi [ARGS="--dry-run"]
import-mirror: $(RUNTIME)
	@test -n "$$MIRROR" -a -n "$$RULES" || { echo "lỗi: cần MIRROR=thư mục bản lưu và RULES=tệp luật (hoặc tên luật có sẵn: ban-to-chuc, bao-nghe-an, dang-uy-khoi)" >&2; exit 1; }
	$(BIN)/python -m portal import mirror "$$MIRROR" --rules "$$RULES" $(ARGS)

## bench-import: 10.000 articles with 2.000 photos from a real MariaDB (docs/performance.md); BENCH_ARTICLES=2000 for a short run
bench-import: $(TESTDEPS)
	$(BIN)/python -m benchmarks.bench_import

NEWSROOM_PORT ?= 8200
.PHONY: newsroom newsroom-user bench-newsroom
## newsroom: the web newsroom (Phòng biên tập) on http://127.0.0.1:8200 (NEWSROOM_PORT, NEWSROOM_DATA; docs/huong-dan-bien-tap.md)
newsroom: $(RUNTIME)
	NEWSROOM_PORT=$(NEWSROOM_PORT) $(BIN)/python -m portal.newsroom

## newsroom-user: create or change an account: make newsroom-user USER=lan ROLE=phong-vien|bien-tap|quan-tri [CATEGORIES="Xây dựng Đảng,…"]
newsroom-user: $(RUNTIME)
	@test "$(origin USER)" = "command line" -a -n "$(ROLE)" || { echo 'lỗi: cần USER=… ROLE=phong-vien|bien-tap|quan-tri' >&2; exit 1; }
	@$(BIN)/python -m portal.newsroom.user_cli "$$USER" "$$ROLE" --categories "$$CATEGORIES"

## bench-newsroom: list, search, related picker, preview and save on a 10,000-article site (docs/performance.md)
bench-newsroom: $(TESTDEPS)
	$(BIN)/python -m benchmarks.bench_newsroom --articles 10000 --write docs/performance.md

## bench-build: whole site, portal vs plain Pelican 4.12 on 10,000 generated articles, same run
## (ARTICLES=50000 for more, BENCH_BUILD_FLAGS=--full-only for the full builds alone; results into docs/performance.md)
ARTICLES ?= 10000
BENCH_BUILD_FLAGS ?=
.PHONY: bench-build
bench-build: $(TESTDEPS)
	$(BIN)/python -m benchmarks.bench_build --articles $(ARTICLES) $(BENCH_BUILD_FLAGS) --write docs/performance.md
