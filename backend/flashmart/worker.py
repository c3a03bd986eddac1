"""The arq worker: job functions, cron jobs and the typed job dependencies."""

from __future__ import annotations

import contextlib
from typing import Any

from arq import Worker, cron
from arq.constants import in_progress_key_prefix
from arq.typing import WorkerCoroutine
from arq.utils import timestamp_ms
from arq.worker import Function

from flashmart.accounts import jobs as account_jobs
from flashmart.core import system
from flashmart.core.db import close_db, init_db_for
from flashmart.core.gc_tuning import settle_heap
from flashmart.core.keys import Keys
from flashmart.core.logging import configure_logging
from flashmart.core.queue import (
    apply_queue_timeouts,
    deserialize_job,
    redis_settings,
    serialize_job,
)
from flashmart.core.runtime import DEPS_KEY, Runtime
from flashmart.core.settings import Settings
from flashmart.orders import jobs as order_jobs
from flashmart.payments import jobs as payment_jobs
from flashmart.seckill import jobs as seckill_jobs

FUNCTIONS: list[WorkerCoroutine | Function] = [
    system.system_ping,
    order_jobs.expire_order,
    payment_jobs.deliver_sandbox_webhook_function,
    seckill_jobs.persist_reservation,
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
        apply_queue_timeouts(ctx["redis"], settings)  # arq's own pool: no command timeout else
        async with contextlib.AsyncExitStack() as stack:  # closes what opened if a step fails
            if manage_database:
                await init_db_for(settings)
                stack.push_async_callback(close_db)
            ctx[DEPS_KEY] = await stack.enter_async_context(
                Runtime.open(settings, redis_url=redis_url)
            )
            ctx[CLOSE_KEY] = stack.pop_all()  # for on_shutdown
        settle_heap(settings.gc_young_threshold)

    async def on_shutdown(ctx: dict[str, Any]) -> None:
        opened: contextlib.AsyncExitStack | None = ctx.pop(CLOSE_KEY, None)
        if opened is not None:
            await opened.aclose()

    crons = [
        cron(
            order_jobs.expire_overdue_orders,
            second=set(range(0, 60, settings.order_sweep_interval_seconds)),
            run_at_startup=True,
            unique=True,
        ),
        cron(payment_jobs.reconcile_payments, second={45}, unique=True),
        cron(
            account_jobs.sync_token_stamps,
            second=set(range(0, 60, settings.token_stamp_sync_interval_seconds)),
            run_at_startup=True,
            unique=True,
        ),
        cron(seckill_jobs.warm_upcoming_events, second={15}, run_at_startup=True, unique=True),
        cron(
            seckill_jobs.reconcile_reservations,
            second=set(range(0, 60, settings.seckill_reconcile_interval_seconds)),
            unique=True,
        ),
    ]

    keys = Keys(settings.redis_prefix)
    return {
        "functions": FUNCTIONS,
        # A burst worker drains the queue and stops; periodic jobs belong to long-running ones
        # (a cron due within a second sits in the queue and would keep a burst worker alive).
        "cron_jobs": [] if burst else crons,
        "redis_settings": redis_settings(redis_url, settings),
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
    on arq 0.28's `start_jobs` contract (pinned; tests/backend/test_worker.py)."""

    async def start_jobs(self, job_ids: list[bytes]) -> None:
        pending = list(job_ids)
        while pending and self.job_counter < self.max_jobs:
            window, pending = pending[:START_CHECK_WINDOW], pending[START_CHECK_WINDOW:]
            startable = await self._startable(window)
            if startable:
                await super().start_jobs(startable[:1])
                pending = startable[1:] + pending

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


def create_worker(
    settings: Settings, redis_url: str, *, burst: bool = False, manage_database: bool = True
) -> FlashWorker:
    options = worker_options(settings, redis_url, burst=burst, manage_database=manage_database)
    return FlashWorker(**options)
