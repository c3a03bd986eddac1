"""One settings class, read from the environment and an optional `.env`, validated at start-up."""

from __future__ import annotations

import secrets
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Literal, Self
from urllib.parse import urlsplit

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

MIN_SECRET_LENGTH = 32


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
    graphiql: bool = True
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
    # Answer `seckillEventUpdated` from shared encoded snapshots (graphql/eventlane.py).
    graphql_event_lane: bool = True

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

    # catalog (docs/catalog.md) ----------------------------------------------------------------
    # Keep below MAX_BODY_BYTES: a bigger multipart body is refused (413) before it is parsed.
    media_max_bytes: int = Field(default=900_000, ge=1024)
    media_max_pixels: int = Field(default=40_000_000, ge=1)
    catalog_cache_ttl_seconds: int = Field(default=30, ge=1)

    # flash sales (README "Flash sales") -------------------------------------------------------
    seckill_user_rate: float = Field(default=2.0, gt=0)  # buy attempts per second per shopper
    seckill_user_burst: int = Field(default=5, ge=1)
    seckill_ip_rate: float = Field(default=200.0, gt=0)  # per client address (shared NATs)
    seckill_ip_burst: int = Field(default=400, ge=1)
    seckill_max_quantity: int = Field(default=10, ge=1)
    # One script call reserves AND enqueues the arq job (closes the crash window); turn off
    # when the queue lives on another Redis than the stock (Redis Cluster).
    seckill_enqueue_in_script: bool = True
    seckill_reconcile_after_seconds: float = Field(default=5.0, gt=0)
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

    @property
    def is_production(self) -> bool:
        return self.env is Environment.PRODUCTION

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def _dev_secret(data_dir: Path, name: str) -> str:
    """Generate a development secret once and keep it under the data directory."""
    path = data_dir / "secrets" / name
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(48)
    path.write_text(value)
    path.chmod(0o600)
    return value


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
