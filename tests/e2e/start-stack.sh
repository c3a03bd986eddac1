#!/usr/bin/env bash
# Start the real stack for browser tests exactly as `make run` does (API + worker + built
# frontend, SQLite, embedded Redis), on port ${E2E_PORT:-8765} with a throw-away data directory.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
DATA="$(mktemp -d /tmp/flashmart-e2e.XXXXXX)"
export DATA_DIR="$DATA" DATABASE_URL="sqlite://$DATA/e2e.sqlite3" PORT="${E2E_PORT:-8765}" HOST=127.0.0.1
export PUBLIC_BASE_URL="http://127.0.0.1:${E2E_PORT:-8765}"  # payUrl and the sandbox webhook point at this stack
export FRONTEND_DIST="$ROOT/frontend/dist" LOG_LEVEL=WARNING
export REGISTER_ATTEMPTS_PER_IP=1000  # every spec signs up from 127.0.0.1 (default: 5 an hour)
unset REDIS_URL
trap 'rm -rf "$DATA"' EXIT
"$ROOT/.venv/bin/flashmart" run
