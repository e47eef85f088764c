# The two entry points of the quick start: `make edition` and `make test`. Each does its own set-up.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Debian packages: the edition needs fonts (Cyrillic, CJK) and Pango for print; the tests also need the
# reference validators (jing, trang), poppler for PDF text, Chromium for browser tests, Java for vnu.
DEBS_EDITION := fonts-noto-core fonts-noto-cjk fontconfig libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
DEBS_TEST := $(DEBS_EDITION) jing trang poppler-utils chromium

.PHONY: edition test tools-test clean

edition: $(VENV)/.installed
	@scripts/debian-packages.sh $(DEBS_EDITION)
	$(BIN)/cablegram build

test: $(VENV)/.installed-dev tools-test
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy
	$(BIN)/pytest -q

tools-test:
	@scripts/debian-packages.sh $(DEBS_TEST)
	@command -v java >/dev/null || scripts/debian-packages.sh default-jre-headless
	@command -v npm >/dev/null || scripts/debian-packages.sh npm
	@test -f tests/node_modules/vnu-jar/build/dist/vnu.jar || npm ci --prefix tests --no-audit --no-fund --silent

$(VENV)/bin/python:
	@$(PYTHON) -c "import ensurepip, venv" 2>/dev/null || scripts/debian-packages.sh python3-venv
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(BIN)/pip install -q -e .
	@touch $@

$(VENV)/.installed-dev: pyproject.toml | $(VENV)/bin/python
	$(BIN)/pip install -q -e '.[dev]'
	@touch $@ $(VENV)/.installed

clean:
	rm -rf build
