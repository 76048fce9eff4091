# PHI Gate. `make demo` runs the main job, `make test` the tests; both bootstrap .venv.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell sha256sum pyproject.toml | cut -c1-12)
ARGS ?=

.PHONY: test lint format demo bench clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	rm -f $(VENV)/.installed-* && touch $@

test: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) -m pytest -q $(ARGS)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

demo: $(STAMP)
	$(PY) -m bridge demo $(ARGS)

bench: $(STAMP)
	$(PY) bench/bench_classify.py
	$(PY) bench/bench_audit.py
	$(PY) bench/bench_e2ee.py --json bench/results/e2ee.json
	$(PY) bench/bench_gatekeeper.py --json bench/results/gatekeeper.json

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
