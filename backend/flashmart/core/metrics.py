"""Prometheus metrics, exposed at `/metrics` (the API) and on WORKER_METRICS_PORT (the worker).

With several uvicorn workers, set PROMETHEUS_MULTIPROC_DIR so every worker's figures are
aggregated (the app factory picks the multiprocess collector when it is set).

Every label value comes from a closed set, declared in `CLOSED_LABELS` (tests/backend/core/
test_metrics_registry.py checks each family against it): a value a client could choose would
grow `/metrics`, and the multiprocess files behind it, without bound. Per-sale figures are
summed, never labelled by sale. README "Operations" describes each family.
"""

from __future__ import annotations

import os

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)

REQUESTS = Counter(
    "flashmart_graphql_requests_total",
    "GraphQL operations served, by operation name, type and outcome.",
    ["operation", "type", "outcome"],
)
LATENCY = Histogram(
    "flashmart_graphql_request_duration_seconds",
    "GraphQL operation latency, by operation name.",
    ["operation"],
    buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5),
)
GC_PAUSE = Histogram(
    "flashmart_gc_pause_seconds",
    "Garbage-collector pauses (the event loop stands still), by generation collected.",
    ["generation"],
    buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1),
)
# Set by the breakers themselves when they open and close (core/breaker.py); labels: `redis`,
# `database`.
BREAKER_OPEN = Gauge(
    "flashmart_breaker_open",
    "1 while a dependency's circuit breaker is open or half-open (in any live process).",
    ["dependency"],
    multiprocess_mode="livemax",
)
BREAKER_OPENED = Counter(
    "flashmart_breaker_opened_total", "Times a dependency's circuit breaker opened.", ["dependency"]
)
# Argon2id runs (accounts/passwords.py), by operation: `hash` or `verify`. Each costs tens of
# milliseconds and PASSWORD_HASH_MEMORY_COST KiB: refused sign-ins and sign-ups must not add any.
PASSWORD_HASHES = Counter(
    "flashmart_password_hashes_total", "Argon2id hash and verify runs, by operation.", ["operation"]
)
HTTP_REQUESTS = Counter(
    "flashmart_http_requests_total", "HTTP requests, by route and status.", ["route", "status"]
)

# --- business and worker metrics -------------------------------------------------------------
# Label values of the families below (the domain enums map onto these strings; tests/backend/
# core/test_metrics_registry.py checks that every enum member has its value here).
BUY_OUTCOMES = (
    "ok",
    "RATE_LIMITED",
    "NOT_STARTED",
    "ENDED",
    "SOLD_OUT",
    "ALREADY_PURCHASED",
    "LIMIT_EXCEEDED",
    "EMAIL_NOT_VERIFIED",  # a verified-only sale and an unverified shopper
    "NOT_ADMITTED",  # a waiting-room sale and no valid admission grant
    "INVALID",  # a quantity out of range
    "SERVICE_UNAVAILABLE",  # reserved, but no replica acknowledged it in time
    "error",  # an outage or a fault: the shopper got a top-level error
)
PERSIST_OUTCOMES = ("created", "already", "failed")
REPAIR_KINDS = ("persisted", "released", "closed", "failed")
RELEASE_STATUSES = ("CANCELLED", "EXPIRED", "REFUNDED")
WEBHOOK_RESULTS = (
    "accepted",
    "duplicate",
    "not_found",  # a provider this deployment does not use
    "provider_error",
    "MALFORMED",
    "BAD_SIGNATURE",
    "STALE",
    "FROM_THE_FUTURE",
    "NONCE_REUSED",
    "UNKNOWN_PAYMENT",
)
CHECKOUT_OUTCOMES = (
    "created",
    "replayed",  # the idempotency key's earlier order
    "INVALID",
    "CART_EMPTY",
    "INSUFFICIENT_STOCK",
    "PRODUCT_UNAVAILABLE",
    # the shipping address (docs/checkout.md): missing, someone else's or not valid, a full book
    "ADDRESS_REQUIRED",
    "NOT_FOUND",
    "REQUIRED",
    "LIMIT_EXCEEDED",
    "error",  # any other failure
)
SUBSCRIPTION_LANES = ("live", "generic")  # the live-sale lane (eventlane.py) or Strawberry's
JOB_OUTCOMES = ("ok", "retry", "error")
QUEUE_STATES = ("due", "deferred")
POOL_STATES = ("in_use", "idle")
REDIS_POOLS = ("main", "queue")
# The sale audit's checks (seckill/audit.py `AuditCheck.key`; room_*: a waiting-room sale's,
# docs/waiting-room.md), and `error`: the audit raised.
AUDIT_CHECKS = (
    "stock", "orders", "per_user_limit", "sold_counter", "room_grant", "room_grant_reuse",
    "room_draw", "error",
)  # fmt: skip

SECKILL_BUYS = Counter(
    "flashmart_seckill_buys_total",
    "Flash-sale buy attempts, by the outcome the shopper was given (ok: a unit reserved).",
    ["outcome"],
)
# Bound once here: the buy lane's only added cost is one `inc()` (seckill/buy.py).
BUY_OUTCOME = {outcome: SECKILL_BUYS.labels(outcome) for outcome in BUY_OUTCOMES}
SECKILL_PERSISTED = Counter(
    "flashmart_seckill_orders_persisted_total",
    "Reservations written to the database by the worker or the reconciler, by outcome "
    "(created: an order; already: written before; failed: a FAILED ticket).",
    ["outcome"],
)
SECKILL_PERSIST_LAG = Histogram(
    "flashmart_seckill_persist_lag_seconds",
    "From a unit's reservation in Redis to its order's commit in the database.",
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600),
)
SECKILL_REPAIRS = Counter(
    "flashmart_seckill_reconciler_repairs_total",
    "What the reconciler did: reservations it persisted, releases it repeated, sales it "
    "closed, sales whose repair failed.",
    ["kind"],
)
SECKILL_PENDING = Gauge(
    "flashmart_seckill_reservations_pending",
    "Reservations not yet written to the database, summed over the sales in Redis.",
    multiprocess_mode="livemostrecent",
)
SECKILL_STOCK = Gauge(
    "flashmart_seckill_stock_remaining",
    "Units left on sale, summed over the sales in Redis.",
    multiprocess_mode="livemostrecent",
)
ORDER_RELEASES = Counter(
    "flashmart_order_releases_total",
    "Orders whose units went back on sale, by the status they moved to.",
    ["status"],
)
PAYMENT_WEBHOOKS = Counter(
    "flashmart_payment_webhooks_total",
    "Payment provider notifications, by result (a refusal by its reason).",
    ["result"],
)
CHECKOUTS = Counter(
    "flashmart_checkouts_total",
    "Cart checkouts, by outcome (a refusal by its error code).",
    ["outcome"],
)
WS_CONNECTIONS = Gauge(
    "flashmart_ws_connections",
    "Open GraphQL WebSocket connections.",
    multiprocess_mode="livesum",
)
SALE_SUBSCRIBERS = Gauge(
    "flashmart_sale_subscribers",
    "Subscribers following a flash sale's live state (`seckillEventUpdated`, either lane).",
    multiprocess_mode="livesum",
)
SUBSCRIPTION_MESSAGES = Counter(
    "flashmart_subscription_messages_total",
    "Subscription `next` messages sent, by lane.",
    ["lane"],
)
LIVE_MESSAGE = SUBSCRIPTION_MESSAGES.labels("live")
GENERIC_MESSAGE = SUBSCRIPTION_MESSAGES.labels("generic")
QUEUE_JOBS = Gauge(
    "flashmart_queue_jobs",
    "Jobs in the arq queue: due now, or deferred to a later time (read at scrape time).",
    ["state"],
    multiprocess_mode="livemostrecent",
)
QUEUE_OLDEST_AGE = Gauge(
    "flashmart_queue_oldest_due_job_age_seconds",
    "How long the oldest due job has been waiting for a worker (0: none waits).",
    multiprocess_mode="livemostrecent",
)
WORKER_JOBS = Counter(
    "flashmart_worker_jobs_total",
    "Queued jobs the worker ran, by function and outcome (retry: runs again later).",
    ["function", "outcome"],
)
WORKER_JOB_DURATION = Histogram(
    "flashmart_worker_job_duration_seconds",
    "Time one run of a queued job took, by function.",
    ["function"],
    buckets=(0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60),
)
REDIS_POOL = Gauge(
    "flashmart_redis_pool_connections",
    "Connections of the process's Redis pools (main: commands; queue: arq), by state.",
    ["pool", "state"],
    multiprocess_mode="livesum",
)
SECKILL_AUDIT_FAILING = Gauge(
    "flashmart_seckill_audit_failing_sales",
    "Ended sales failing each audit check at the worker's last audit pass (seckill/audit.py).",
    ["check"],
    multiprocess_mode="livemostrecent",
)
SECKILL_AUDITED = Gauge(
    "flashmart_seckill_audited_sales",
    "Ended sales the worker's last audit pass checked.",
    multiprocess_mode="livemostrecent",
)
DB_POOL = Gauge(
    "flashmart_db_pool_connections",
    "Connections of the PostgreSQL pool, by state (absent on SQLite).",
    ["state"],
    multiprocess_mode="livesum",
)


# Job functions whose runs are counted (worker.py `FUNCTIONS`; the test checks they match).
JOB_FUNCTIONS = (
    "system_ping",
    "expire_order",
    "deliver_sandbox_webhook",
    "persist_reservation",
)
OPERATION = None  # `operation` labels: the closed set `graphql.extensions.operation_label` makes

# Every labelled family and the values each of its labels may take.
CLOSED_LABELS: dict[str, dict[str, tuple[str, ...] | None]] = {
    "flashmart_graphql_requests_total": {
        "operation": OPERATION,
        "type": ("query", "mutation", "subscription"),
        "outcome": ("ok", "error"),
    },
    "flashmart_graphql_request_duration_seconds": {"operation": OPERATION},
    "flashmart_gc_pause_seconds": {"generation": ("0", "1", "2")},
    "flashmart_breaker_open": {"dependency": ("redis", "database")},
    "flashmart_breaker_opened_total": {"dependency": ("redis", "database")},
    "flashmart_http_requests_total": {
        "route": ("/graphql", "/healthz", "/readyz", "/metrics", "/media", "/payments", "/"),
        "status": tuple(str(code) for code in range(100, 600)),
    },
    "flashmart_password_hashes_total": {"operation": ("hash", "verify")},
    "flashmart_seckill_buys_total": {"outcome": BUY_OUTCOMES},
    "flashmart_seckill_orders_persisted_total": {"outcome": PERSIST_OUTCOMES},
    "flashmart_seckill_reconciler_repairs_total": {"kind": REPAIR_KINDS},
    "flashmart_order_releases_total": {"status": RELEASE_STATUSES},
    "flashmart_payment_webhooks_total": {"result": WEBHOOK_RESULTS},
    "flashmart_checkouts_total": {"outcome": CHECKOUT_OUTCOMES},
    "flashmart_subscription_messages_total": {"lane": SUBSCRIPTION_LANES},
    "flashmart_queue_jobs": {"state": QUEUE_STATES},
    "flashmart_worker_jobs_total": {"function": JOB_FUNCTIONS, "outcome": JOB_OUTCOMES},
    "flashmart_worker_job_duration_seconds": {"function": JOB_FUNCTIONS},
    "flashmart_redis_pool_connections": {"pool": REDIS_POOLS, "state": POOL_STATES},
    "flashmart_db_pool_connections": {"state": POOL_STATES},
    "flashmart_seckill_audit_failing_sales": {"check": AUDIT_CHECKS},
}


def render() -> tuple[bytes, str]:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(), CONTENT_TYPE_LATEST
