# Entry points: `make up` runs the platform on 127.0.0.1, `make test` runs every test.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV    ?= .venv
BIN     := $(VENV)/bin
PY      := $(BIN)/python
STAMP   := $(VENV)/.installed
PIDFILE := var/run/honcho.pid
# The interpreter that creates the venv: the first of python3.11, python3 that is Python 3.11.
PYTHON  ?= $(shell for p in python3.11 python3; do \
  $$p -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' 2>/dev/null && command -v $$p && break; done)
# Type-checked with the packages: the ops scripts.
MYPY_OPS := scripts/accounts.py scripts/run_redis.py scripts/supervise.py scripts/wait_ready.py scripts/seed_demo.py bench/job_path.py bench/sweep_bench.py bench/train_bench.py bench/load.py bench/open_loop.py locustfile.py drills scripts/export_openapi.py
# Processes started by `make up` find celery, uvicorn and python in the venv; output unbuffered
# so that honcho shows every line at once.
RUN_ENV := PATH="$(CURDIR)/$(BIN):$$PATH" PYTHONUNBUFFERED=1

# The dashboard (React + Vite in dashboard/): `make up` rebuilds it when its sources changed.
DASH      := dashboard
DASH_DEPS := $(DASH)/node_modules/.installed
DASH_SRC  := $(shell find $(DASH)/src $(DASH)/public -type f 2>/dev/null) \
  $(addprefix $(DASH)/,index.html package.json vite.config.ts tsconfig.json)

.PHONY: help install up down migrate test lint fmt bench load chaos dashboard dashboard-deps api-types

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(PY):
	@test -n "$(PYTHON)" || { echo "Python 3.11 not found: install it (python3.11 on PATH) and retry." >&2; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))' || { \
	  echo "$(PYTHON) is not Python 3.11; run: make PYTHON=/path/to/python3.11 ..." >&2; exit 1; }
	$(PYTHON) -m venv $(VENV) || { rm -rf $(VENV); exit 1; }
	$(PY) -m pip install --quiet --upgrade pip

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	@echo "Compiling the backtest and RL environment kernels once into numba's on-disk cache..."
	@$(PY) -m shared.sim.warmup
	@$(PY) -m shared.rl.warmup
	@touch $@

install: $(STAMP) ## Create .venv and install the pinned packages (when pyproject.toml changed)

migrate: install ## Upgrade the database to the latest schema
	@$(PY) -m shared.storage.migrate

up: install migrate ## Start everything on 127.0.0.1 in the foreground; Ctrl-C stops it all
	@mkdir -p var/log var/run
	@if [ -f $(PIDFILE) ] && ps -o args= -p "$$(cat $(PIDFILE))" 2>/dev/null | grep -q honcho; then \
	  echo "Already running (honcho pid $$(cat $(PIDFILE))); stop it with: make down" >&2; exit 1; fi
	@$(MAKE) --no-print-directory dashboard || \
	  echo "The dashboard build failed (above): / serves the last build or the placeholder page." >&2
	@echo "Starting the platform; the URL appears once every part is healthy. Ctrl-C stops it all."
	@# honcho runs in the background of a shell that ignores INT/TERM, so that Ctrl-C and
	@# `make down` reach honcho, which stops every process it started, then we tidy up.
	@trap '' INT TERM; \
	  $(RUN_ENV) $(BIN)/honcho start -f Procfile & pid=$$!; echo $$pid > $(PIDFILE); \
	  wait $$pid; rc=$$?; rm -f $(PIDFILE); \
	  case $$rc in 0|130|143) echo "Platform stopped.";; *) exit $$rc;; esac

down: ## Stop the processes started by `make up`
	@if [ ! -f $(PIDFILE) ]; then echo "Not running."; exit 0; fi; \
	  pid=$$(cat $(PIDFILE)); \
	  if ! ps -o args= -p "$$pid" 2>/dev/null | grep -q honcho; then \
	    echo "Not running (removed stale $(PIDFILE))."; rm -f $(PIDFILE); exit 0; fi; \
	  kill -TERM "$$pid"; \
	  for _ in $$(seq 1 150); do kill -0 "$$pid" 2>/dev/null || break; sleep 0.1; done; \
	  if kill -0 "$$pid" 2>/dev/null; then echo "honcho (pid $$pid) still running after 15 s" >&2; exit 1; fi; \
	  rm -f $(PIDFILE); echo "Stopped."

test: install ## Run every test (Python, the dashboard's, and the browser flow on the built app)
	@if [ -f $(DASH)/package.json ]; then $(MAKE) --no-print-directory $(DASH)/dist/index.html; fi
	@$(PY) -m pytest -q; rc=$$?; \
	  if [ $$rc -eq 5 ]; then echo "pytest: no tests collected"; elif [ $$rc -ne 0 ]; then exit $$rc; fi
	@if [ -f $(DASH)/package.json ]; then cd $(DASH) && npm test; fi

.PHONY: fuzz monitor
FUZZ_MAX_EXAMPLES ?= 50
MONITOR_PORT ?= 9090

# One worker thread: Python 3.11 can raise a spurious SystemError when two threads build an AST
# at once (CPython gh-106905); over thousands of cases hypothesis does so and the run ends.
fuzz: install ## schemathesis over the whole API on a private stack, FUZZ_MAX_EXAMPLES per operation
	@FUZZ_MAX_EXAMPLES=$(FUZZ_MAX_EXAMPLES) FUZZ_PHASES=examples,coverage,fuzzing,stateful \
	  FUZZ_WORKERS=1 FUZZ_TIMEOUT_S=7200 $(PY) -m pytest -q -s -p no:cacheprovider --timeout 0 \
	  tests/integration/test_zz_openapi_fuzz.py

monitor: ## Prometheus with the alerts on 127.0.0.1:9090 (MONITOR_PORT), scraping `make up`
	@command -v prometheus >/dev/null || { \
	  echo "prometheus not found: install it (Debian: apt-get install prometheus)" >&2; exit 1; }
	@mkdir -p var/prometheus
	prometheus --config.file=prometheus/local.yml --storage.tsdb.path=var/prometheus \
	  --web.listen-address=127.0.0.1:$(MONITOR_PORT)

lint: install ## ruff check, ruff format --check, mypy, import contracts; the dashboard's lint and types
	@rc=0; \
	  $(BIN)/ruff check . || rc=1; \
	  $(BIN)/ruff format --check . || rc=1; \
	  $(BIN)/mypy shared gateway trainer simulator $(MYPY_OPS) || rc=1; \
	  $(BIN)/lint-imports || rc=1; \
	  if [ -f $(DASH)/package.json ]; then \
	    { $(MAKE) --no-print-directory dashboard-deps && cd $(DASH) && npm run lint && npm run typecheck; } || rc=1; \
	  fi; \
	  exit $$rc

dashboard-deps: $(DASH_DEPS)

$(DASH_DEPS): $(DASH)/package-lock.json
	@command -v npm >/dev/null || { echo "npm not found: install Node 20 with npm (Debian: apt-get install nodejs npm)" >&2; exit 1; }
	cd $(DASH) && npm ci --no-audit --no-fund
	@touch $@

$(DASH)/dist/index.html: $(DASH_DEPS) $(DASH_SRC)
	cd $(DASH) && npx vite build

dashboard: ## Build the dashboard into dashboard/dist when its sources changed
	@if command -v npm >/dev/null; then $(MAKE) --no-print-directory $(DASH)/dist/index.html; else \
	  echo "npm not found: the dashboard is not built and / serves its placeholder page." \
	    "Install Node 20 with npm to get it (Debian: apt-get install nodejs npm)." >&2; fi

api-types: install dashboard-deps ## Regenerate dashboard/openapi.json and src/api/schema.d.ts from the code
	$(PY) scripts/export_openapi.py
	cd $(DASH) && npm run api-types

fmt: install ## Format the code and apply safe lint fixes
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: install ## Job path, gateway latency, submit-to-model on a private stack; engine and training speed
	@$(RUN_ENV) $(PY) bench/job_path.py
	@$(RUN_ENV) $(PY) bench/train_bench.py
	@if [ -f bench/sim_bench.py ]; then $(RUN_ENV) $(PY) bench/sim_bench.py; \
	  else echo "bench/sim_bench.py not there yet: skipped"; fi
	@$(RUN_ENV) $(PY) bench/rl_bench.py
	@$(RUN_ENV) $(PY) bench/sweep_bench.py

# DRILLS=name... runs only those (python -m drills --help lists them). Root is needed for the
# tmpfs and the network namespace; iproute2 is installed when missing (CI is a bare Debian).
chaos: install ## Fault drills on private stacks: prints a table, fails if a job is lost or stuck
	@command -v ip >/dev/null || { [ "$$(id -u)" = 0 ] && apt-get update -qq && \
	  apt-get install -y -qq iproute2 >/dev/null; } || echo "chaos: no iproute2; the second-host drill will say why it is skipped"
	@$(RUN_ENV) $(PY) -m drills $(DRILLS)

load: install ## Read load per endpoint (open loop, 32 connections), then Locust, on a private stack
	@$(RUN_ENV) $(PY) bench/load.py $(LOAD_ARGS)
