"""The process's pub/sub hub: one Redis subscription per channel, fan-out, reconnects."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import redis as sync_redis
from redis.asyncio import Redis

from flashmart.core import embedded_redis
from flashmart.core.keys import Keys
from flashmart.core.pubsub import RECONNECTED, Broker, watch


@pytest.fixture
async def broker(redis_url: str, redis_prefix: str, redis: Redis) -> AsyncIterator[Broker]:
    hub = Broker(redis_url, control_channel=Keys(redis_prefix).channel("broker", "control"))
    await hub.start()
    yield hub
    await hub.stop()


async def _numsub(redis: Redis, channel: str) -> int:
    return int(dict(await redis.pubsub_numsub(channel))[channel.encode()])


async def _numsub_settles(redis: Redis, channel: str, expected: int) -> int:
    """The count once Redis has read the broker's (un)subscribe: redis-py sends the command
    without waiting for its reply, which the broker's reader takes later; asked from another
    connection, Redis may answer before it has read it."""
    for _ in range(100):
        found = await _numsub(redis, channel)
        if found == expected:
            break
        await asyncio.sleep(0.02)
    return found


async def test_listeners_share_one_redis_subscription_and_each_get_every_message(
    broker: Broker, redis: Redis, redis_prefix: str
) -> None:
    channel = Keys(redis_prefix).channel("order", "1")
    async with broker.listen(channel) as first, broker.listen(channel) as second:
        assert await _numsub_settles(redis, channel, 1) == 1
        assert await redis.publish(channel, b"hello") == 1  # one Redis subscriber: this process
        assert await asyncio.wait_for(first.get(), 5) == b"hello"
        assert await asyncio.wait_for(second.get(), 5) == b"hello"
        async with broker.listen(Keys(redis_prefix).channel("order", "2")) as other:
            await redis.publish(channel, b"again")
            assert await asyncio.wait_for(first.get(), 5) == b"again"
            assert other._queue.empty()
    assert await _numsub_settles(redis, channel, 0) == 0
    assert broker.channel_count() == 0


async def test_listeners_survive_a_lost_redis_connection(
    broker: Broker, redis: Redis, redis_prefix: str
) -> None:
    channel = Keys(redis_prefix).channel("order", "7")
    async with broker.listen(channel) as listener:
        clients = await redis.client_list()
        ours = [c["id"] for c in clients if c.get("name") == broker.client_name]
        assert len(ours) == 1
        await redis.client_kill_filter(_id=ours[0])
        assert await asyncio.wait_for(listener.get(), 10) == RECONNECTED
        assert await _numsub_settles(redis, channel, 1) == 1
        await redis.publish(channel, b"after")
        assert await asyncio.wait_for(listener.get(), 5) == b"after"


async def test_watch_reads_the_current_state_first_then_after_each_message(
    broker: Broker, redis: Redis, redis_prefix: str
) -> None:
    channel = Keys(redis_prefix).channel("order", "9")
    reads = iter(range(100))

    async def load() -> int:
        return next(reads)

    stream = watch(broker, channel, load)
    assert await anext(stream) == 0
    await redis.publish(channel, b"x")
    assert await asyncio.wait_for(anext(stream), 5) == 1
    await stream.aclose()
    assert await _numsub_settles(redis, channel, 0) == 0


async def test_a_quiet_listener_outlives_its_reply_timeout_and_a_stalled_redis_is_noticed(
    tmp_path: Path,
) -> None:
    """Reads wait for messages without a timeout of their own; liveness is the broker's PING:
    a Redis that stops answering (DEBUG SLEEP on our private server) is given up and the
    listeners hear RECONNECTED once it answers again."""
    server = embedded_redis.start(tmp_path, reuse=False)  # ours, to stall
    hub = Broker(server.url, control_channel="fmtest:broker", reply_timeout=0.3, ping_after=0.3)
    publisher = Redis.from_url(server.url)
    try:
        await hub.start()
        async with hub.listen("fmtest:quiet") as listener:
            await asyncio.sleep(1.5)  # quiet for five reply timeouts: PINGs, answered
            assert hub.connected.is_set() and listener._queue.empty()
            await publisher.publish("fmtest:quiet", b"still here")
            assert await asyncio.wait_for(listener.get(), 5) == b"still here"

            sleeper = threading.Thread(
                target=sync_redis.Redis.from_url(server.url).execute_command,
                args=("DEBUG", "SLEEP", 3),
            )
            sleeper.start()
            try:
                for _ in range(30):  # noticed within ping_after + reply_timeout + a read
                    if not hub.connected.is_set():
                        break
                    await asyncio.sleep(0.1)
                assert not hub.connected.is_set()
            finally:
                await asyncio.to_thread(sleeper.join)
            assert await asyncio.wait_for(listener.get(), 10) == RECONNECTED
            await publisher.publish("fmtest:quiet", b"after")
            assert await asyncio.wait_for(listener.get(), 5) == b"after"
    finally:
        await publisher.aclose()
        await hub.stop()
        server.stop()
