"""A job enqueued through the API is executed by a real arq worker on the same Redis."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path
from typing import Any

from arq import Worker, func
from arq.constants import in_progress_key_prefix
from arq.utils import timestamp_ms
from redis.asyncio import Redis

from flashmart.accounts.models import Role
from flashmart.core import embedded_redis
from flashmart.core.keys import Keys
from flashmart.core.queue import create_queue
from flashmart.core.settings import Settings
from flashmart.worker import FlashWorker, create_worker, worker_options
from tests.backend.helpers import Api, token_for

STATUS = "{ systemStatus { workerAlive queueDepth jobsDue lastPingAt } }"


async def test_api_enqueued_job_runs_on_real_worker(
    api: Api, settings: Settings, redis: Redis
) -> None:
    admin = token_for(1, Role.ADMIN)
    before = await api.gql(STATUS, token=admin)
    assert before["data"]["systemStatus"] == {
        "workerAlive": False,
        "queueDepth": 0,
        "jobsDue": 0,
        "lastPingAt": None,
    }

    sent = await api.gql("mutation { systemPing { jobId userErrors { code } } }", token=admin)
    job_id = sent["data"]["systemPing"]["jobId"]
    assert job_id.startswith("ping-")
    queued = await api.gql(STATUS, token=admin)
    assert queued["data"]["systemStatus"]["queueDepth"] == 1
    assert queued["data"]["systemStatus"]["jobsDue"] == 1
    assert await redis.zscore(Keys(settings.redis_prefix).queue, job_id) is not None

    worker = create_worker(settings, settings.redis_url or "", burst=True, manage_database=False)
    worker.handle_signals = False
    await asyncio.wait_for(worker.async_run(), timeout=30)
    await worker.close()
    # The ping ran and nothing failed.
    assert worker.jobs_complete >= 1 and worker.jobs_failed == 0

    after = await api.gql(STATUS, token=admin)
    status = after["data"]["systemStatus"]
    assert status["queueDepth"] == status["jobsDue"] == 0
    assert status["lastPingAt"] is not None


async def test_jobs_scheduled_for_later_are_in_the_queue_but_not_due(
    api: Api, settings: Settings
) -> None:
    """An order's expiry job waits in the queue for its payment window: the control room
    tells it apart from work a worker has yet to do."""
    queue = await create_queue(settings, settings.redis_url or "")
    try:
        # arq's job keys are not prefixed: ids of this test's own
        due = await queue.enqueue_job("system_ping", 0.0, _job_id=f"due-{uuid.uuid4().hex}")
        later = await queue.enqueue_job(
            "system_ping", 0.0, _job_id=f"later-{uuid.uuid4().hex}", _defer_by=600
        )
        assert due is not None and later is not None
    finally:
        await queue.aclose()
    status = (await api.gql(STATUS, token=token_for(1, Role.ADMIN)))["data"]["systemStatus"]
    assert (status["queueDepth"], status["jobsDue"]) == (2, 1)


# --- FlashWorker.start_jobs: the same jobs start as with arq's own, in fewer round trips -----
async def _record(ctx: dict[str, Any], number: int) -> int:
    ctx["ran"].append(number)
    return number


async def _started_by(
    worker_class: type[Worker], settings: Settings, tmp_path: Path
) -> tuple[list[int], int]:
    """Five jobs: two due, one running elsewhere, one put off, one gone from the queue.
    Returns which ran after one `start_jobs` over all five ids, and the WATCHes it sent."""
    server = embedded_redis.start(tmp_path / worker_class.__name__, reuse=False)
    queue = await create_queue(settings, server.url)
    try:
        name = Keys(settings.redis_prefix).queue
        for number in range(1, 6):
            await queue.enqueue_job("record", number, _job_id=f"rec-{number}")
        await queue.set(in_progress_key_prefix + "rec-2", b"1", px=60_000)
        await queue.zadd(name, {"rec-3": timestamp_ms() + 60_000}, xx=True)
        await queue.zrem(name, "rec-4")
        options = worker_options(settings, server.url, manage_database=False)
        options.update(functions=[func(_record, name="record")], on_startup=None, redis_pool=queue)
        options.update(ctx={"ran": []}, on_shutdown=None, cron_jobs=[])
        worker = worker_class(**options)
        before = await queue.info("commandstats")
        await worker.start_jobs([f"rec-{n}".encode() for n in range(1, 6)])
        await asyncio.gather(*worker.tasks.values())
        after = await queue.info("commandstats")
        watches = after["cmdstat_watch"]["calls"] - before.get("cmdstat_watch", {}).get("calls", 0)
        return sorted(worker.ctx["ran"]), watches
    finally:
        await queue.aclose()
        server.stop()


async def test_flash_worker_starts_what_arq_starts_with_one_watch_per_started_job(
    settings: Settings, tmp_path: Path
) -> None:
    ours, our_watches = await _started_by(FlashWorker, settings, tmp_path)
    arqs, arq_watches = await _started_by(Worker, settings, tmp_path)
    assert ours == arqs == [1, 5]
    assert arq_watches == 5  # arq: a WATCH and two reads for every id it read
    assert our_watches == 2  # here: only for the two ids that were startable


def test_create_worker_builds_the_flash_worker(settings: Settings) -> None:
    worker = create_worker(settings, settings.redis_url or "", burst=True, manage_database=False)
    assert isinstance(worker, FlashWorker)
