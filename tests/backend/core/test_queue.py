"""Jobs written by `add_new_job` are what arq's own `enqueue_job` writes, and arq runs them."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime

from arq.jobs import Job, JobStatus

from flashmart.core.queue import EXPIRES_EXTRA_MS, add_new_job, deserialize_job
from flashmart.core.runtime import Runtime


async def test_a_job_added_in_a_pipeline_matches_enqueue_job(runtime: Runtime) -> None:
    # arq's job keys are not prefixed: the test's prefix in the ids keeps runs apart.
    ours_id, reference_id = f"{runtime.keys.prefix}ours", f"{runtime.keys.prefix}reference"
    due_ms = int(time.time() * 1000) + 60_000
    reference = await runtime.queue.enqueue_job(
        "expire_order", 41, _job_id=reference_id, _defer_until=_at(due_ms)
    )
    assert reference is not None
    async with runtime.redis.pipeline(transaction=False) as pipe:
        add_new_job(
            pipe, runtime.keys, job_id=ours_id, function="expire_order", args=[41], run_at_ms=due_ms
        )
        await pipe.execute()
    theirs = json.loads(await runtime.redis.get(runtime.keys.arq_job(reference_id)))
    ours = json.loads(await runtime.redis.get(runtime.keys.arq_job(ours_id)))
    assert {k: v for k, v in ours.items() if k != "et"} == {
        k: v for k, v in theirs.items() if k != "et"
    }
    assert abs(ours["et"] - theirs["et"]) < 5_000
    queue = runtime.keys.queue
    assert await runtime.redis.zscore(queue, ours_id) == await runtime.redis.zscore(
        queue, reference_id
    )
    for job in (ours_id, reference_id):
        ttl = await runtime.redis.pttl(runtime.keys.arq_job(job))
        assert 60_000 + EXPIRES_EXTRA_MS - 5_000 < ttl <= 60_000 + EXPIRES_EXTRA_MS
    # arq reads it as its own deferred job.
    job = Job(ours_id, runtime.queue, _queue_name=queue, _deserializer=deserialize_job)
    assert await job.status() is JobStatus.deferred
    info = await job.info()
    assert info is not None
    assert (info.function, tuple(info.args), info.kwargs) == ("expire_order", (41,), {})
    await runtime.redis.delete(runtime.keys.arq_job(ours_id), runtime.keys.arq_job(reference_id))


def _at(ms: int) -> datetime:
    return datetime.fromtimestamp(ms / 1000, UTC)
