"""SIGTERM lets a real worker process finish the job it is running before it exits."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from redis.asyncio import Redis

from flashmart.core.queue import create_queue
from flashmart.core.settings import Settings

# A worker process with FlashMart's own options plus one slow job that records when it ends.
WORKER = textwrap.dedent(
    """
    import asyncio, sys
    from flashmart.core.settings import Settings
    from flashmart.worker import worker_options
    from arq import Worker

    async def slow_job(ctx, key):
        await asyncio.sleep(2)
        await ctx["redis"].set(key, "finished")

    settings = Settings(_env_file=None, database_url=sys.argv[1], redis_url=sys.argv[2],
                        redis_prefix=sys.argv[3], data_dir=sys.argv[4])
    options = worker_options(settings, sys.argv[2])
    options["functions"] = [*options["functions"], slow_job]
    print("ready", flush=True)
    Worker(**options).run()
    """
)


async def test_sigterm_waits_for_running_job(
    settings: Settings, redis: Redis, tmp_path: Path
) -> None:
    marker = f"{settings.redis_prefix}slow-job-done"
    script = tmp_path / "worker.py"
    script.write_text(WORKER)
    process = subprocess.Popen(
        [
            sys.executable,
            str(script),
            settings.database_url,
            settings.redis_url or "",
            settings.redis_prefix,
            str(settings.data_dir),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    )
    try:
        queue = await create_queue(settings, settings.redis_url or "")
        job = await queue.enqueue_job("slow_job", marker)
        await queue.aclose()
        assert job is not None
        in_progress = f"arq:in-progress:{job.job_id}"  # arq's marker of a running job
        deadline = time.monotonic() + 20
        while not await redis.exists(in_progress) and time.monotonic() < deadline:
            await asyncio.sleep(0.02)
        assert await redis.exists(in_progress), "worker never picked the job up"
        assert await redis.get(marker) is None  # the job is in flight when the signal lands
        process.send_signal(signal.SIGTERM)
        code = await asyncio.to_thread(process.wait, 30)
    finally:
        if process.poll() is None:
            process.kill()
    assert await redis.get(marker) == b"finished", (
        process.stderr.read().decode()[-2000:] if process.stderr else ""
    )
    assert code == 0
