"""The arq worker: job functions, cron jobs and the typed job dependencies."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import time
from datetime import datetime
from typing import Any

from arq import Retry, Worker, cron
from arq.constants import in_progress_key_prefix
from arq.typing import WorkerCoroutine
from arq.utils import timestamp_ms
from arq.worker import Function, func
from opentelemetry.trace import SpanKind

from flashmart.accounts import jobs as account_jobs
from flashmart.core import system, tracing
from flashmart.core.db import close_db, init_db_for
from flashmart.core.gc_tuning import settle_heap
from flashmart.core.keys import Keys
from flashmart.core.logging import configure_logging
from flashmart.core.outages import Backoff, is_outage
from flashmart.core.queue import (
    apply_queue_timeouts,
    deserialize_job,
    redis_settings,
    serialize_job,
)
from flashmart.core.runtime import DEPS_KEY, Runtime, queue_url
from flashmart.core.settings import Settings
from flashmart.orders import jobs as order_jobs
from flashmart.payments import jobs as payment_jobs
from flashmart.seckill import jobs as seckill_jobs
from flashmart.worker_liveness import LivenessFile
from flashmart.worker_metrics import JobCounter, MetricsServer

logger = logging.getLogger("flashmart.worker")

# A job that met an outage runs again after these delays (by its try number), and may try this
# often: with the 10 s cap, a job rides out about a quarter of an hour of outage. What is still
# unpersisted after that, the reconciler persists from the reservation ledger.
JOB_RETRY_FIRST_SECONDS = 0.5
JOB_RETRY_MAX_SECONDS = 10.0
OUTAGE_MAX_TRIES = 100
# The worker's own loop, while Redis is away: the next attempt after these delays.
RECONNECT_FIRST_SECONDS = 0.1
RECONNECT_MAX_SECONDS = 5.0


def retried_on_outage(job: WorkerCoroutine | Function) -> Function:
    """`job`, raising arq's `Retry` (later, with back-off) when it fails because Redis or the
    database is away: any other exception fails a job for good (PITFALLS, "arq"), and a
    reservation's persist job must not. Jobs are idempotent, so running one again is safe."""
    spec = func(job)
    inner = traced_job(spec.coroutine, f"job {spec.name}")

    counted = JobCounter(spec.name)

    @functools.wraps(inner)
    async def run(ctx: dict[str, Any], *args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            result = await inner(ctx, *args, **kwargs)
        except Retry:
            counted.done("retry", started)
            raise
        except Exception as exc:
            if not is_outage(exc):
                counted.done("error", started)
                raise
            counted.done("retry", started)
            tries = int(ctx.get("job_try") or 1)
            delay = Backoff(JOB_RETRY_FIRST_SECONDS, JOB_RETRY_MAX_SECONDS, attempts=tries - 1)
            seconds = delay.next()
            logger.warning(
                "job %s (try %d) met an outage: %r; trying again in %.1f s",
                ctx.get("job_id"), tries, exc, seconds,
            )  # fmt: skip
            raise Retry(defer=seconds) from exc
        counted.done("ok", started)
        return result

    tries = max(spec.max_tries or 0, OUTAGE_MAX_TRIES)
    return func(run, name=spec.name, timeout=spec.timeout_s, keep_result=spec.keep_result_s,
                keep_result_forever=spec.keep_result_forever, max_tries=tries)  # fmt: skip


def traced_job(inner: WorkerCoroutine, span_name: str) -> WorkerCoroutine:
    """`inner` that takes the queuing side's trace from its `traceparent` keyword argument
    (core/tracing.py; dropped whether or not this process traces) and, while tracing is on,
    runs in a consumer span of that trace (without one: a trace of its own)."""

    @functools.wraps(inner)
    async def run(ctx: dict[str, Any], *args: Any, **kwargs: Any) -> Any:
        parent = kwargs.pop(tracing.JOB_TRACEPARENT, None) if kwargs else None
        if tracing.tracer is None:
            return await inner(ctx, *args, **kwargs)
        attributes: dict[str, str | int] = {
            "messaging.system": "arq", "messaging.operation.type": "process",
            "messaging.message.id": str(ctx.get("job_id")),
            "flashmart.job.try": int(ctx.get("job_try") or 1),
        }  # fmt: skip
        with tracing.span(
            span_name,
            kind=SpanKind.CONSUMER,
            attributes=attributes,
            parent=tracing.parent_from_traceparent(parent),
        ):
            return await inner(ctx, *args, **kwargs)

    return run


FUNCTIONS: list[WorkerCoroutine | Function] = [
    retried_on_outage(job)
    for job in (
        system.system_ping,
        order_jobs.expire_order,
        payment_jobs.deliver_sandbox_webhook_function,
        seckill_jobs.persist_reservation,
    )
]
# Where on_startup leaves what on_shutdown closes: the Runtime, then the database.
CLOSE_KEY = "flashmart_close"


def worker_options(
    settings: Settings, redis_url: str, *, burst: bool = False, manage_database: bool = True
) -> dict[str, Any]:
    """Keyword arguments for `arq.Worker`; the CLI, tests and benchmarks all use these.

    `manage_database=False` when the caller already initialised Tortoise in this process.
    """

    async def on_startup(ctx: dict[str, Any]) -> None:
        configure_logging(settings.log_level, json_lines=settings.log_json)
        tracing.setup("flashmart-worker")  # on only when OTEL_* variables ask (core/tracing.py)
        apply_queue_timeouts(ctx["redis"], settings)  # arq's own pool: no command timeout else
        async with contextlib.AsyncExitStack() as stack:  # closes what opened if a step fails
            if manage_database:
                await init_db_for(settings)
                stack.push_async_callback(close_db)
            ctx[DEPS_KEY] = await stack.enter_async_context(
                Runtime.open(settings, redis_url=redis_url)
            )
            if settings.worker_metrics_port:  # README "Operations"
                served = MetricsServer(ctx[DEPS_KEY])
                await served.start(settings.worker_metrics_host, settings.worker_metrics_port)
                stack.push_async_callback(served.close)
            ctx[CLOSE_KEY] = stack.pop_all()  # for on_shutdown
        settle_heap(settings.gc_young_threshold)

    async def on_shutdown(ctx: dict[str, Any]) -> None:
        opened: contextlib.AsyncExitStack | None = ctx.pop(CLOSE_KEY, None)
        if opened is not None:
            await opened.aclose()

    crons = [
        cron(
            traced_job(order_jobs.expire_overdue_orders, "cron expire_overdue_orders"),
            second=set(range(0, 60, settings.order_sweep_interval_seconds)),
            run_at_startup=True,
            unique=True,
        ),
        cron(
            traced_job(payment_jobs.reconcile_payments, "cron reconcile_payments"),
            second={45},
            unique=True,
        ),
        cron(
            traced_job(account_jobs.sync_token_stamps, "cron sync_token_stamps"),
            second=set(range(0, 60, settings.token_stamp_sync_interval_seconds)),
            run_at_startup=True,
            unique=True,
        ),
        cron(
            traced_job(seckill_jobs.warm_upcoming_events, "cron warm_upcoming_events"),
            second=set(range(0, 60, settings.seckill_warmup_interval_seconds)),
            run_at_startup=True,
            unique=True,
        ),
        cron(  # waiting rooms: the draw, then admissions (seckill/room.py)
            traced_job(seckill_jobs.admit_waiting_rooms, "cron admit_waiting_rooms"),
            second=set(range(60)),
            unique=True,
        ),
        cron(
            traced_job(seckill_jobs.reconcile_reservations, "cron reconcile_reservations"),
            second=set(range(0, 60, settings.seckill_reconcile_interval_seconds)),
            unique=True,
        ),
        *(
            [  # the queue on its own Redis: a lost enqueue is persisted within seconds
                cron(
                    traced_job(
                        seckill_jobs.persist_lost_reservations, "cron persist_lost_reservations"
                    ),
                    second=set(range(60)),
                    unique=True,
                )
            ]
            if settings.queue_is_separate
            else []
        ),
        cron(  # once a minute: FlashMartSaleAuditFailing (deploy/prometheus/alerts.yml)
            traced_job(seckill_jobs.audit_ended_sales, "cron audit_ended_sales"),
            second={30},
            unique=True,
        ),
    ]

    keys = Keys(settings.redis_prefix)
    return {
        "functions": FUNCTIONS,
        # A burst worker drains the queue and stops; periodic jobs belong to long-running ones
        # (a cron due within a second sits in the queue and would keep a burst worker alive).
        "cron_jobs": [] if burst else crons,
        "redis_settings": redis_settings(queue_url(settings, redis_url), settings),
        "queue_name": keys.queue,
        "health_check_key": system.health_check_key(keys),
        "health_check_interval": settings.worker_health_check_interval,
        "job_timeout": settings.worker_job_timeout,
        "job_serializer": serialize_job,
        "job_deserializer": deserialize_job,
        "on_startup": on_startup,
        "on_shutdown": on_shutdown,
        "burst": burst,
        "handle_signals": True,
        "max_jobs": settings.worker_max_jobs,
        # arq looks for due jobs every poll_delay seconds (0.5 by default): at flash-sale rates
        # that, not the database, capped persistence near max_jobs / poll_delay orders a second.
        "poll_delay": settings.worker_poll_delay_seconds,
        "job_completion_wait": settings.worker_job_timeout,  # finish in-flight jobs on SIGTERM
    }


# Due ids looked at per round trip before arq's own checks (FlashWorker.start_jobs).
START_CHECK_WINDOW = 10


class FlashWorker(Worker):
    """arq's worker with a cheaper look at the job ids a poll read.

    arq checks every id it read (up to 5 x max_jobs) with three sequential round trips (WATCH,
    EXISTS of its in-progress key, ZSCORE) and skips it when it is running or no longer due.
    Persist jobs claim each other's reservations and put those jobs off (`store.claim`), so
    during a sale most ids of a read are skipped by the time arq reaches them, and most of its
    round trips go to ids it then skips (docs/hotpath.md, "FlashWorker"). Here the next ids
    are checked with the same two reads in ONE pipelined round trip, and only the ones that
    are still startable go to arq's `start_jobs`, which checks them again under WATCH exactly
    as before; the check repeats after every start, since the job just started may claim the
    next ones. Which jobs start is unchanged: only ids arq would skip are skipped here. Relies
    on arq 0.28's `start_jobs` contract (pinned; tests/backend/test_worker.py).

    It also rides out Redis outages, which end arq's own worker: its polling loop lets a
    `ConnectionError` through and the process exits (PITFALLS, "arq"). Here a poll that meets
    an outage is logged and tried again after a capped back-off, for as long as it takes;
    crons due meanwhile run once Redis is back; and jobs the outage cut off (their last
    bookkeeping round trip failed, so arq's in-progress marker would hold them back for
    `job_timeout + 10` s) are freed to run again at once (tests/backend/test_worker_outage.py).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.outage = Backoff(RECONNECT_FIRST_SECONDS, RECONNECT_MAX_SECONDS)
        # Jobs an outage cut off while their in-progress marker was ours: id -> when it was set.
        self.cut_off: dict[str, float] = {}
        # WORKER_LIVENESS_FILE, touched by the poll loop (worker_liveness.py; create_worker).
        self.liveness: LivenessFile | None = None

    # --- riding out outages -----------------------------------------------------------------
    async def _poll_iteration(self) -> None:
        _honour_cancellation()
        if self.liveness is not None:
            self.liveness.beat()  # before Redis: an outage waited out here is no hang
        try:
            if self.cut_off:
                await self._free_cut_off_jobs()
            await super()._poll_iteration()
        except Exception as exc:
            if not is_outage(exc):
                raise
            delay = self.outage.next()
            logger.warning(
                "Redis unavailable (%r); reconnect attempt %d in %.1f s",
                exc, self.outage.attempts, delay,
            )  # fmt: skip
            await asyncio.sleep(delay)
            return
        _honour_cancellation()
        if self.outage.attempts:
            logger.warning("Redis is back after %d attempts; resuming", self.outage.attempts)
            self.outage.reset()
            self._last_health_check = 0  # say at once that this worker is alive again

    async def _free_cut_off_jobs(self) -> None:
        """Drop the in-progress markers of jobs an outage cut off, so they run again now.
        Only markers that are still ours: set less than their lifetime ago, for jobs not
        running here; a later one may be another worker's."""
        now = time.monotonic()
        lifetime = self.in_progress_timeout_s - 1
        running = {job_id for job_id, task in self.tasks.items() if not task.done()}
        ours = [
            job_id
            for job_id, since in self.cut_off.items()
            if now - since < lifetime and job_id not in running
        ]
        if ours:
            await self.pool.delete(*(in_progress_key_prefix + job_id for job_id in ours))
            logger.warning("%d job(s) cut off by the outage run again: %s", len(ours), ours)
        self.cut_off.clear()

    async def run_job(self, job_id: str, score: int) -> None:
        started = time.monotonic()
        try:
            await super().run_job(job_id, score)
        except Exception as exc:
            if not is_outage(exc):
                raise
            # Its start or its bookkeeping met the outage (a job's own outage is a Retry):
            # the job stays queued, held back by the in-progress marker this worker set.
            logger.warning("job %s cut off by an outage (%r)", job_id, exc)
            self.cut_off[job_id] = started

    async def run_cron(self, n: datetime, delay: float, num_windows: int = 2) -> None:
        """arq's, except that crons whose enqueue met an outage stay due (arq has moved them
        on), and a cron that missed several runs runs once, not once per missed run."""
        due = [(cron_job, cron_job.next_run) for cron_job in self.cron_jobs]
        try:
            await super().run_cron(n, delay, num_windows)
        except Exception as exc:
            if is_outage(exc):
                for cron_job, next_run in due:
                    cron_job.next_run = next_run
            raise
        for cron_job in self.cron_jobs:
            if cron_job.next_run is not None and cron_job.next_run < n:
                cron_job.calculate_next(n)

    async def close(self) -> None:
        """arq's, also when Redis is away: its health key is then left to expire."""
        try:
            await super().close()
        except Exception as exc:
            if not is_outage(exc) or self._pool is None:
                raise
            logger.warning("Redis unavailable while stopping (%r)", exc)
            if self.on_shutdown:
                await self.on_shutdown(self.ctx)
            await self.pool.close(close_connection_pool=True)
            self._pool = None

    # --- fewer round trips per started job --------------------------------------------------
    async def start_jobs(self, job_ids: list[bytes]) -> None:
        pending = list(job_ids)
        while pending and self.job_counter < self.max_jobs:
            window, pending = pending[:START_CHECK_WINDOW], pending[START_CHECK_WINDOW:]
            startable = await self._startable(window)
            if startable:
                await self._start_one(startable[0])
                pending = startable[1:] + pending

    async def _start_one(self, job_id: bytes) -> None:
        name = job_id.decode()
        before = self.tasks.get(name)
        try:
            await super().start_jobs([job_id])
        except Exception as exc:
            if is_outage(exc) and self.tasks.get(name) is before:
                # arq counted the job and took a slot before the round trip that failed, and
                # gives neither back: after a few outages the worker would start nothing.
                self.job_counter -= 1
                self.sem.release()
                self.cut_off[name] = time.monotonic()  # its marker may have been set
            raise

    async def _startable(self, job_ids: list[bytes]) -> list[bytes]:
        async with self.pool.pipeline(transaction=False) as pipe:
            for job_id in job_ids:
                pipe.exists(in_progress_key_prefix + job_id.decode())
                pipe.zscore(self.queue_name, job_id)
            replies = await pipe.execute()
        now = timestamp_ms()
        return [
            job_id
            for job_id, running, score in zip(job_ids, replies[::2], replies[1::2], strict=True)
            if not running and score is not None and score <= now
        ]


def _honour_cancellation() -> None:
    """Stop when this task was asked to (arq's signal handler and `close` cancel the main
    task) even if the request was swallowed on the way: a cancellation that lands while a
    Redis read's timeout context (redis-py, once the pool has a command timeout) is exiting
    can be lost, and the worker would then poll on, deaf to SIGTERM. `Task.cancelling()`
    still counts the request."""
    task = asyncio.current_task()
    if task is not None and task.cancelling():
        raise asyncio.CancelledError


def create_worker(
    settings: Settings, redis_url: str, *, burst: bool = False, manage_database: bool = True
) -> FlashWorker:
    options = worker_options(settings, redis_url, burst=burst, manage_database=manage_database)
    worker = FlashWorker(**options)
    if settings.worker_liveness_file is not None:
        worker.liveness = LivenessFile(
            settings.worker_liveness_file, settings.worker_health_check_interval
        )
    return worker
