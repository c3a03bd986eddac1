# FlashMart — `make run` and `make test` set up everything they need on a fresh clone.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
NPM_ENV := PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm_config_fund=false npm_config_audit=false
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/test

.PHONY: help install install-backend install-frontend install-e2e install-audit install-checkov lock \
        frontend run serve worker migrate seed schema schema-check test test-backend test-sqlite \
        test-postgres test-frontend test-e2e lint bench dashboard chaos clean chromium

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-16s %s\n", $$1, $$2}'

# --- installation (stamp files make repeated runs instant) ---------------------------------
$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# Exactly the versions in the lock (backend/requirements-dev.lock, README "Dependencies"), then
# flashmart itself without resolving anything again.
$(VENV)/.stamp-backend: $(BIN)/activate backend/pyproject.toml backend/requirements-dev.lock
	$(BIN)/pip install --quiet -r backend/requirements-dev.lock
	$(BIN)/pip install --quiet --no-deps -e backend
	touch $@

# checkov (the Kubernetes manifests' scan, test_k8s.py) in a venv of its own: its pins would
# downgrade packages of .venv.
CHECKOV_VENV := .venv-checkov
$(CHECKOV_VENV)/.stamp: backend/requirements-checkov.lock
	$(PYTHON) -m venv $(CHECKOV_VENV)
	$(CHECKOV_VENV)/bin/pip install --quiet -r backend/requirements-checkov.lock
	touch $@

frontend/node_modules/.stamp: frontend/package.json frontend/package-lock.json
	cd frontend && $(NPM_ENV) npm ci --no-progress
	touch $@

tests/e2e/node_modules/.stamp: tests/e2e/package.json tests/e2e/package-lock.json
	cd tests/e2e && $(NPM_ENV) npm ci --no-progress
	touch $@

# graphql-http's GraphQL-over-HTTP audit, run by the backend tests (test_http_audit.py)
tests/graphql-over-http/node_modules/.stamp: tests/graphql-over-http/package.json tests/graphql-over-http/package-lock.json
	cd tests/graphql-over-http && $(NPM_ENV) npm ci --no-progress
	touch $@

install-backend: $(VENV)/.stamp-backend ## install the backend into .venv
install-frontend: frontend/node_modules/.stamp ## install frontend packages
install-e2e: tests/e2e/node_modules/.stamp
install-audit: tests/graphql-over-http/node_modules/.stamp
install-checkov: $(CHECKOV_VENV)/.stamp
install: install-backend install-frontend install-e2e install-audit install-checkov ## install everything

# Re-resolve the locks from backend/pyproject.toml, keeping every pin that still fits (uv);
# LOCK_ARGS=--upgrade moves everything, LOCK_ARGS='--upgrade-package NAME' one package.
UV_COMPILE = ../$(BIN)/uv pip compile --universal --python-version 3.11 --quiet $(LOCK_ARGS)
lock: install-backend ## update backend/requirements*.lock after editing pyproject.toml
	cd backend && $(UV_COMPILE) pyproject.toml --extra dev -o requirements-dev.lock
	cd backend && $(UV_COMPILE) pyproject.toml -c requirements-dev.lock -o requirements.lock
	cd backend && $(UV_COMPILE) requirements-checkov.in -o requirements-checkov.lock

frontend: install-frontend ## build the frontend into frontend/dist
	cd frontend && npm run build

chromium: ## make sure Debian's Chromium and a Chinese font (the 简体中文 pages) are there for browser tests
	@if [ ! -x /usr/bin/chromium ] || ! (fc-list :lang=zh 2>/dev/null | grep -q .); then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "installing Debian's chromium and fonts-noto-cjk for browser tests"; \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null); \
	  else \
	    echo "Browser tests need Debian's 'chromium' and 'fonts-noto-cjk' packages: run 'sudo apt-get install chromium fonts-noto-cjk'"; exit 1; \
	  fi; \
	fi

# --- running --------------------------------------------------------------------------------
run: install-backend frontend ## migrate, seed and start API + worker + frontend (embedded Redis unless REDIS_URL)
	$(BIN)/flashmart run

migrate: install-backend ## apply database migrations
	$(BIN)/flashmart migrate

seed: install-backend ## load demo data (idempotent)
	$(BIN)/flashmart seed

schema: install-backend ## export schema.graphql from the code
	$(BIN)/flashmart export-schema --output schema.graphql

# --- quality --------------------------------------------------------------------------------
test: test-backend test-frontend test-e2e ## the whole suite: backend on SQLite and PostgreSQL, frontend, browser

test-backend: test-sqlite test-postgres

test-sqlite: install-backend install-audit install-checkov
	$(PY) -m pytest -c backend/pyproject.toml --rootdir . -p no:cacheprovider --db=sqlite tests/backend

test-postgres: install-backend install-audit install-checkov
	TEST_POSTGRES_URL=$${TEST_POSTGRES_URL:-$(PG_TEST_URL)} $(PY) -m pytest -c backend/pyproject.toml --rootdir . -p no:cacheprovider --db=postgres tests/backend

# vitest, then the bundle budget: the built storefront's first visits (README "Bundle size").
test-frontend: frontend
	cd frontend && npm test
	cd frontend && node scripts/bundle-report.mjs

test-e2e: install-backend frontend install-e2e chromium
	cd tests/e2e && CI=$${CI:-} npx playwright test

lint: install-backend install-frontend ## ruff, mypy; tsc and eslint
	$(BIN)/ruff format --config backend/pyproject.toml --check backend tests
	$(BIN)/ruff check --config backend/pyproject.toml backend tests
	cd backend && ../$(BIN)/mypy flashmart
	cd frontend && npm run typecheck && npm run lint

$(VENV)/.stamp-bench: $(VENV)/.stamp-backend backend/pyproject.toml
	$(BIN)/pip install --quiet -c backend/requirements-dev.lock -e 'backend[dev,bench]'
	touch $@

bench: install-backend $(VENV)/.stamp-bench frontend ## load-test seckillBuy on the real stack, page loads included (~3 min; docs/bench.md)
	$(PY) bench/run.py $(BENCH_ARGS)

dashboard: install-backend $(VENV)/.stamp-bench frontend ## make bench scraped by Prometheus, then the Grafana dashboard's panels drawn to docs/screenshots/dashboard.png (needs Debian's prometheus)
	$(PY) bench/dashboard.py -- $(BENCH_ARGS)

chaos: install-backend ## kill worker, API, Redis, database mid-sale; audit what was promised (< 10 min; README "Failures")
	$(PY) bench/chaos.py $(CHAOS_ARGS)

clean: ## remove installs, builds and local data
	rm -rf $(VENV) $(CHECKOV_VENV) frontend/node_modules frontend/dist tests/e2e/node_modules tests/graphql-over-http/node_modules data
