"""Several uvicorn processes, each listening on a socket of its own (SO_REUSEPORT).

uvicorn's own `--workers` shares one listening socket among its processes: whichever process
accepts first takes the connection, so long-lived keep-alive connections pile up unevenly
(docs/bench.md has what `make bench` saw), and the crowded process answers more slowly than
the other. With SO_REUSEPORT each process binds its own socket to the same address and the
kernel spreads new connections across them by a hash of the peers' addresses, so each gets
about its share.

The supervisor starts the processes (spawned, like uvicorn's), restarts one that dies (with
back-off, supervisor.py), and on SIGINT / SIGTERM passes the signal on and waits for them to
finish their requests. Where the platform has no SO_REUSEPORT, `flashmart serve` keeps
uvicorn's own supervisor.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import socket
from typing import Any

import uvicorn

from flashmart import supervisor

logger = logging.getLogger("flashmart.serving")

SUPPORTED = hasattr(socket, "SO_REUSEPORT")


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


def _serve_one(options: dict[str, Any], parent: int) -> None:
    """One worker process: its own socket, one uvicorn server; it stops with its parent."""
    supervisor.die_with_parent(parent)
    config = uvicorn.Config(**options)
    sock = reuse_port_socket(config.host, config.port)
    uvicorn.Server(config).run(sockets=[sock])


class Supervisor:
    """Runs `processes` copies of `_serve_one(options)` until told to stop."""

    def __init__(self, options: dict[str, Any], processes: int, *, grace_seconds: float) -> None:
        self.options = options
        self.count = processes
        self.grace_seconds = grace_seconds
        self._context = multiprocessing.get_context("spawn")

    def _start_one(self) -> supervisor.Child:
        child = self._context.Process(
            target=_serve_one, args=(self.options, os.getpid()), daemon=False
        )
        child.start()
        return supervisor.ProcessChild(child)

    def run(self) -> None:
        # Fail here, once, when the address is taken by something that is not ours.
        reuse_port_socket(self.options["host"], self.options["port"]).close()
        programs = [
            supervisor.Program(f"API process {n + 1}", self._start_one) for n in range(self.count)
        ]
        logger.info("serving with %d processes on their own sockets", self.count)
        supervisor.Supervisor(programs, grace_seconds=self.grace_seconds).run()
