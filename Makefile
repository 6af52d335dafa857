# The two set-up commands: `make run` builds the graph and serves it, `make test` runs the tests.
# Each creates the virtual environment and installs what it needs (the tests also install
# Debian's Chromium for the browser test when it is missing).
PYTHON ?= python3
PORT ?= 8000
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test build clean

$(STAMP): pyproject.toml
	@echo "coopgraph: installing into $(VENV) (the first time takes a minute or two; pip shows each package)"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --progress-bar on -e ".[test]" | grep -E "^(Collecting|Installing|Successfully)" || true
	@test -x $(BIN)/coopgraph || { echo "coopgraph: the install failed (see pip's messages above)"; exit 1; }
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/coopgraph serve --rebuild --port $(PORT)

test: $(STAMP)
	.ci/ensure-browser
	.ci/ensure-virtuoso
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy src
	$(BIN)/python -m pytest

build: $(STAMP)
	$(BIN)/coopgraph build

clean:
	rm -rf $(VENV) build
