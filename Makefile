# The two entry points of the quick start: `make edition` and `make test`. Each does its own set-up.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Debian packages: the edition needs fonts for print; the tests also need the reference validators.
DEBS_EDITION := python3-venv fonts-noto-core fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0
DEBS_TEST := $(DEBS_EDITION) jing trang poppler-utils

.PHONY: edition test lint typecheck pytest clean

edition: $(VENV)/.installed
	@scripts/debian-packages.sh $(DEBS_EDITION)
	$(BIN)/cablegram build

test: $(VENV)/.installed-dev
	@scripts/debian-packages.sh $(DEBS_TEST)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy
	$(BIN)/pytest -q

$(VENV)/bin/python:
	@$(PYTHON) -m venv --help >/dev/null 2>&1 || scripts/debian-packages.sh python3-venv
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(BIN)/pip install -q -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml | $(VENV)/bin/python
	$(BIN)/pip install -q -e '.[dev]'
	@touch $@ $(VENV)/.installed

clean:
	rm -rf build
