# wagewatch — every set-up step lives here; .ci/run calls the same targets.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
RULEBOOK ?= baoshan

.PHONY: install test lint format demo clean

$(BIN)/wagewatch: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(BIN)/wagewatch

# Front-end assets (htmx, ECharts, Bootstrap) from the npm registry, served locally: no CDN.
node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch node_modules/.package-lock.json

src/wagewatch/web/static/vendor/.built: node_modules/.package-lock.json $(BIN)/wagewatch
	$(BIN)/python -m wagewatch.web.assets
	touch $@

install: $(BIN)/wagewatch src/wagewatch/web/static/vendor/.built

test: install
	$(BIN)/pytest -q

lint: install
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests
	$(BIN)/mypy

format: install
	$(BIN)/ruff check --fix src tests
	$(BIN)/ruff format src tests

demo: install
	$(BIN)/wagewatch demo --rulebook $(RULEBOOK)

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
