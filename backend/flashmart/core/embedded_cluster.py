"""A local Redis Cluster for the tests and the benchmark (not for production): redis-server
processes (the embedded Redis's binary, `embedded_redis.redis_server_binary`) on free ports,
the 16,384 slots split evenly between them, no replicas. Used by
tests/backend/seckill/test_cluster*.py and `make bench BENCH_ARGS=--cluster`."""

from __future__ import annotations

import contextlib
import secrets
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import redis

from flashmart.core import embedded_redis

SLOTS = 16384


def _free_port_pair() -> int:
    """A port whose cluster bus port (port + 10000) is free too."""
    for _ in range(100):
        port = secrets.randbelow(20000) + 20000
        with contextlib.ExitStack() as stack:
            try:
                for candidate in (port, port + 10000):
                    sock = stack.enter_context(socket.socket())
                    sock.bind(("127.0.0.1", candidate))
            except OSError:
                continue
            return port
    raise RuntimeError("no free port pair")


@contextlib.contextmanager
def redis_cluster(
    workdir: Path, nodes: int = 3, *, appendfsync: str | None = None
) -> Iterator[list[int]]:
    """The ports of a formed cluster (state ok, every node knowing every other); its
    processes are stopped when the block ends. `appendfsync` (`always`, `everysec`): each node
    keeps an AOF fsynced so; None: no AOF."""
    binary = str(embedded_redis.redis_server_binary())
    ports, procs = [], []
    try:
        for n in range(nodes):
            port = _free_port_pair()
            node_dir = workdir / f"node{n}"
            node_dir.mkdir(parents=True)
            argv = [
                binary, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(node_dir),
                "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf",
                "--save", "",
                *(["--appendonly", "yes", "--appendfsync", appendfsync] if appendfsync
                  else ["--appendonly", "no"]),
            ]  # fmt: skip
            quiet = subprocess.DEVNULL
            procs.append(subprocess.Popen(argv, stdout=quiet, stderr=quiet))
            ports.append(port)
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
        for n, client in enumerate(clients):
            last = SLOTS if n == nodes - 1 else (n + 1) * share
            _command(client, "CLUSTER", "ADDSLOTS", *range(n * share, last))
        for port in ports[1:]:
            _command(clients[0], "CLUSTER", "MEET", "127.0.0.1", port)
        while not all(b"cluster_state:ok" in _command(c, "CLUSTER", "INFO") for c in clients):
            assert time.monotonic() < deadline, "the cluster did not form"
            time.sleep(0.1)
        # Every node must know every other one before a client maps the slots.
        while not all(len(_command(c, "CLUSTER", "NODES").splitlines()) == nodes for c in clients):
            assert time.monotonic() < deadline, "the nodes did not meet"
            time.sleep(0.1)
        for client in clients:
            client.close()
        yield ports
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait(timeout=10)


def _command(client: redis.Redis, *args: str | int) -> bytes:
    reply: bytes = client.execute_command(*args)  # type: ignore[no-untyped-call]
    return reply


def cluster_url(ports: list[int]) -> str:
    """REDIS_URL for the cluster: every node a seed (docs/scaling.md)."""
    return "redis+cluster://" + ",".join(f"127.0.0.1:{port}" for port in ports)
