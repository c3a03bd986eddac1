"""A local Redis Cluster for the tests and the benchmark (not for production): redis-server
processes (the embedded Redis's binary, `embedded_redis.redis_server_binary`) on free ports,
the 16,384 slots split evenly between the primaries, no replicas unless asked for. Used by
tests/backend/seckill/test_cluster*.py, tests/backend/subscriptions/test_broker_cluster.py
(a replica per primary, to kill a node) and `make bench BENCH_ARGS=--cluster`."""

from __future__ import annotations

import contextlib
import secrets
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import redis

from flashmart.core import embedded_redis

SLOTS = 16384


# Node ports come from below the kernel's ephemeral range (Linux: 32768-60999), bus ports
# (port + 10000) included, so that an outgoing connection made between our check and the
# node's bind cannot take one.
PORT_LOW, PORT_HIGH = 12000, 22700


def _free_port_pair(taken: set[int] | None = None) -> int:
    """A port whose cluster bus port (port + 10000) is free too, and neither in `taken` (the
    ports of this cluster's nodes started so far, which may not have bound yet)."""
    taken = taken if taken is not None else set()
    for _ in range(200):
        port = PORT_LOW + secrets.randbelow(PORT_HIGH - PORT_LOW)
        if {port, port + 10000} & taken:
            continue
        with contextlib.ExitStack() as stack:
            try:
                for candidate in (port, port + 10000):
                    sock = stack.enter_context(socket.socket())
                    sock.bind(("127.0.0.1", candidate))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port pair")


@dataclass
class LocalCluster:
    """A running cluster: its primaries' ports, then its replicas' (`ports`), and the
    processes by port (a test may kill one)."""

    primaries: list[int]
    replicas: list[int] = field(default_factory=list)
    processes: dict[int, subprocess.Popen[bytes]] = field(default_factory=dict)

    @property
    def ports(self) -> list[int]:
        return [*self.primaries, *self.replicas]

    def kill(self, port: int) -> None:
        """SIGKILL the node on `port` (no shutdown: as a crashed machine's node)."""
        proc = self.processes[port]
        proc.kill()
        proc.wait(timeout=10)


@contextlib.contextmanager
def redis_cluster(
    workdir: Path, nodes: int = 3, *, appendfsync: str | None = None
) -> Iterator[list[int]]:
    """The ports of a formed cluster (state ok, every node knowing every other); its
    processes are stopped when the block ends. `appendfsync` (`always`, `everysec`): each node
    keeps an AOF fsynced so; None: no AOF."""
    with local_cluster(workdir, nodes, appendfsync=appendfsync) as cluster:
        yield cluster.ports


@contextlib.contextmanager
def local_cluster(
    workdir: Path,
    nodes: int = 3,
    *,
    replicas: int = 0,
    node_timeout_ms: int | None = None,
    appendfsync: str | None = None,
) -> Iterator[LocalCluster]:
    """`nodes` primaries, each with `replicas` replicas (in sync before the block starts), as
    `redis_cluster`. `node_timeout_ms`: `cluster-node-timeout` (Redis: 15 s), how long a node
    may be unreachable before it is failed and a replica takes over its slots."""
    binary = str(embedded_redis.redis_server_binary())
    cluster = LocalCluster(primaries=[])
    procs = cluster.processes
    try:
        taken: set[int] = set()
        for n in range(nodes * (1 + replicas)):
            port = _free_port_pair(taken)
            taken.update((port, port + 10000))
            node_dir = workdir / f"node{n}"
            node_dir.mkdir(parents=True)
            argv = [
                binary, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(node_dir),
                "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
                "--save", "", "--repl-diskless-sync-delay", "0",
                *(["--appendonly", "yes", "--appendfsync", appendfsync] if appendfsync
                  else ["--appendonly", "no"]),
                *(["--cluster-node-timeout", str(node_timeout_ms)] if node_timeout_ms else []),
            ]  # fmt: skip
            quiet = subprocess.DEVNULL
            procs[port] = subprocess.Popen(argv, stdout=quiet, stderr=quiet)
            (cluster.primaries if n < nodes else cluster.replicas).append(port)
        ports = cluster.ports
        clients = [redis.Redis(port=p) for p in ports]
        deadline = time.monotonic() + 20
        for client in clients:
            while True:
                try:
                    client.ping()
                    break
                except redis.ConnectionError:
                    assert time.monotonic() < deadline, "a cluster node did not start"
                    time.sleep(0.05)
        share = SLOTS // nodes
        for n, client in enumerate(clients[:nodes]):
            last = SLOTS if n == nodes - 1 else (n + 1) * share
            _command(client, "CLUSTER", "ADDSLOTS", *range(n * share, last))
        for port in ports[1:]:
            _command(clients[0], "CLUSTER", "MEET", "127.0.0.1", port)
        # Every node must know every other one before a client maps the slots (and before a
        # replica can name its primary).
        while not all(
            len(_command(c, "CLUSTER", "NODES").splitlines()) == len(ports) for c in clients
        ):
            assert time.monotonic() < deadline, "the nodes did not meet"
            time.sleep(0.1)
        for n, client in enumerate(clients[nodes:]):
            primary = _command(clients[n % nodes], "CLUSTER", "MYID").decode()
            _command(client, "CLUSTER", "REPLICATE", primary)
        while not all(b"cluster_state:ok" in _command(c, "CLUSTER", "INFO") for c in clients):
            assert time.monotonic() < deadline, "the cluster did not form"
            time.sleep(0.1)
        for client in clients[nodes:]:
            while _replication(client).get("master_link_status") != "up":
                assert time.monotonic() < deadline, "a replica did not sync"
                time.sleep(0.1)
        # Every node maps every slot, and each answers on a new connection as a cluster
        # client's first command does.
        for port in ports:
            while True:
                fresh = redis.Redis(port=port)
                try:
                    covered = sum(end - start + 1 for start, end, *_ in
                                  _slots(fresh))  # fmt: skip
                finally:
                    fresh.close()
                if covered == SLOTS:
                    break
                assert time.monotonic() < deadline, f"node {port} does not map every slot"
                time.sleep(0.1)
        dead = [port for port, proc in procs.items() if proc.poll() is not None]
        assert not dead, f"cluster nodes exited: {dead}"
        for client in clients:
            client.close()
        yield cluster
    finally:
        for proc in procs.values():
            if proc.poll() is None:
                proc.terminate()
        for proc in procs.values():
            proc.wait(timeout=10)


def _slots(client: redis.Redis) -> list[Any]:
    found: list[Any] = client.execute_command("CLUSTER", "SLOTS")  # type: ignore[no-untyped-call]
    return found


def _replication(client: redis.Redis) -> dict[str, Any]:
    found: dict[str, Any] = client.info("replication")  # type: ignore[assignment]
    return found


def _command(client: redis.Redis, *args: str | int) -> bytes:
    reply: bytes = client.execute_command(*args)  # type: ignore[no-untyped-call]
    return reply


def cluster_url(ports: list[int]) -> str:
    """REDIS_URL for the cluster: every node a seed (docs/scaling.md)."""
    return "redis+cluster://" + ",".join(f"127.0.0.1:{port}" for port in ports)
