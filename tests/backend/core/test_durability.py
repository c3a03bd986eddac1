"""SECKILL_DURABILITY: the Redis the project starts, the start-up check of any Redis, and the
buy's WAIT on a replica (core/durability.py), on real redis-server processes of the test's own."""

from __future__ import annotations

import asyncio
import contextlib
import os
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import redis as sync_redis
from redis.asyncio import Redis

from flashmart.core import durability, embedded_redis
from flashmart.core.errors import ApiError, TopLevelCode
from flashmart.core.runtime import Runtime
from flashmart.core.settings import Durability, Settings
from flashmart.graphql.ids import encode_id
from flashmart.seckill.events import warm_up
from flashmart.seckill.store import SaleStore
from tests.backend.helpers import Api, token_for
from tests.backend.seckill.factories import relaxed, sale, shoppers, try_buy


def _config(url: str) -> dict[str, str]:
    client = sync_redis.Redis.from_url(url, decode_responses=True)
    with contextlib.closing(client):
        found: dict[str, str] = client.config_get("append*")
        return found


@pytest.mark.parametrize(
    ("setting", "fsync"), [(Durability.DURABLE, "always"), (Durability.FAST, "everysec")]
)
def test_embedded_redis_fsyncs_as_the_setting_says(
    tmp_path: Path, setting: Durability, fsync: str
) -> None:
    server = embedded_redis.start(tmp_path, reuse=False, durability=setting)
    try:
        config = _config(server.url)
        assert config["appendonly"] == "yes"
        assert config["appendfsync"] == fsync
    finally:
        server.stop()


def test_the_cli_starts_the_embedded_redis_with_the_configured_setting(tmp_path: Path) -> None:
    """`ensure_redis_url` as the CLI calls it, in a process of its own; the default is durable."""
    code = (
        "import sys; from pathlib import Path\n"
        "import redis\n"
        "from flashmart.core.embedded_redis import ensure_redis_url\n"
        "from flashmart.core.settings import Settings\n"
        "s = Settings(_env_file=None)\n"
        "with ensure_redis_url(Path(sys.argv[1]), s.seckill_durability) as url:\n"
        "    print(redis.Redis.from_url(url).config_get('appendfsync')['appendfsync'])\n"
    )
    for env_value, expected in ((None, "always"), ("fast", "everysec")):
        env = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
        env.pop("SECKILL_DURABILITY", None)
        if env_value:
            env["SECKILL_DURABILITY"] = env_value
        done = subprocess.run(
            [sys.executable, "-c", code, str(tmp_path / (env_value or "default"))],
            env=env,
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert done.returncode == 0, done.stderr
        assert done.stdout.strip() == expected


@contextlib.contextmanager
def _own_redis(tmp_path: Path, setting: Durability) -> Iterator[embedded_redis.EmbeddedRedis]:
    server = embedded_redis.start(tmp_path, reuse=False, durability=setting)
    try:
        yield server
    finally:
        server.stop()


@contextlib.asynccontextmanager
async def _client(url: str) -> AsyncIterator[Redis]:
    client = Redis.from_url(url)
    try:
        yield client
    finally:
        await client.aclose()


def _settings(setting: Durability, **more: object) -> Settings:
    return Settings(_env_file=None, seckill_durability=setting, **more)  # type: ignore[call-arg, arg-type]


async def test_check_passes_on_an_fsync_always_redis(tmp_path: Path) -> None:
    with _own_redis(tmp_path, Durability.DURABLE) as server:
        async with _client(server.url) as client:
            plan = await durability.check(client, _settings(Durability.DURABLE))
    assert (plan.appendonly, plan.appendfsync, plan.replicas) == ("yes", "always", 0)
    assert plan.wait is None and plan.warning is None
    assert plan.readiness == "ok"


async def test_durable_on_an_everysec_redis_without_replica_warns(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with _own_redis(tmp_path, Durability.FAST) as server:
        async with _client(server.url) as client:
            durable = await durability.check(client, _settings(Durability.DURABLE))
            fast = await durability.check(client, _settings(Durability.FAST))
    assert durable.wait is None
    assert durable.warning is not None and "appendfsync everysec" in durable.warning
    assert durable.readiness.startswith("warning: SECKILL_DURABILITY=durable is not met")
    assert any("not met" in r.getMessage() for r in caplog.records)
    assert fast.warning is None and fast.wait is None  # fast promises no more than everysec


async def test_durable_tolerates_config_being_disabled(tmp_path: Path) -> None:
    """A managed Redis that renamed CONFIG away: the check says it cannot tell."""
    workdir = tmp_path / "redis"
    workdir.mkdir()
    port = embedded_redis._free_port()
    command = embedded_redis.server_command(workdir, port, appendfsync="always")
    proc = subprocess.Popen([*command, "--rename-command", "CONFIG", '""'])
    try:
        url = f"redis://127.0.0.1:{port}/0"
        await _wait_up(url)
        async with _client(url) as client:
            plan = await durability.check(client, _settings(Durability.DURABLE))
    finally:
        proc.kill()
        proc.wait()
    assert (plan.appendonly, plan.appendfsync) == (None, None)
    assert plan.warning is not None and "CONFIG is disabled" in plan.warning


async def _wait_up(url: str, within: float = 10) -> None:
    deadline = time.monotonic() + within
    async with _client(url) as client:
        while True:
            try:
                if await client.ping():
                    return
            except (sync_redis.RedisError, OSError):
                pass
            if time.monotonic() > deadline:
                raise TimeoutError(url)
            await asyncio.sleep(0.05)


@contextlib.contextmanager
def _replica_of(tmp_path: Path, primary_url: str) -> Iterator[subprocess.Popen[bytes]]:
    workdir = tmp_path / "replica"
    workdir.mkdir()
    port = embedded_redis._free_port()
    primary_port = primary_url.rsplit(":", 1)[1].split("/")[0]
    command = embedded_redis.server_command(workdir, port, appendfsync="everysec")
    proc = subprocess.Popen([*command, "--replicaof", "127.0.0.1", primary_port])
    try:
        yield proc
    finally:
        proc.kill()
        proc.wait()


async def _replicas(client: Redis) -> int:
    """Replicas in sync (`state=online`): only those acknowledge a WAIT. A replica counts as
    connected before that, during its first sync, which Redis 7 delays by its diskless-sync
    wait (5 s by default)."""
    info = await client.info("replication")
    return sum(
        1
        for name, replica in info.items()
        if name.startswith("slave") and isinstance(replica, dict) and replica["state"] == "online"
    )


async def _await_replicas(client: Redis, count: int, within: float = 15) -> None:
    deadline = time.monotonic() + within
    while await _replicas(client) != count:
        assert time.monotonic() < deadline, f"not {count} replica(s) in time"
        await asyncio.sleep(0.05)


async def test_durable_waits_for_a_replica_and_refuses_to_acknowledge_without_one(
    runtime: Runtime, tmp_path: Path
) -> None:
    """An everysec primary with a replica: each reservation is followed by WAIT 1; once the
    replica is gone, a buy answers SERVICE_UNAVAILABLE (retryable), not QUEUED, and the
    reservation it made stays in the ledger for the worker to persist."""
    with _own_redis(tmp_path / "primary", Durability.FAST) as primary:
        async with _client(primary.url) as client:
            with _replica_of(tmp_path, primary.url) as replica:
                await _await_replicas(client, 1)
                settings = runtime.settings.model_copy(
                    update={
                        "seckill_durability": Durability.DURABLE,
                        "seckill_replica_wait_ms": 300,
                    }
                )
                async with Runtime.open(settings, redis_url=primary.url, broker=True) as own:
                    assert own.durability is not None and own.durability.wait == (1, 300)
                    assert own.durability.readiness.startswith("ok: each reservation waits")
                    shop = relaxed(own)
                    buyers = await shoppers(3)
                    event = await sale(10)
                    await warm_up(shop, event.id)
                    acked = await try_buy(shop, buyers[0].id, event.id)
                    assert isinstance(acked, str)  # a ticket id: a replica acknowledged it
                    await client.script_flush()  # Redis forgot the script (a restart)
                    assert isinstance(await try_buy(shop, buyers[2].id, event.id), str)
                    replica.kill()
                    replica.wait()
                    await _await_replicas(client, 0)
                    started = time.monotonic()
                    with pytest.raises(ApiError) as refused:
                        await try_buy(shop, buyers[1].id, event.id)
                    waited = time.monotonic() - started
                    assert refused.value.code is TopLevelCode.SERVICE_UNAVAILABLE
                    assert refused.value.extensions["retryAfter"] == 1
                    assert 0.25 <= waited < 5  # WAIT's own timeout, then the answer
                    ledger = await SaleStore.of(shop).ledger(event.id)
                    assert sorted(e.user_id for e in ledger) == sorted(b.id for b in buyers)


async def test_fast_never_waits(runtime: Runtime, tmp_path: Path) -> None:
    """Fast on an everysec Redis with a replica: no WAIT, whatever the Redis offers."""
    settings = runtime.settings.model_copy(update={"seckill_durability": Durability.FAST})
    with _own_redis(tmp_path / "primary", Durability.FAST) as primary:
        async with _client(primary.url) as client:
            with _replica_of(tmp_path, primary.url):
                await _await_replicas(client, 1)
                async with Runtime.open(settings, redis_url=primary.url, broker=True) as own:
                    assert own.durability is not None
                    assert own.durability.wait is None and own.durability.warning is None


BUY = (
    "mutation Buy($e: ID!) { seckillBuy(eventId: $e) { ticket { id status } userErrors { code } } }"
)


@pytest.mark.parametrize("buy_lane", [True, False])
async def test_over_http_a_buy_no_replica_acknowledged_is_service_unavailable(
    app_factory: Any, tmp_path: Path, buy_lane: bool
) -> None:
    """What the shopper sees, through the buy lane and through generic execution: QUEUED
    while the replica acknowledges, then the retryable top-level error, never an internal one."""
    with _own_redis(tmp_path / "primary", Durability.FAST) as primary:
        async with _client(primary.url) as client:
            with _replica_of(tmp_path, primary.url) as replica:
                await _await_replicas(client, 1)
                app = app_factory(
                    redis_url=primary.url,
                    seckill_durability=Durability.DURABLE,
                    seckill_replica_wait_ms=300,
                    graphql_buy_lane=buy_lane,
                )
                async with app.router.lifespan_context(app):
                    transport = httpx.ASGITransport(app=app)
                    async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
                        api = Api(http)
                        buyers = await shoppers(2)
                        event = await sale(10)
                        await warm_up(app.state.runtime, event.id)  # as the warm-up cron does
                        gid = encode_id("SeckillEvent", event.id)
                        first = await api.gql(BUY, {"e": gid}, token=token_for(buyers[0].id))
                        assert first["data"]["seckillBuy"]["ticket"]["status"] == "QUEUED"
                        replica.kill()
                        replica.wait()
                        await _await_replicas(client, 0)
                        second = await api.gql(BUY, {"e": gid}, token=token_for(buyers[1].id))
    assert second["data"] is None
    (error,) = second["errors"]
    assert error["extensions"] == {"code": "SERVICE_UNAVAILABLE", "retryAfter": 1}
