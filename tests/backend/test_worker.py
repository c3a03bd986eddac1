"""A job enqueued through the API is executed by a real arq worker on the same Redis."""

from __future__ import annotations

import asyncio

from redis.asyncio import Redis

from flashmart.accounts.models import Role
from flashmart.core.keys import Keys
from flashmart.core.settings import Settings
from flashmart.worker import create_worker
from tests.backend.helpers import Api, token_for

STATUS = "{ systemStatus { workerAlive queueDepth lastPingAt } }"


async def test_api_enqueued_job_runs_on_real_worker(
    api: Api, settings: Settings, redis: Redis
) -> None:
    admin = token_for(1, Role.ADMIN)
    before = await api.gql(STATUS, token=admin)
    assert before["data"]["systemStatus"] == {
        "workerAlive": False,
        "queueDepth": 0,
        "lastPingAt": None,
    }

    sent = await api.gql("mutation { systemPing { jobId userErrors { code } } }", token=admin)
    job_id = sent["data"]["systemPing"]["jobId"]
    assert job_id.startswith("ping-")
    queued = await api.gql(STATUS, token=admin)
    assert queued["data"]["systemStatus"]["queueDepth"] == 1
    assert await redis.zscore(Keys(settings.redis_prefix).queue, job_id) is not None

    worker = create_worker(settings, settings.redis_url or "", burst=True, manage_database=False)
    worker.handle_signals = False
    await asyncio.wait_for(worker.async_run(), timeout=30)
    await worker.close()
    # The ping ran and nothing failed.
    assert worker.jobs_complete >= 1 and worker.jobs_failed == 0

    after = await api.gql(STATUS, token=admin)
    status = after["data"]["systemStatus"]
    assert status["queueDepth"] == 0
    assert status["lastPingAt"] is not None
