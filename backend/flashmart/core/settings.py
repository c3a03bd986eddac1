"""One settings class, read from the environment and an optional `.env`, validated at start-up."""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
from decimal import Decimal
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal, Self
from urllib.parse import urlsplit

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from flashmart.core.redis_urls import cluster_nodes, is_cluster_url

MIN_SECRET_LENGTH = 32
logger = logging.getLogger("flashmart.settings")
# Scripts and everything else from this origin only (no inline script); inline styles allowed
# for antd's CSS-in-JS; images also as data: (QR codes) and blob: (upload previews); never
# framed. docs/security.md, "Production mode".
DEFAULT_CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


class Environment(StrEnum):
    DEVELOPMENT = "development"
    PRODUCTION = "production"


class Durability(StrEnum):
    """What a QUEUED answer promises about the reservation (README "Failures")."""

    DURABLE = "durable"  # on Redis's disk (or a replica) before the answer
    FAST = "fast"  # in Redis's memory; on disk within about a second


class Settings(BaseSettings):
    """Every knob of FlashMart. Field names map to upper-case environment variables."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", validate_default=True)

    env: Environment = Environment.DEVELOPMENT
    data_dir: Path = Path("data")
    database_url: str = "sqlite://data/flashmart.sqlite3"
    database_pool_size: int = Field(default=20, ge=1)
    redis_url: str | None = None
    redis_prefix: str = "fm:"
    # Redis topology (docs/scaling.md) ---------------------------------------------------------
    # REDIS_URL may name a Redis Cluster by its seed nodes: redis+cluster://host:port[,host:port]
    # (every sale, limit, stamp, cache and subscription slot then lives on the cluster).
    # QUEUE_REDIS_URL puts arq's queue (jobs, results, cron locks, the worker's health report)
    # on a plain Redis of its own; unset: the queue shares REDIS_URL. A cluster requires it (arq
    # has no Cluster support). When it names another Redis the buy enqueues the persist job
    # right after the script: SECKILL_ENQUEUE_IN_SCRIPT is then off, whatever it says.
    queue_redis_url: str | None = None
    # The buy path's script calls share one auto-pipelined connection (core/redis_mux.py).
    redis_multiplex: bool = True
    # Every Redis client (pool, multiplexer, arq, pub/sub's connect) gives up after these: a
    # Redis that stalls without closing its connections fails requests fast, never hangs them.
    redis_socket_timeout_seconds: float = Field(default=2.0, gt=0, le=60)
    redis_connect_timeout_seconds: float = Field(default=2.0, gt=0, le=60)
    # PostgreSQL: connect and command timeout of the pool; SQLite: how long a writer waits for
    # the lock (busy timeout) before the request fails.
    database_timeout_seconds: float = Field(default=10.0, gt=0, le=600)
    database_connect_timeout_seconds: float = Field(default=5.0, gt=0, le=60)
    # Circuit breakers (core/breaker.py): after this many consecutive connection failures or
    # timeouts a dependency is skipped for BREAKER_OPEN_SECONDS (answers SERVICE_UNAVAILABLE
    # at once), then one trial call decides whether it is back.
    breaker_failure_threshold: int = Field(default=3, ge=1)
    breaker_open_seconds: float = Field(default=2.0, gt=0, le=300)
    jwt_secret: str = ""
    payment_webhook_secret: str = ""
    cors_origins: Annotated[list[str], NoDecode] = Field(default_factory=list)
    log_level: str = "INFO"
    log_json: bool = True

    host: str = "127.0.0.1"
    port: int = 8000
    web_concurrency: int = Field(default=1, ge=1)
    frontend_dist: Path = Path("frontend/dist")
    # Proxies whose X-Forwarded-For is trusted for the client address (rate limits per IP).
    forwarded_allow_ips: str = "127.0.0.1"

    max_query_depth: int = Field(default=12, ge=1)
    max_query_aliases: int = Field(default=30, ge=1)
    max_query_tokens: int = Field(default=2000, ge=10)
    max_body_bytes: int = Field(default=1_000_000, ge=1024)
    graphql_cache_size: int = Field(default=512, ge=1)
    # Answer `seckillBuy` in the buy lane (graphql/fastlane.py); false: generic execution only.
    graphql_buy_lane: bool = True
    # Answer `seckillEventUpdated` from shared encoded snapshots (graphql/eventlane.py) and
    # `waitingRoomUpdated` from each entry's view without generic execution (graphql/roomlane.py).
    graphql_event_lane: bool = True
    # The build's /assets/ files answered ahead of the middleware stack (static.py AssetLane).
    static_asset_lane: bool = True

    # GraphQL input limits (docs/security.md "Input limits") ------------------------------------
    # Characters of a query text, checked before it is parsed; keep well under MAX_BODY_BYTES.
    max_query_length: int = Field(default=20_000, ge=100)
    # Static cost of one operation (graphql/cost.py); more: QUERY_TOO_COMPLEX, nothing executed.
    max_query_cost: int = Field(default=2000, ge=1)
    # Estimated bytes each compiled-document cache may hold, as well as GRAPHQL_CACHE_SIZE entries
    # (0: cache nothing).
    graphql_cache_bytes: int = Field(default=32 * 1024 * 1024, ge=0)

    # Collect young objects every N allocations after start-up froze the rest (core/gc_tuning.py);
    # 0 keeps Python's defaults.
    gc_young_threshold: int = Field(default=20_000, ge=0)
    # API processes: in quiet moments, collect the young generations and freeze what survived
    # (core/gc_tuning.py HeapKeeper) every N seconds (0: never), and run a full collection
    # every GC_KEEPER_FULL_EVERY_SECONDS.
    gc_keeper_interval_seconds: float = Field(default=1.0, ge=0)
    gc_keeper_full_every_seconds: float = Field(default=300.0, gt=0)

    worker_health_check_interval: int = Field(default=10, ge=1)
    worker_job_timeout: int = Field(default=60, ge=1)
    worker_max_jobs: int = Field(default=50, ge=1)  # jobs one worker runs at once
    worker_poll_delay_seconds: float = Field(default=0.05, gt=0, le=5)
    # `flashmart worker` runs at this nice value, below the API on a shared machine
    # (core/priority.py); 0 leaves it alone.
    worker_nice: int = Field(default=10, ge=0, le=19)

    # observability: the worker's metrics (flashmart/worker_metrics.py, README "Operations") --
    # `flashmart worker` serves Prometheus metrics at http://WORKER_METRICS_HOST:PORT/metrics;
    # 0 serves nothing. Several workers on one host need a port each.
    worker_metrics_port: int = Field(default=0, ge=0, le=65535)
    worker_metrics_host: str = "127.0.0.1"

    # Kubernetes (docs/kubernetes.md) ----------------------------------------------------------
    # The worker's poll loop touches this file every WORKER_HEALTH_CHECK_INTERVAL seconds and
    # `flashmart worker --alive` (a worker pod's liveness probe) checks its age; unset: no file.
    worker_liveness_file: Path | None = None

    # accounts and auth (docs/auth.md) ---------------------------------------------------------
    access_token_ttl_seconds: int = Field(default=900, ge=30)
    # How long an API process may reuse a user's token stamp it read (changes reach it through
    # pub/sub at once; this bounds a missed message). 0: read Redis on every request.
    token_stamp_cache_seconds: float = Field(default=60.0, ge=0)
    # How often the worker rewrites recent revocations into Redis from the database and marks
    # them complete (accounts/revocation.py `sync_stamps`): bounds how long a Redis that lost
    # its data sends token checks to the database.
    token_stamp_sync_interval_seconds: int = Field(default=30, ge=1, le=60)
    refresh_token_ttl_days: int = Field(default=30, ge=1)
    password_hash_time_cost: int = Field(default=2, ge=1)
    password_hash_memory_cost: int = Field(default=19_456, ge=8)  # KiB; OWASP's Argon2id minimum

    # accounts: abuse limits and email verification (docs/security.md "Accounts") -------------
    # Sign-in attempts per client address (IPv6: per /64), a token bucket refilled over the
    # window; a successful sign-in gives its attempt back.
    login_attempts_per_ip: int = Field(default=100, ge=1)
    login_attempts_window_seconds: int = Field(default=900, ge=1)
    # Failed sign-ins per (email, client address): this many go through at once, then each next
    # attempt waits LOGIN_BACKOFF_BASE_SECONDS, doubling up to LOGIN_BACKOFF_MAX_SECONDS. A
    # success at that address clears the count; it is forgotten this long after the latest.
    login_backoff_free_failures: int = Field(default=5, ge=1)
    login_backoff_base_seconds: float = Field(default=2.0, gt=0, le=3600)
    login_backoff_max_seconds: float = Field(default=600.0, gt=0, le=86_400)
    login_backoff_forget_seconds: int = Field(default=86_400, ge=60)
    # The email's safety valve: after this many failures for one email from all addresses
    # within the window, every address gets one free attempt for it instead of
    # LOGIN_BACKOFF_FREE_FAILURES (nobody is refused a first attempt).
    login_email_failures: int = Field(default=50, ge=1)
    login_email_failures_window_seconds: int = Field(default=3600, ge=1)
    # Sign-ups per client address (a token bucket refilled over the window) and in the whole
    # shop per minute; refused ones cost no password hash.
    register_attempts_per_ip: int = Field(default=5, ge=1)
    register_attempts_ip_window_seconds: int = Field(default=3600, ge=1)
    register_attempts_per_minute: int = Field(default=60, ge=1)
    # Email verification: registering mails a one-time link (valid this long); shoppers may ask
    # for another EMAIL_VERIFICATION_RESEND_PER_HOUR times an hour. Off: nothing is mailed at
    # sign-up, but shoppers can still verify on demand (sales may require it).
    email_verification: bool = False
    email_verification_ttl_seconds: int = Field(default=86_400, ge=60)
    email_verification_resend_per_hour: int = Field(default=3, ge=1)
    # accounts: password reset (docs/auth.md "Password reset") --------------------------------
    # A reset link works once, for this long; requests per client address and per email address
    # are token buckets refilled over an hour (over the limit: RATE_LIMITED, whether or not an
    # account has that email).
    password_reset_ttl_seconds: int = Field(default=3600, ge=60, le=86_400)
    password_reset_per_ip_per_hour: int = Field(default=10, ge=1)
    password_reset_per_email_per_hour: int = Field(default=3, ge=1)
    # Mail (core/mail.py): `mailbox` keeps messages in Redis for the development mailbox page
    # (the last DEV_MAILBOX_SIZE); `smtp` hands them to SMTP_HOST.
    mail_backend: Literal["mailbox", "smtp"] = "mailbox"
    mail_from: str = "FlashMart <no-reply@flashmart.local>"
    dev_mailbox_size: int = Field(default=100, ge=1, le=10_000)
    smtp_host: str = ""
    smtp_port: int = Field(default=587, ge=1, le=65_535)
    smtp_security: Literal["starttls", "tls", "none"] = "starttls"
    smtp_username: str = ""
    smtp_password: str = ""
    smtp_timeout_seconds: float = Field(default=10.0, gt=0, le=120)

    # cart, checkout and orders (README "Orders") ------------------------------------------------
    cart_max_line_quantity: int = Field(default=99, ge=1, le=10_000)
    order_payment_timeout_seconds: int = Field(default=1800, ge=1)
    seckill_payment_timeout_seconds: int = Field(default=900, ge=1)
    order_sweep_interval_seconds: int = Field(default=30, ge=1, le=60)

    # address book, checkout review, shipping and fulfilment (docs/checkout.md) -----------------
    # CN: phone numbers and postcodes of mainland China (11 digits from 1, optionally +86; six
    # digits); ANY: international phone numbers (+, digits, spaces, dashes) and optional postcodes.
    address_format: Literal["CN", "ANY"] = "CN"
    address_max_per_user: int = Field(default=20, ge=1, le=200)
    # Flat shipping fee of a checkout (shop currency); free from FREE_SHIPPING_OVER of
    # subtotal up (0: never free). Flash-sale orders ship free.
    shipping_fee: Decimal = Field(default=Decimal("10.00"), ge=0, max_digits=10, decimal_places=2)
    free_shipping_over: Decimal = Field(
        default=Decimal("99.00"), ge=0, max_digits=10, decimal_places=2
    )

    # catalog (docs/catalog.md) ----------------------------------------------------------------
    # One file; keep below MEDIA_MAX_UPLOAD_BYTES, the cap of a whole multipart request.
    media_max_bytes: int = Field(default=12_000_000, ge=1024)
    media_max_pixels: int = Field(default=40_000_000, ge=1)
    catalog_cache_ttl_seconds: int = Field(default=30, ge=1)

    # catalog upkeep: uploads of several (phone-sized) images (docs/search.md) ----------------
    # A multipart request carrying the upload header may be this large (MAX_BODY_BYTES caps
    # every other request); a bigger one is refused (413) before it is parsed.
    media_max_upload_bytes: int = Field(default=64_000_000, ge=1024)
    media_max_files: int = Field(default=10, ge=1, le=100)  # images in one upload
    media_max_dimension: int = Field(default=2048, ge=64)  # longest side kept, in pixels

    # flash sales (README "Flash sales") -------------------------------------------------------
    seckill_user_rate: float = Field(default=2.0, gt=0)  # buy attempts per second per shopper
    seckill_user_burst: int = Field(default=5, ge=1)
    seckill_ip_rate: float = Field(default=200.0, gt=0)  # per client address (shared NATs)
    seckill_ip_burst: int = Field(default=400, ge=1)
    seckill_max_quantity: int = Field(default=10, ge=1)
    # One script call reserves AND enqueues the arq job (closes the crash window). Only where
    # the queue shares the sale's Redis: `enqueues_in_script` is what the code obeys.
    seckill_enqueue_in_script: bool = True
    seckill_reconcile_after_seconds: float = Field(default=5.0, gt=0)
    # With the queue on its own Redis (QUEUE_REDIS_URL): a reservation this old without its
    # order is taken for one whose enqueue was lost, and persisted by a cron that runs every
    # second (seckill/reconcile.py `persist_lost`).
    seckill_lost_enqueue_after_seconds: float = Field(default=2.0, gt=0, le=60)
    # After a reserve call finds a sale sold out, this API process answers SOLD_OUT itself for
    # this long (seckill/soldout.py); a unit that comes back sells that much later. 0: never.
    seckill_sold_out_memo_ms: int = Field(default=250, ge=0, le=5000)
    # Reservations the worker persists in one transaction (1: each job its own, one by one).
    seckill_persist_batch: int = Field(default=50, ge=1, le=1000)
    seckill_reconcile_interval_seconds: int = Field(default=5, ge=1, le=60)
    seckill_warmup_lead_seconds: int = Field(default=600, ge=0)
    # How often the worker's cron warms due sales. Shoppers never warm a sale (a cold one answers
    # NOT_STARTED), so this bounds how long a live sale whose Redis keys vanished stays unbuyable.
    seckill_warmup_interval_seconds: int = Field(default=5, ge=1, le=60)
    # When a buy is answered QUEUED (core/durability.py): `durable` once Redis has the
    # reservation on disk (appendfsync always) or, where Redis is not fsync-always but has a
    # replica, once a replica has it (WAIT); `fast` at once, on an AOF fsynced every second.
    seckill_durability: Durability = Durability.DURABLE
    # How long a durable buy waits for a replica's acknowledgement (WAIT) before answering
    # SERVICE_UNAVAILABLE instead of QUEUED.
    seckill_replica_wait_ms: int = Field(default=500, ge=1, le=10_000)

    # waiting rooms of flash sales (docs/waiting-room.md) -----------------------------------
    # Joins per shopper and per client address in a minute (token buckets; RATE_LIMITED).
    seckill_room_joins_per_user_minute: int = Field(default=10, ge=1)
    seckill_room_joins_per_ip_minute: int = Field(default=600, ge=1)
    # Most entrants one room admits per tick of the worker's admission cron (once a second).
    seckill_room_admit_batch: int = Field(default=1000, ge=1, le=10_000)

    # payments (docs/payments.md) ---------------------------------------------------------------
    payment_provider: Literal["sandbox"] = "sandbox"
    # Where browsers reach FlashMart: payUrl links (and, by default, the sandbox's webhook target).
    public_base_url: str = "http://127.0.0.1:8000"
    # Where the sandbox provider posts webhooks; empty: {PUBLIC_BASE_URL}/payments/sandbox/webhook.
    payment_sandbox_webhook_url: str = ""
    payment_webhook_tolerance_seconds: int = Field(default=300, ge=1)  # older ones are refused
    payment_webhook_max_clock_skew_seconds: int = Field(default=60, ge=0)  # ahead of our clock
    payment_webhook_max_tries: int = Field(default=15, ge=1)  # sandbox delivery attempts
    payment_webhook_retry_base_seconds: float = Field(default=2.0, gt=0)  # doubles per attempt
    payment_webhook_retry_max_seconds: float = Field(default=600.0, gt=0)
    payment_webhook_timeout_seconds: float = Field(default=10.0, gt=0)
    # Pending payments older than this are checked with the provider (a webhook may be lost).
    payment_reconcile_after_seconds: int = Field(default=120, ge=1)

    # production mode (docs/security.md "Production mode") ---------------------------------------
    # GraphiQL at GET /graphql, and introspection (`__schema`, `__type`): unset, on in
    # development and off in production; an explicit value wins in either.
    graphiql: bool | None = None
    graphql_introspection: bool | None = None
    # ENV=production refuses to start with the sandbox payment provider (anyone can approve
    # their own payment on its pay page) unless this says the deployment is a staging or demo.
    allow_sandbox_payments: bool = False
    # Security headers on every response (security_headers.py). The policy must let the built
    # frontend run (tests/e2e/csp.spec.ts); deploy/nginx.conf sends the same one with the files.
    content_security_policy: str = Field(
        default=DEFAULT_CONTENT_SECURITY_POLICY, min_length=1, pattern=r"^[^\r\n]+$"
    )
    referrer_policy: Literal[
        "no-referrer",
        "no-referrer-when-downgrade",
        "origin",
        "origin-when-cross-origin",
        "same-origin",
        "strict-origin",
        "strict-origin-when-cross-origin",
        "unsafe-url",
    ] = "strict-origin-when-cross-origin"
    # Strict-Transport-Security on responses to HTTPS requests (scheme after trusted proxy
    # headers); 0: never sent.
    hsts_max_age_seconds: int = Field(default=31_536_000, ge=0)
    # Subscription sockets that have not sent `connection_init` yet count against
    # SUBSCRIPTION_MAX_ANONYMOUS_PER_ADDRESS in a set of their own (graphql/websocket.py), and
    # are closed (4408) after this long without it.
    subscription_init_timeout_seconds: float = Field(default=10.0, gt=0, le=60)
    # trusted documents (docs/security.md "Trusted documents") --------------------------------
    # The frontend's GraphQL documents by id (`sha256:<hex>` of the text -> the text), written by
    # its codegen (`npm run codegen`); loaded once at start-up.
    trusted_documents_manifest: Path = Path("persisted-documents.json")
    # Anonymous visitors and shoppers may run only the manifest's documents (by `documentId`,
    # or by their exact text); administrators may send any. Unset: on in production only.
    trusted_documents_only: bool | None = None

    # real-time subscriptions (README "Real-time") ---------------------------------------------
    subscription_event_rate: float = Field(default=4.0, gt=0, le=50)  # seckillEventUpdated/s
    subscription_max_per_connection: int = Field(default=20, ge=1)
    subscription_max_connections_per_user: int = Field(default=10, ge=1)  # across all processes
    # Anonymous sockets per client address across all processes (shoppers behind one NAT share it)
    subscription_max_anonymous_per_address: int = Field(default=100, ge=1)
    subscription_ping_interval_seconds: float = Field(default=15.0, gt=0)  # server `ping`
    subscription_heartbeat_seconds: float = Field(default=10.0, gt=0)  # per-user slot renewal

    @model_validator(mode="before")
    @classmethod
    def _split_origins(cls, data: object) -> object:
        if isinstance(data, dict):
            raw = data.get("cors_origins", data.get("CORS_ORIGINS"))
            if isinstance(raw, str):
                data = {**data, "cors_origins": [o.strip() for o in raw.split(",") if o.strip()]}
                data.pop("CORS_ORIGINS", None)
        return data

    @field_validator("cors_origins")
    @classmethod
    def _check_origins(cls, origins: list[str]) -> list[str]:
        """Origins as browsers send them: scheme://host[:port], no path (a final / is dropped)."""
        checked = []
        for origin in origins:
            origin = origin.rstrip("/")
            parts = urlsplit(origin)
            if parts.scheme not in ("http", "https") or not parts.netloc or parts.path:
                raise ValueError(
                    f"CORS_ORIGINS: {origin!r} is not an origin like https://shop.example"
                )
            checked.append(origin)
        return checked

    @model_validator(mode="after")
    def _check_accounts(self) -> Self:
        if self.login_backoff_forget_seconds < self.login_backoff_max_seconds:
            raise ValueError(
                "LOGIN_BACKOFF_FORGET_SECONDS must be at least LOGIN_BACKOFF_MAX_SECONDS"
            )
        if self.mail_backend == "smtp" and not self.smtp_host:
            raise ValueError("MAIL_BACKEND=smtp needs SMTP_HOST")
        if self.is_production and self.email_verification and self.mail_backend == "mailbox":
            raise ValueError(
                "EMAIL_VERIFICATION in production needs MAIL_BACKEND=smtp: nobody can read the "
                "development mailbox there"
            )
        return self

    @model_validator(mode="after")
    def _check_secrets(self) -> Self:
        if self.env is Environment.PRODUCTION:
            weak = [
                name
                for name in ("jwt_secret", "payment_webhook_secret")
                if len(getattr(self, name)) < MIN_SECRET_LENGTH
            ]
            if weak:
                names = ", ".join(n.upper() for n in weak)
                raise ValueError(
                    f"{names} must be set to at least {MIN_SECRET_LENGTH} characters in production"
                )
        else:
            for name in ("jwt_secret", "payment_webhook_secret"):
                if not getattr(self, name):
                    setattr(self, name, _dev_secret(self.data_dir, name))
        return self

    @model_validator(mode="after")
    def _production_defaults(self) -> Self:
        """Fill the settings whose default depends on ENV; refuse what production forbids."""
        if self.graphiql is None:
            self.graphiql = not self.is_production
        if self.graphql_introspection is None:
            self.graphql_introspection = not self.is_production
        sandbox = self.payment_provider == "sandbox"
        if self.is_production and sandbox and not self.allow_sandbox_payments:
            raise ValueError(
                "PAYMENT_PROVIDER=sandbox in production: anyone could approve their own "
                "payment on the sandbox's pay page. Configure a real provider, or set "
                "ALLOW_SANDBOX_PAYMENTS=true for a staging or demo deployment"
            )
        return self

    @model_validator(mode="after")
    def _check_topology(self) -> Self:
        if self.queue_redis_url and is_cluster_url(self.queue_redis_url):
            raise ValueError(
                "QUEUE_REDIS_URL must name a plain Redis: arq's queue does not run on a cluster"
            )
        if self.redis_url and is_cluster_url(self.redis_url):
            if not self.queue_redis_url:
                raise ValueError(
                    "REDIS_URL names a Redis Cluster: set QUEUE_REDIS_URL to a plain Redis for "
                    "the job queue (arq does not support Redis Cluster)"
                )
            cluster_nodes(self.redis_url)  # refuses a URL without seed nodes
        return self

    @property
    def queue_is_separate(self) -> bool:
        """arq's queue lives on another Redis than the sales (QUEUE_REDIS_URL)."""
        return bool(self.queue_redis_url) and self.queue_redis_url != self.redis_url

    @property
    def enqueues_in_script(self) -> bool:
        """The reserve script queues the persist job itself: SECKILL_ENQUEUE_IN_SCRIPT, and
        only while the queue shares the sale's Redis (one script cannot write two servers)."""
        return self.seckill_enqueue_in_script and not self.queue_is_separate

    @property
    def is_production(self) -> bool:
        return self.env is Environment.PRODUCTION

    @property
    def requires_trusted_documents(self) -> bool:
        """TRUSTED_DOCUMENTS_ONLY as set, else on in production and off in development."""
        if self.trusted_documents_only is None:
            return self.is_production
        return self.trusted_documents_only

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def _dev_secret(data_dir: Path, name: str) -> str:
    """A development secret, generated once and kept in `DATA_DIR/secrets/<name>` (mode 0600).

    The file is never readable by others, not even for a moment: the value is written into a
    new file created exclusively (O_CREAT | O_EXCL) with mode 0600, which is then linked to its
    name (link(2) fails if the name exists, so of two processes starting together one writes
    and the other reads the winner's complete value). An existing file with a looser mode is
    tightened to 0600, with a warning: its value may have been read by others.
    """
    directory = data_dir / "secrets"
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = directory / name
    if not path.exists():
        _create_secret(path, secrets.token_urlsafe(48))
    return _read_secret(path)


def _create_secret(path: Path, value: str) -> None:
    draft = path.with_name(f".{path.name}.{secrets.token_hex(8)}")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(draft, flags, 0o600)
    try:
        with os.fdopen(fd, "w") as file:
            file.write(value)
            file.flush()
            os.fsync(file.fileno())
        with contextlib.suppress(FileExistsError):  # another process named its value first
            os.link(draft, path)
    finally:
        draft.unlink(missing_ok=True)


def _read_secret(path: Path) -> str:
    loose = path.stat().st_mode & 0o077
    if loose:
        logger.warning(
            "%s was readable beyond its owner (mode %o): tightened to 0600; if others may "
            "have read it, delete it to generate a new one",
            path,
            path.stat().st_mode & 0o777,
        )
        path.chmod(0o600)
    return path.read_text().strip()


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
