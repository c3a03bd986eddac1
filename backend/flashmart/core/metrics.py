"""Prometheus metrics, exposed at `/metrics`.

With several uvicorn workers, set PROMETHEUS_MULTIPROC_DIR so every worker's figures are
aggregated (the app factory picks the multiprocess collector when it is set).
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


def render() -> tuple[bytes, str]:
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return generate_latest(registry), CONTENT_TYPE_LATEST
    return generate_latest(), CONTENT_TYPE_LATEST
