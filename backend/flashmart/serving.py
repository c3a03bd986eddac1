"""Several uvicorn processes, each listening on a socket of its own (SO_REUSEPORT).

uvicorn's own `--workers` shares one listening socket among its processes: whichever process
accepts first takes the connection, so long-lived keep-alive connections pile up unevenly
(docs/bench.md has what `make bench` saw), and the crowded process answers more slowly than
the other. With SO_REUSEPORT each process binds its own socket to the same address and the
kernel spreads new connections across them by a hash of the peers' addresses, so each gets
about its share.

The supervisor starts the processes (spawned, like uvicorn's), restarts one that dies, and on
SIGINT / SIGTERM passes the signal on and waits for them to finish their requests.
Where the platform has no SO_REUSEPORT, `flashmart serve` keeps uvicorn's own supervisor.
"""

from __future__ import annotations

import logging
import multiprocessing
import signal
import socket
import time
from multiprocessing.context import SpawnProcess
from types import FrameType
from typing import Any

import uvicorn

logger = logging.getLogger("flashmart.serving")

SUPPORTED = hasattr(socket, "SO_REUSEPORT")
RESTART_PAUSE = 1.0  # seconds before a crashed process is started again


def reuse_port_socket(host: str, port: int) -> socket.socket:
    """A TCP socket bound to (host, port) that other processes may bind too."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    return sock


def _serve_one(options: dict[str, Any]) -> None:
    """One worker process: its own socket, one uvicorn server."""
    config = uvicorn.Config(**options)
    sock = reuse_port_socket(config.host, config.port)
    uvicorn.Server(config).run(sockets=[sock])


class Supervisor:
    """Runs `processes` copies of `_serve_one(options)` until told to stop."""

    def __init__(self, options: dict[str, Any], processes: int, *, grace_seconds: float) -> None:
        self.options = options
        self.count = processes
        self.grace_seconds = grace_seconds
        self.children: list[SpawnProcess] = []
        self.stopping = False
        self._context = multiprocessing.get_context("spawn")

    def _start_one(self) -> SpawnProcess:
        child = self._context.Process(target=_serve_one, args=(self.options,), daemon=False)
        child.start()
        return child

    def _stop(self, signum: int, frame: FrameType | None) -> None:
        self.stopping = True

    def run(self) -> None:
        # Fail here, once, when the address is taken by something that is not ours.
        reuse_port_socket(self.options["host"], self.options["port"]).close()
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, self._stop)
        self.children = [self._start_one() for _ in range(self.count)]
        logger.info("serving with %d processes on their own sockets", self.count)
        try:
            while not self.stopping:
                time.sleep(0.2)
                for index, child in enumerate(self.children):
                    if not child.is_alive() and not self.stopping:
                        logger.error(
                            "API process %s exited with %s; starting another",
                            child.pid,
                            child.exitcode,
                        )
                        time.sleep(RESTART_PAUSE)
                        self.children[index] = self._start_one()
        finally:
            self._shutdown()

    def _shutdown(self) -> None:
        for child in self.children:
            if child.is_alive():
                child.terminate()  # SIGTERM: uvicorn finishes in-flight requests
        deadline = time.monotonic() + self.grace_seconds
        for child in self.children:
            child.join(max(0.0, deadline - time.monotonic()))
            if child.is_alive():
                child.kill()
                child.join()
