# Partnership governance: `make run` to try it, `make test` to check it. `make help` lists the rest.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

# The first Python >= 3.12 found: $PYTHON if set, then python3.13, python3.12, python3, then any
# pyenv-installed 3.12+ (the repository's .python-version selects one for pyenv's shims).
define find_python
for candidate in "$$PYTHON" python3.14 python3.13 python3.12 python3 $$HOME/.pyenv/versions/3.1[2-9]*/bin/python3; do \
  [ -n "$$candidate" ] || continue; \
  if "$$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then \
    command -v "$$candidate"; exit 0; \
  fi; \
done; exit 1
endef

.PHONY: help
help: ## List the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(VENV)/.installed: pyproject.toml requirements/constraints.txt
	@if ! { [ -x $(PY) ] && $(PY) -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; }; then \
	  python=$$($(find_python)) || { \
	    echo "Python 3.12 or newer is needed and none was found." >&2; \
	    echo "Install it from https://www.python.org/downloads/ or with 'pyenv install 3.12'," >&2; \
	    echo "or point PYTHON at it: make PYTHON=/path/to/python3.12 run" >&2; exit 1; }; \
	  echo "Creating $(VENV) with $$python"; rm -rf $(VENV); "$$python" -m venv $(VENV); \
	fi
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c requirements/constraints.txt -e '.[dev]'
	@touch $@

node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "Node.js 20 or newer (with npm) is needed to build the styles." >&2; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

static/build/.built: node_modules/.installed $(wildcard static/src/*)
	npm run --silent build
	@touch $@

.PHONY: install
install: $(VENV)/.installed static/build/.built ## Create .venv, install dependencies, build styles

.PHONY: run
run: export DEBUG = 1
run: install ## Serve on http://127.0.0.1:8000 with demo data (embedded PostgreSQL unless DATABASE_URL is set)
	$(PY) manage.py serve $(HOST):$(PORT)

.PHONY: lint
lint: install ## ruff lint and format check, bandit security lint
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/bandit -c pyproject.toml -r config partnerships membership meetings reports search opendata subscriptions -q

.PHONY: test
test: lint ## The whole suite: lint, Django checks, migrations check, pytest (unit, integration, browser)
	DEBUG=1 $(PY) manage.py check --fail-level WARNING
	DEBUG=1 $(PY) manage.py makemigrations --check --dry-run
	$(VENV)/bin/pytest $(PYTEST_ARGS)

.PHONY: faults
faults: install ## Remove one security guard at a time and check the tests catch it (needs DATABASE_URL)
	DATABASE_URL=$${DATABASE_URL:?set DATABASE_URL} $(PY) scripts/seeded_faults.py

BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/bench_scale

.PHONY: bench
bench: install ## Benchmarks: search, agenda pack, then page throughput on the scale dataset (bench/README.md)
	@for script in bench/search_bench.py bench/pack_bench.py; do echo "== $$script"; $(PY) $$script || exit 1; done
	@echo "== bench/run"
	@if $(PY) -c 'import sys, psycopg; c = psycopg.connect(sys.argv[1]); sys.exit(not c.execute("SELECT 1 FROM meetings_meeting LIMIT 1").fetchone())' "$(BENCH_DATABASE_URL)" 2>/dev/null; then \
	  BENCH_DATABASE_URL=$(BENCH_DATABASE_URL) bench/run; \
	else \
	  echo "bench/run and bench/load need the scale dataset in $(BENCH_DATABASE_URL). Make it with:"; \
	  echo "  psql postgres://postgres@127.0.0.1:5432/postgres -c 'CREATE DATABASE bench_scale'"; \
	  echo "  DEBUG=1 DATABASE_URL=$(BENCH_DATABASE_URL) MEDIA_ROOT=var/bench-media $(PY) manage.py migrate"; \
	  echo "  DEBUG=1 DATABASE_URL=$(BENCH_DATABASE_URL) MEDIA_ROOT=var/bench-media $(PY) manage.py generate_scale"; \
	  echo "then: make bench BENCH_DATABASE_URL=... (or bench/run --media-root var/bench-media)"; \
	fi

.PHONY: backup
backup: export DEBUG ?= 1
backup: install ## Back up the database and uploaded papers into var/backups (or OUTPUT=dir)
	$(PY) manage.py backup $(if $(OUTPUT),--output $(OUTPUT))

.PHONY: restore
restore: export DEBUG ?= 1
restore: install ## Restore a backup and verify it: make restore DIR=var/backups/backup-YYYYMMDD-HHMMSS
	@test -n "$(DIR)" || { echo "Say which backup: make restore DIR=var/backups/backup-..." >&2; exit 1; }
	$(PY) manage.py restore "$(DIR)" --yes

.PHONY: format
format: install ## Reformat the code with ruff
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

.PHONY: lock
lock: ## Refresh requirements/constraints.txt from a clean install of pyproject.toml's ranges
	rm -rf var/lock-venv
	$$($(find_python)) -m venv var/lock-venv
	var/lock-venv/bin/pip install --quiet --upgrade pip
	var/lock-venv/bin/pip install --quiet '.[dev]'
	var/lock-venv/bin/pip freeze --exclude-editable | grep -v '^partnership-governance' > requirements/constraints.txt
	rm -rf var/lock-venv build

.PHONY: clean
clean: ## Remove .venv, node_modules and built files (keeps the database in var/)
	rm -rf $(VENV) node_modules static/build *.egg-info build
