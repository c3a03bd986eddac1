"""A real worker process rides out Redis being killed and restarted from its files: it keeps
running, reconnects with back-off, runs again the job the outage cut off and persists what is
bought after the restart. Redis is a private redis-server of the test's (ours to kill)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import subprocess
import sys
import textwrap
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from arq.jobs import Job
from redis.asyncio import Redis

from flashmart.core import embedded_redis, system
from flashmart.core.errors import ErrorCode
from flashmart.core.queue import create_queue, deserialize_job
from flashmart.core.runtime import Runtime
from flashmart.core.settings import Settings
from flashmart.seckill.audit import audit
from flashmart.seckill.events import warm_up
from flashmart.seckill.models import SeckillTicket
from tests.backend.processes import worker_env
from tests.backend.seckill.factories import relaxed, sale, shoppers, try_buy

pytestmark = pytest.mark.slow


@contextlib.contextmanager
def worker_process(
    command: list[str], env: dict[str, str], log: Path
) -> Iterator[subprocess.Popen[bytes]]:
    with log.open("wb") as out:
        process = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        yield process
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


async def until(check: Callable[[], Awaitable[bool]], seconds: float, what: str) -> float:
    """Wait for `check()`; returns the seconds it took."""
    started = time.monotonic()
    while not await check():
        if time.monotonic() - started > seconds:
            raise AssertionError(f"{what}: not within {seconds} s")
        await asyncio.sleep(0.05)
    return time.monotonic() - started


@contextlib.asynccontextmanager
async def runtime_on(runtime: Runtime, url: str) -> AsyncIterator[Runtime]:
    settings = relaxed(runtime).settings.model_copy(update={"redis_url": url})
    async with Runtime.open(settings, redis_url=url) as own:
        yield own


async def test_worker_survives_a_redis_restart_and_persists_what_is_bought_after_it(
    runtime: Runtime, own_redis: embedded_redis.EmbeddedRedis, tmp_path: Path
) -> None:
    log = tmp_path / "worker.log"
    flashmart = Path(sys.executable).parent / "flashmart"
    async with runtime_on(runtime, own_redis.url) as mine:
        event = await sale(5)
        await warm_up(mine, event.id)
        first, second = await shoppers(2)
        env = worker_env(mine.settings, WORKER_HEALTH_CHECK_INTERVAL="1", WORKER_NICE="0")
        with worker_process([str(flashmart), "worker"], env, log) as worker:
            health = system.health_check_key(mine.keys)

            async def alive() -> bool:
                assert worker.poll() is None, log.read_text()[-3000:]
                return bool(await mine.redis.exists(health))

            await until(alive, 30, "the worker's health report")
            before = await try_buy(mine, first.id, event.id)
            await until(lambda: SeckillTicket.filter(id=before).exists(), 15, "the first persist")

            own_redis.kill()

            async def retrying() -> bool:
                # arq's own worker exits here with ConnectionError
                assert worker.poll() is None, log.read_text()[-3000:]
                return log.read_text().count("reconnect attempt") >= 3

            await until(retrying, 15, "the worker's reconnect attempts")

            own_redis.relaunch()
            after = await try_buy(mine, second.id, event.id)
            assert not isinstance(after, ErrorCode), after
            took = await until(lambda: SeckillTicket.filter(id=after).exists(), 15, "the persist")
            assert took < 10
            await until(alive, 10, "the worker's health report after the restart")
            assert "Redis is back" in log.read_text()

            async def settled() -> bool:  # the ledger is settled just after the commit
                return (await audit(mine, event.id)).pending == 0

            await until(settled, 10, "the ledger settled")
        report = await audit(mine, event.id)
        assert report.passed, report.checks
        assert (report.sold, report.pending, report.oversold) == (2, 0, 0)


# A worker with FlashMart's own options plus one slow job that records when it finishes.
SLOW_WORKER = textwrap.dedent(
    """
    import asyncio, sys
    from flashmart.core.settings import Settings
    from flashmart.worker import create_worker, retried_on_outage

    async def slow_job(ctx, key):
        await ctx["redis"].incr(key + ":tries")
        await asyncio.sleep(2)
        await ctx["redis"].set(key, "finished")

    settings = Settings(_env_file=None, database_url=sys.argv[1], redis_url=sys.argv[2],
                        redis_prefix=sys.argv[3], data_dir=sys.argv[4], log_level="WARNING")
    worker = create_worker(settings, sys.argv[2])
    worker.functions["slow_job"] = retried_on_outage(slow_job)
    worker.run()
    """
)


async def test_a_job_the_outage_cut_off_runs_again_as_soon_as_redis_is_back(
    settings: Settings, own_redis: embedded_redis.EmbeddedRedis, tmp_path: Path
) -> None:
    script = tmp_path / "worker.py"
    script.write_text(SLOW_WORKER)
    log = tmp_path / "worker.log"
    marker = f"{settings.redis_prefix}slow-job"
    argv = [settings.database_url, own_redis.url, settings.redis_prefix, str(settings.data_dir)]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    client = Redis.from_url(own_redis.url)
    try:
        with worker_process([sys.executable, str(script), *argv], env, log) as worker:
            queue = await create_queue(settings, own_redis.url)
            job = await queue.enqueue_job("slow_job", marker)
            await queue.aclose()
            assert job is not None
            in_progress = f"arq:in-progress:{job.job_id}"

            async def running() -> bool:  # started, and its first write is acknowledged
                assert worker.poll() is None, log.read_text()[-3000:]
                return await client.get(f"{marker}:tries") == b"1"

            await until(running, 20, "the job's start")
            own_redis.kill()  # mid-job: its last write and arq's bookkeeping will fail
            await asyncio.sleep(3.5)
            assert worker.poll() is None, log.read_text()[-3000:]
            own_redis.relaunch()
            await client.aclose()
            client = Redis.from_url(own_redis.url)
            # The in-progress marker survived the restart and would hold the job back for
            # job_timeout + 10 s (70 s); the worker frees the job it knows was cut off.
            assert await client.exists(in_progress)

            async def finished() -> bool:
                return await client.get(marker) == b"finished"

            took = await until(finished, 15, "the job's second run")
            assert took < 10
            assert int(await client.get(f"{marker}:tries") or 0) == 2
            assert "cut off by an outage" in log.read_text()
    finally:
        await client.aclose()


# --- the database ---------------------------------------------------------------------------
class CuttableProxy:
    """A TCP proxy in front of PostgreSQL that can drop every connection and refuse new ones
    (a database restart or a network cut, seen from the worker), then let them through again."""

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.port = 0
        self.server: asyncio.Server | None = None
        self.writers: set[asyncio.StreamWriter] = set()

    async def open(self) -> None:
        self.server = await asyncio.start_server(self._handle, "127.0.0.1", self.port)
        self.port = self.server.sockets[0].getsockname()[1]

    async def cut(self) -> None:
        assert self.server is not None
        self.server.close()
        await self.server.wait_closed()
        for writer in list(self.writers):
            writer.transport.abort()
        self.writers.clear()

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.target)
        except OSError:
            writer.transport.abort()
            return
        self.writers |= {writer, up_writer}

        async def pipe(source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
            with contextlib.suppress(OSError, asyncio.IncompleteReadError):
                while data := await source.read(65536):
                    sink.write(data)
                    await sink.drain()
            sink.transport.abort()

        await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))


async def test_a_persist_job_that_loses_the_database_is_retried_not_failed(
    runtime: Runtime, tmp_path: Path
) -> None:
    url = runtime.settings.database_url
    if not url.startswith("postgres"):
        pytest.skip("needs PostgreSQL (--db=postgres): a database reached over TCP")
    parts = urlsplit(url)
    proxy = CuttableProxy(parts.hostname or "127.0.0.1", parts.port or 5432)
    await proxy.open()
    through_proxy = urlunsplit(parts._replace(netloc=f"{parts.username}@127.0.0.1:{proxy.port}"))
    mine = relaxed(runtime)
    event = await sale(5)
    await warm_up(mine, event.id)
    first, second = await shoppers(2)
    log = tmp_path / "worker.log"
    flashmart = Path(sys.executable).parent / "flashmart"
    env = worker_env(mine.settings, DATABASE_URL=through_proxy, WORKER_NICE="0")
    with worker_process([str(flashmart), "worker"], env, log) as worker:
        before = await try_buy(mine, first.id, event.id)
        await until(lambda: SeckillTicket.filter(id=before).exists(), 30, "the first persist")

        await proxy.cut()  # the worker's connections drop; new ones are refused
        after = await try_buy(mine, second.id, event.id)
        assert not isinstance(after, ErrorCode), after

        async def retried() -> bool:
            assert worker.poll() is None, log.read_text()[-3000:]
            return "met an outage" in log.read_text()

        await until(retried, 15, "the persist job's retry")
        await asyncio.sleep(2)  # more tries meet the outage
        assert not await SeckillTicket.filter(id=after).exists()

        await proxy.open()  # the database is reachable again
        await until(lambda: SeckillTicket.filter(id=after).exists(), 30, "the persist")
        # The job itself succeeded on a later try (arq keeps its result): it did not fail
        # for good and leave the reservation to the reconciler.
        job = Job(after, mine.queue, _queue_name=mine.keys.queue, _deserializer=deserialize_job)

        async def finished() -> bool:
            return await job.result_info() is not None

        await until(finished, 15, "the job's result")
        info = await job.result_info()
        assert info is not None and info.success, info
        assert info.job_try >= 2

        async def settled() -> bool:  # the ledger is settled just after the commit
            return (await audit(mine, event.id)).pending == 0

        await until(settled, 10, "the ledger settled")
    await proxy.cut()
    report = await audit(mine, event.id)
    assert report.passed, report.checks
    assert (report.sold, report.pending) == (2, 0)
