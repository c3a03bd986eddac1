"""Separate `flashmart serve` processes on the test's database, Redis and key prefix, as in
production behind a load balancer (the `api_processes` fixture of tests/backend/conftest.py),
and the environment of a separate `flashmart worker`."""

from __future__ import annotations

import asyncio
import contextlib
import os
import subprocess
import sys
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import httpx

from flashmart.core.settings import Settings
from tests.backend.helpers import TEST_SECRET
from tests.backend.live_server import bind_free_port


def worker_env(settings: Settings, **extra: str) -> dict[str, str]:
    """The environment of a real `flashmart worker` process on the test's database, Redis
    and key prefix (and the base of the API processes')."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DATABASE_", "REDIS_"))}
    env.update(
        {
            "DATABASE_URL": settings.database_url,
            "REDIS_URL": settings.redis_url or "",
            "REDIS_PREFIX": settings.redis_prefix,
            "DATA_DIR": str(settings.data_dir),
            "JWT_SECRET": settings.jwt_secret,
            "PAYMENT_WEBHOOK_SECRET": settings.payment_webhook_secret,
            "LOG_LEVEL": "WARNING",
            **extra,
        }
    )
    return env


def _env(settings: Settings, port: int, data_dir: Path, extra: dict[str, str]) -> dict[str, str]:
    api = {
        "DATABASE_POOL_SIZE": "5",
        "JWT_SECRET": TEST_SECRET,
        "PAYMENT_WEBHOOK_SECRET": TEST_SECRET,
        "DATA_DIR": str(data_dir),
        "FRONTEND_DIST": str(data_dir / "no-frontend"),
        "TRUSTED_DOCUMENTS_MANIFEST": str(settings.trusted_documents_manifest),
        "HOST": "127.0.0.1",
        "PORT": str(port),
        "PUBLIC_BASE_URL": f"http://127.0.0.1:{port}",
        "WEB_CONCURRENCY": "1",
    }
    return worker_env(settings, **{**api, **extra})


class ApiUrls(list[str]):
    """The processes' base URLs; `.processes` are their `Popen`s (to kill one)."""

    processes: list[subprocess.Popen[bytes]]


def api_processes_factory(settings: Settings, tmp_path: Path) -> Callable[..., Any]:
    """`async with api_processes(2) as [url_a, url_b]`: real `flashmart serve` processes.

    Keyword arguments are extra environment variables, e.g. `SUBSCRIPTION_...="1"`.
    """

    @contextlib.asynccontextmanager
    async def start(count: int, **extra: str) -> AsyncIterator[ApiUrls]:
        procs: list[subprocess.Popen[bytes]] = []
        urls: list[str] = []
        flashmart = Path(sys.executable).parent / "flashmart"
        try:
            for index in range(count):
                sock = bind_free_port()
                port = sock.getsockname()[1]
                sock.close()  # the child binds it a moment later
                log = (tmp_path / f"api-{index}.log").open("wb")
                procs.append(
                    subprocess.Popen(
                        [str(flashmart), "serve"],
                        env=_env(settings, port, tmp_path / f"api-{index}", extra),
                        stdout=log,
                        stderr=subprocess.STDOUT,
                    )
                )
                urls.append(f"http://127.0.0.1:{port}")
            async with httpx.AsyncClient() as http:
                for proc, url in zip(procs, urls, strict=True):
                    for _ in range(300):
                        if proc.poll() is not None:
                            raise RuntimeError(f"{url} exited: see {tmp_path}")
                        with contextlib.suppress(httpx.HTTPError):
                            if (await http.get(f"{url}/readyz")).status_code == 200:
                                break
                        await asyncio.sleep(0.05)
                    else:
                        raise RuntimeError(f"{url} did not become ready")
            found = ApiUrls(urls)
            found.processes = procs
            yield found
        finally:
            for proc in procs:
                proc.terminate()
            for proc in procs:
                try:
                    proc.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()

    return start
