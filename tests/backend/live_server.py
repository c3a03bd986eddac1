"""A real uvicorn server on a free local port, run as a task on the test's own event loop.

Sharing the loop lets the app use the Tortoise connections the `db` fixture opened, while
clients (and an in-process arq worker) reach it over a real TCP socket.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator, Callable
from typing import Any

import uvicorn

from flashmart.http_protocol import UVICORN_HTTP


def bind_free_port() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


@contextlib.asynccontextmanager
async def live_server(
    build_app: Callable[[str], Any],
    *,
    ws: str = "none",
    stop_timeout: float = 10,
    per_message_deflate: bool = True,
) -> AsyncIterator[str]:
    """Serve `build_app(base_url)` until the block ends; yields the base URL. `ws` names
    uvicorn's WebSocket implementation ("websockets-sansio" for subscriptions);
    `per_message_deflate=False` declines compression as `flashmart serve` does."""
    sock = bind_free_port()
    base_url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    config = uvicorn.Config(
        build_app(base_url), lifespan="on", log_config=None, access_log=False, ws=ws,
        ws_per_message_deflate=per_message_deflate, http=UVICORN_HTTP,
    )  # fmt: skip
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        for _ in range(500):
            if server.started or task.done():
                break
            await asyncio.sleep(0.01)
        if not server.started:
            await task  # raises the start-up error, if any
            raise RuntimeError("uvicorn did not start")
        yield base_url
    finally:
        server.should_exit = True
        await asyncio.wait_for(task, timeout=stop_timeout)
        sock.close()
