# PHI Gate. `make demo` runs the main job, `make test` the tests; both bootstrap .venv and the
# system packages they need (scripts/ensure-system.sh: installed as root with apt, else one
# line saying what to install).
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
# PHI Gate's Synapse module (synapse_module/) goes into the same venv: the tests' and the
# demo's Synapse load it from there.
MODULE := $(wildcard synapse_module/pyproject.toml)
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml $(MODULE) | sha256sum | cut -c1-12)
ARGS ?=
# The databases `make test` runs the suite on, side by side (tests/databases.py);
# `make test TEST_DBS=sqlite` for one.
TEST_DBS ?= sqlite postgresql
SYSTEM := GOAL='$(MAKECMDGOALS)' PYTHON='$(PYTHON)' VENV='$(VENV)' TEST_DBS='$(TEST_DBS)' sh scripts/ensure-system.sh

.PHONY: test test-sqlite test-postgresql lint format demo bench clean system-python system-test system-demo system-bench

$(STAMP): pyproject.toml $(MODULE) | system-python
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]' $(if $(MODULE),-e ./synapse_module)
	rm -f $(VENV)/.installed-* && touch $@

system-python system-test system-demo system-bench:
	@$(SYSTEM) $(@:system-%=%)

# Lint, then the whole suite on each database in TEST_DBS, the passes side by side (most of a
# pass waits on homeservers; one after the other they took 26 of CI's 30 minutes). Each
# pass's output is printed whole once both are done; any failure fails.
test: system-test $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	@logs=$$(mktemp -d); for db in $(TEST_DBS); do \
	  ( PHIGATE_TEST_DB=$$db $(PY) -m pytest -q -p no:cacheprovider $(ARGS) \
	      > $$logs/$$db.log 2>&1; echo $$? > $$logs/$$db.rc ) & \
	done; wait; status=0; for db in $(TEST_DBS); do \
	  echo "== pytest on $$db"; cat $$logs/$$db.log; \
	  [ "$$(cat $$logs/$$db.rc)" = 0 ] || status=1; \
	done; rm -rf $$logs; exit $$status

test-sqlite test-postgresql:
	@$(MAKE) --no-print-directory test TEST_DBS=$(@:test-%=%)

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

demo: system-demo $(STAMP)
	$(PY) -m bridge demo $(ARGS)

bench: system-bench $(STAMP)
	$(PY) bench/bench_classify.py
	$(PY) bench/bench_audit.py --json bench/results/audit_1m.json
	$(PY) bench/bench_e2ee.py --json bench/results/e2ee.json
	$(PY) bench/bench_gatekeeper.py --json bench/results/gatekeeper.json

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
