# Two commands for a fresh machine (Python 3.11+ and make): `make serve` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PORT   ?= 5000
HOST   ?= 127.0.0.1
INDEX  ?= index

.PHONY: serve test lint bench chromium lock clean

# Every install takes the versions pinned in constraints.txt (`make lock` refreshes it), so that a new release of a
# dependency's dependency cannot break a fresh clone. Set in the environment, the constraint also reaches the
# isolated environments in which pip builds packages (hatchling, setuptools).
PIN := PIP_CONSTRAINT=$(CURDIR)/constraints.txt

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(PIN) $(BIN)/python -m pip install -q --upgrade pip

# Stamp files, so that a changed pyproject.toml or constraints.txt reinstalls and an unchanged one costs nothing.
$(VENV)/.run-deps: pyproject.toml constraints.txt | $(BIN)/python
	$(PIN) $(BIN)/python -m pip install -q -e .
	touch $@

$(VENV)/.test-deps: pyproject.toml constraints.txt | $(BIN)/python
	$(PIN) $(BIN)/python -m pip install -q -e '.[test]'
	touch $@

$(VENV)/.bench-deps: pyproject.toml constraints.txt | $(BIN)/python
	$(PIN) $(BIN)/python -m pip install -q -e '.[test,bench]'
	touch $@

## lock: resolve pyproject.toml's dependencies (all extras) afresh in a scratch venv and pin them in constraints.txt
lock:
	rm -rf .lock-venv
	$(PYTHON) -m venv .lock-venv
	PIP_CONSTRAINT= .lock-venv/bin/python -m pip install -q --upgrade pip
	PIP_CONSTRAINT= .lock-venv/bin/python -m pip install -q -e '.[test,bench]'
	{ echo "# Written by \`make lock\` on $$(date -u +%F) with Python $$(.lock-venv/bin/python -c 'import platform; print(platform.python_version())'): every install pins these."; \
	  .lock-venv/bin/python -m pip freeze --all --exclude-editable | grep -v -i '^searcher=='; } > constraints.txt
	rm -rf .lock-venv

## serve: install, build the index from the bundled page if there is none, serve on $(HOST):$(PORT)
## (make serve HOST=0.0.0.0 PORT=8080 to serve the office network)
serve: $(VENV)/.run-deps
	$(BIN)/searcher serve --index-dir $(INDEX) --host $(HOST) --port $(PORT)

## test: install the test dependencies (and Debian's chromium when missing), lint, run the whole suite
test: $(VENV)/.test-deps chromium
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/python -m pytest

## chromium: install Debian's chromium for the browser test (needs root; without it that test is skipped, saying why)
chromium:
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		echo "installing Debian's chromium for the browser test"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null \
		|| echo "could not install chromium: the browser test will be skipped"; \
	else echo "chromium is missing and this is not root: the browser test will be skipped"; fi

lint: $(VENV)/.test-deps
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

## bench: benchmarks on ../shared/corpus (writes BENCHMARKS.md)
bench: $(VENV)/.bench-deps
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) .lock-venv build dist .pytest_cache .ruff_cache
