# Two commands on a fresh machine: `make site` builds the shipped guide into site/; `make test` runs every test.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: site test test-fast check serve clean bench bundle

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install --quiet -e .
	@# Course PDFs embed a free Chinese font: the system's (fonts-noto-cjk) if fontconfig has one, else a pip copy.
	@$(BIN)/python -m pilotguide.courses.fonts >/dev/null 2>&1 || $(BIN)/python -m pip install --quiet -e '.[fonts]'
	touch $@

$(VENV)/.installed-test: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

site: $(STAMP)
	$(BIN)/pilotguide build

check: $(STAMP)
	$(BIN)/pilotguide check

serve: $(STAMP)
	$(BIN)/pilotguide serve

test: $(VENV)/.installed-test
	$(BIN)/python -m pytest

# The quick loop while editing: no browser, no whole-site builds (under a minute). CI runs `make test`.
test-fast: $(VENV)/.installed-test
	$(BIN)/python -m pytest -m "not browser and not slow"

clean:
	rm -rf site $(VENV)

$(VENV)/.installed-bench: $(STAMP)
	$(BIN)/python -m pip install --quiet -e '.[bench]'
	touch $@

# Not part of `make test`: several minutes. BENCH_ARGS=--big adds N = 10,000 (about 20 minutes on 2 cores).
bench: $(VENV)/.installed-bench
	$(BIN)/python -m benchmarks $(BENCH_ARGS)

# The offline install bundle dist/pilotguide-offline.zip (Windows x64 and Linux x86_64 wheels, install
# scripts, the model guide); prints its size and the time install.sh takes to install it offline.
# Downloads go to .pilotguide-cache/bundle/ and are reused.
bundle: $(STAMP)
	$(BIN)/python scripts/bundle.py --measure
