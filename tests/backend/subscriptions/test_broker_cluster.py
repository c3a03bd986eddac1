"""The pub/sub broker on a Redis Cluster whose node dies: it moves to another node it knows
(the seeds, and the nodes the cluster told it of) and keeps delivering, since the cluster bus
carries every classic PUBLISH to every node.

The cluster is the test's own (`local_cluster`): three primaries, a replica each and a
1-second `cluster-node-timeout`, as a production cluster would run (without replicas a dead
primary takes its slots' data with it, and the cluster fails until it is back). Never the
machine's shared Redis: a node is killed with SIGKILL.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from redis.asyncio import Redis
from redis.exceptions import RedisError

from flashmart.core.embedded_cluster import LocalCluster, cluster_url, local_cluster
from flashmart.core.pubsub import RECONNECTED, Broker, live_cluster_nodes
from flashmart.core.redis_cluster import create_cluster
from tests.backend.seckill.test_cluster import _cluster_ok

CHANNEL = "fmtest:broker-cluster:sale:1"


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[LocalCluster]:
    with local_cluster(tmp_path / "cluster", replicas=1, node_timeout_ms=1000) as running:
        yield running


async def _connections(port: int, name: str) -> int:
    """The node's client connections named `name` (the broker's)."""
    node = Redis(port=port)
    try:
        return sum(1 for client in await node.client_list() if client.get("name") == name)
    finally:
        await node.aclose()


async def test_the_broker_moves_to_another_node_when_its_node_is_killed(
    cluster: LocalCluster,
) -> None:
    """The broker's URL names one seed, the node then killed: it learned the others from the
    cluster when it connected, moves to one of them, and the listener hears RECONNECTED and
    then what is published after the failover, through the cluster client and on every
    surviving node."""
    doomed = cluster.primaries[0]
    hub = Broker(cluster_url([doomed]), control_channel="fmtest:broker-cluster:control")
    publisher = create_cluster(cluster_url(cluster.ports), multiplex=False)
    try:
        await hub.start()
        assert hub.node == f"127.0.0.1:{doomed}"
        assert await _connections(doomed, hub.client_name) == 1  # learning kept none open
        async with hub.listen(CHANNEL) as listener:
            await publisher.publish(CHANNEL, b"before")
            assert await asyncio.wait_for(listener.get(), 5) == b"before"

            cluster.kill(doomed)  # SIGKILL: the broker's connection is reset
            assert await asyncio.wait_for(listener.get(), 10) == RECONNECTED
            assert hub.connected.is_set()
            moved_to = int(hub.node.rpartition(":")[2])
            assert moved_to != doomed and moved_to in cluster.ports
            # One connection left there, once it has read the cluster's nodes again.
            for _ in range(50):
                if await _connections(moved_to, hub.client_name) == 1:
                    break
                await asyncio.sleep(0.05)
            assert await _connections(moved_to, hub.client_name) == 1

            # Through the cluster client (its default node may be the dead one: it maps the
            # cluster again from the other seeds); published until one is heard.
            deadline = time.monotonic() + 20
            sent = 0
            while True:
                sent += 1
                with contextlib.suppress(RedisError):
                    await publisher.publish(CHANNEL, f"after {sent}")
                with contextlib.suppress(TimeoutError):
                    heard = await asyncio.wait_for(listener.get(), 0.5)
                    break
                assert time.monotonic() < deadline, "nothing published after the kill was heard"
            assert heard == f"after {sent}".encode()
            for n in range(3):  # and every one after that
                await publisher.publish(CHANNEL, f"more {n}")
                assert await asyncio.wait_for(listener.get(), 5) == f"more {n}".encode()
            # Whichever node a message is published on, the broker's node hears it.
            for port in cluster.ports:
                if port == doomed:
                    continue
                node = Redis(port=port)
                try:
                    await node.publish(CHANNEL, f"on {port}")
                finally:
                    await node.aclose()
                assert await asyncio.wait_for(listener.get(), 5) == f"on {port}".encode()

            # The cluster itself recovers: the dead primary's replica took over its slots.
            while not await _cluster_ok(moved_to):
                assert time.monotonic() < deadline, "the replica did not take over"
                await asyncio.sleep(0.1)
            await publisher.publish(CHANNEL, b"healed")
            assert await asyncio.wait_for(listener.get(), 5) == b"healed"
    finally:
        await publisher.aclose()
        await hub.stop()


def test_the_nodes_to_move_to_leave_out_failed_and_unmet_ones() -> None:
    reply = (
        b"a1 10.0.0.1:7000@17000 myself,master - 0 0 1 connected 0-5460\n"
        b"a2 10.0.0.2:7000@17000,node-2 slave a1 0 0 1 connected\n"
        b"a3 10.0.0.3:7000@17000 master,fail - 0 0 2 disconnected\n"
        b"a4 10.0.0.4:7000@17000 master,fail? - 0 0 3 connected 5461-10922\n"
        b"a5 10.0.0.5:7000@17000 handshake - 0 0 0 connected\n"
        b"a6 :0@0 master,noaddr - 0 0 4 disconnected\n"
        b"a7 ::1:7001@17001 master - 0 0 5 connected 10923-16383\n"
    )
    assert live_cluster_nodes(reply) == ["10.0.0.1:7000", "10.0.0.2:7000", "::1:7001"]
    hub = Broker("redis+cluster://user:p%40ss@10.0.0.1:7000", control_channel="fmtest:x")
    assert hub._node_url("10.0.0.2:7000") == "redis://user:p%40ss@10.0.0.2:7000/0"
    assert hub._node_url("::1:7001") == "redis://user:p%40ss@[::1]:7001/0"
    plain = Broker("redis+cluster://10.0.0.1:7000", control_channel="fmtest:x")
    assert plain._node_url("10.0.0.2:7000") == "redis://10.0.0.2:7000/0"
