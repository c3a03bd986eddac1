"""The `flashmart` command line: serve, worker, migrate, seed, createadmin, export-schema, run."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from pydantic import ValidationError

from flashmart import serving, supervisor
from flashmart.core.embedded_redis import EmbeddedRedis, ensure_redis, ensure_redis_url
from flashmart.core.settings import Settings

if TYPE_CHECKING:
    from flashmart.core.runtime import Runtime

GRACEFUL_SHUTDOWN_SECONDS = 30  # uvicorn finishes in-flight requests this long on SIGTERM
# The longest `flashmart serve` takes after SIGTERM: its processes get GRACEFUL_SHUTDOWN_SECONDS,
# then its supervisor kills what is left (container stop grace periods must exceed this).
SERVE_DRAIN_SECONDS = GRACEFUL_SHUTDOWN_SECONDS + 5

app = typer.Typer(help="FlashMart: flash-sale commerce over GraphQL.", no_args_is_help=True)


def _settings() -> Settings:
    """The settings, or exit 2 with one line per problem (no traceback) when they are invalid:
    e.g. production without strong secrets, or with the sandbox payment provider."""
    try:
        return Settings()
    except ValidationError as exc:
        for error in exc.errors():
            where = ".".join(str(part).upper() for part in error["loc"])
            message = str(error["msg"]).removeprefix("Value error, ")
            typer.echo(
                f"flashmart: invalid settings: {where + ': ' if where else ''}{message}", err=True
            )
        raise typer.Exit(2) from None


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Bind address (default: HOST).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default: PORT).")] = None,
    workers: Annotated[
        int | None, typer.Option(help="Processes (default: WEB_CONCURRENCY).")
    ] = None,
) -> None:
    """Serve the GraphQL API, health, metrics and the built frontend with uvicorn."""
    import uvicorn

    settings = _settings()
    processes = workers or settings.web_concurrency
    metrics_dir = None
    if processes > 1 and "PROMETHEUS_MULTIPROC_DIR" not in os.environ:
        # Several processes: /metrics must add up every process's figures. A directory of this
        # command's own, not under DATA_DIR: replicas sharing that volume (docker-compose.yml)
        # would delete and overwrite each other's files (same process ids in each container).
        metrics_dir = tempfile.mkdtemp(prefix="flashmart-metrics-")
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = metrics_dir
    options = uvicorn_options(settings, host=host or settings.host, port=port or settings.port)
    try:
        with ensure_redis_url(settings.data_dir, settings.seckill_durability):
            if processes > 1 and serving.SUPPORTED:
                # Each process on its own SO_REUSEPORT socket: connections spread evenly.
                serving.Supervisor(options, processes, grace_seconds=SERVE_DRAIN_SECONDS).run()
            else:
                uvicorn.run(**options, workers=processes)
    finally:
        if metrics_dir is not None:
            shutil.rmtree(metrics_dir, ignore_errors=True)


def uvicorn_options(settings: Settings, *, host: str, port: int) -> dict[str, Any]:
    """How `serve` runs uvicorn."""
    return {
        "app": "flashmart.app:create_app",
        "factory": True,
        "host": host,
        "port": port,
        "loop": "uvloop",
        # httptools, writing each response's head with its body in one write (`UVICORN_HTTP`
        # of http_protocol.py, named here so that the CLI does not import uvicorn to start)
        "http": "flashmart.http_protocol:OneWriteHttpToolsProtocol",
        "access_log": False,
        "log_config": None,
        "timeout_graceful_shutdown": GRACEFUL_SHUTDOWN_SECONDS,
        # Live-sale messages are ~150 bytes: compressing each one for each browser (they all
        # offer permessage-deflate) cost 60% more CPU per message than sending it as it is.
        "ws_per_message_deflate": False,
        # No WebSocket-level pings of uvicorn's: two timers per socket, renewed every 20 s,
        # for what the subscriptions' own `ping` (graphql/ws_clock.py, one clock per process)
        # already does: traffic on idle sockets, and dead peers closed.
        "ws_ping_interval": None,
        # No `server: uvicorn` header: it tells a prober what runs here, and every header of
        # every answer costs uvicorn two regular-expression checks.
        "server_header": False,
        "proxy_headers": True,
        "forwarded_allow_ips": settings.forwarded_allow_ips,
    }


@app.command()
def worker(
    check: Annotated[bool, typer.Option("--check", help="Exit 0 if a worker is healthy.")] = False,
    alive: Annotated[
        bool,
        typer.Option(
            "--alive", help="Exit 0 if this machine's worker loop touched WORKER_LIVENESS_FILE."
        ),
    ] = False,
    burst: Annotated[bool, typer.Option(help="Stop when the queue is empty.")] = False,
) -> None:
    """Run the arq worker that persists orders and runs scheduled jobs."""
    from flashmart.core.priority import lower_priority
    from flashmart.worker import RECONNECT_MAX_SECONDS, create_worker

    settings = _settings()
    if alive:  # no Redis involved (worker_liveness.py)
        from flashmart.worker_liveness import is_alive

        if settings.worker_liveness_file is None:
            typer.echo("flashmart: --alive needs WORKER_LIVENESS_FILE", err=True)
            raise typer.Exit(2)
        ok, why = is_alive(
            settings.worker_liveness_file,
            settings.worker_health_check_interval,
            RECONNECT_MAX_SECONDS,
        )
        typer.echo(why, err=not ok)
        raise typer.Exit(0 if ok else 1)
    with ensure_redis_url(settings.data_dir, settings.seckill_durability) as url:
        if check:
            from arq.worker import async_check_health

            from flashmart.core import system
            from flashmart.core.keys import Keys
            from flashmart.core.queue import redis_settings
            from flashmart.core.runtime import queue_url

            keys = Keys(settings.redis_prefix)
            code = asyncio.run(
                async_check_health(
                    redis_settings(queue_url(settings, url), settings),
                    system.health_check_key(keys),
                    keys.queue,
                )
            )
            raise typer.Exit(code)
        # After the embedded Redis (if any) started: it serves the API and keeps its priority.
        lower_priority(settings.worker_nice)
        create_worker(settings, url, burst=burst).run()


@app.command()
def migrate() -> None:
    """Apply database migrations."""
    from flashmart.core.migrations import migrate as run_migrations

    settings = _settings()
    applied = asyncio.run(run_migrations(settings.database_url))
    for name in applied:
        typer.echo(f"applied {name}")
    typer.echo(f"database is up to date ({len(applied)} migration(s) applied)")


@app.command()
def seed(
    shoppers: Annotated[int, typer.Option(help="Demo shopper accounts to create.")] = 50,
) -> None:
    """Fill the database with a demo catalog, an admin, shoppers and flash sales (idempotent)."""
    from flashmart.seed import run_seed

    settings = _settings()
    with ensure_redis_url(settings.data_dir, settings.seckill_durability):
        asyncio.run(run_seed(Settings(), shoppers=shoppers))


@app.command()
def createadmin(
    email: Annotated[str, typer.Option(help="Admin email.")],
    password: Annotated[str, typer.Option(prompt=True, hide_input=True, help="Admin password.")],
) -> None:
    """Create an administrator (or promote an existing account)."""
    from flashmart.accounts.services import ensure_admin
    from flashmart.core.db import close_db, init_db
    from flashmart.core.errors import DomainFailure

    settings = _settings()

    async def go() -> None:
        await init_db(settings.database_url, pool_size=2)
        try:
            user, created = await ensure_admin(email=email, password=password)
            typer.echo(f"{'created' if created else 'updated'} admin {user.email}")
        except DomainFailure as failure:
            for error in failure.errors:
                typer.echo(f"error: {error.message}", err=True)
            raise typer.Exit(1) from failure
        finally:
            await close_db()

    asyncio.run(go())


@app.command("export-schema")
def export_schema(
    output: Annotated[
        Path | None, typer.Option(help="Write the SDL to this file (default: standard output).")
    ] = None,
) -> None:
    """Print the GraphQL schema (SDL) that clients generate their types from."""
    from flashmart.graphql.schema import export_sdl

    sdl = export_sdl()
    if output is None:
        typer.echo(sdl, nl=False)
        return
    output.write_text(sdl)
    typer.echo(f"wrote {output}")


@app.command()
def run(
    host: Annotated[str | None, typer.Option(help="Bind address (default: HOST).")] = None,
    port: Annotated[int | None, typer.Option(help="Port (default: PORT).")] = None,
    seed_data: Annotated[bool, typer.Option("--seed/--no-seed", help="Seed demo data.")] = True,
) -> None:
    """Everything for local use: Redis (embedded unless REDIS_URL), migrate, seed, API + worker.

    The worker, the API and the embedded Redis are supervised: one that dies is started again
    (with back-off; the Redis on its port, from its files) while the others keep running.
    """
    from flashmart.core.logging import configure_logging

    settings = _settings()
    configure_logging(settings.log_level, json_lines=settings.log_json)
    host = host or settings.host
    port = port or settings.port
    with ensure_redis(settings.data_dir, settings.seckill_durability) as (url, server):
        typer.echo(f"redis: {url}")
        migrate()
        if seed_data:
            seed(shoppers=50)
        exe = [sys.executable, "-m", "flashmart"]
        programs = [
            supervisor.Program("worker", _child([*exe, "worker"])),
            supervisor.Program("API", _child([*exe, "serve", "--host", host, "--port", str(port)])),
        ]
        if server is not None and server.owned and server.process is not None:
            programs.insert(0, _redis_program(server))
        base = f"http://{host}:{port}"
        graphiql = f"  GraphiQL    {base}/graphql\n" if settings.graphiql else ""
        typer.echo(
            f"\nFlashMart is starting:\n  storefront  {base}/\n  admin       {base}/admin\n"
            f"{graphiql}  health      {base}/readyz\n"
            "  demo admin  admin@flashmart.local / flashmart-admin\n"
            "  demo shopper shopper1@flashmart.local / flashmart-shopper\n"
            "Press Ctrl-C to stop.\n"
        )
        # The API finishes its requests, the worker its jobs (up to WORKER_JOB_TIMEOUT).
        grace = max(GRACEFUL_SHUTDOWN_SECONDS, settings.worker_job_timeout) + 5
        supervisor.Supervisor(programs, grace_seconds=grace).run()


def _child(command: list[str]) -> Callable[[], supervisor.Child]:
    """Starts `command` as a child that stops when this process dies (supervisor.py)."""
    parent = os.getpid()

    def start() -> supervisor.Child:
        process = subprocess.Popen(command, preexec_fn=lambda: supervisor.die_with_parent(parent))
        return supervisor.PopenChild(process)

    return start


def _redis_program(server: EmbeddedRedis) -> supervisor.Program:
    """The embedded Redis: started again on its port from its own files when it dies, and
    stopped after the API and the worker (they use it while they finish)."""
    assert server.process is not None

    def start() -> supervisor.Child:
        return supervisor.PopenChild(server.relaunch(wait=False))

    return supervisor.Program(
        "redis", start, stop_last=True, running=supervisor.PopenChild(server.process)
    )


seckill_app = typer.Typer(help="Flash-sale operations.", no_args_is_help=True)
app.add_typer(seckill_app, name="seckill")


def _run_seckill_check(check: Callable[[Runtime], Awaitable[bool]]) -> None:
    """Run `check` with the database and Redis open; exit 1 when it says False or the sale is
    unknown."""
    from flashmart.core.db import close_db, init_db
    from flashmart.core.errors import DomainFailure
    from flashmart.core.runtime import Runtime as Opened

    settings = _settings()

    async def go(url: str) -> bool:
        await init_db(settings.database_url, pool_size=2)
        try:
            async with Opened.open(settings, redis_url=url) as runtime:
                return await check(runtime)
        except DomainFailure as failure:
            typer.echo(f"error: {failure}", err=True)
            return False
        finally:
            await close_db()

    with ensure_redis_url(settings.data_dir, settings.seckill_durability) as url:
        if not asyncio.run(go(url)):
            raise typer.Exit(1)


@seckill_app.command("audit")
def seckill_audit(event_id: Annotated[int, typer.Argument(help="The sale's database id.")]) -> None:
    """Compare Redis stock, the reservation ledger and the database; exit 1 on any failure."""
    from flashmart.seckill.audit import audit

    async def check(runtime: Runtime) -> bool:
        report = await audit(runtime, event_id)
        typer.echo(
            f"sale {event_id}: total {report.total_stock}, sold {report.sold}, "
            f"in flight {report.pending}, remaining {report.remaining}, orders {report.orders}, "
            f"oversold {report.oversold}, undersold {report.undersold}"
        )
        for item in report.checks:
            typer.echo(f"  [{'PASS' if item.passed else 'FAIL'}] {item.name}: {item.detail}")
        return report.passed

    _run_seckill_check(check)


@seckill_app.command("verify-draw")
def seckill_verify_draw(
    event_id: Annotated[int, typer.Argument(help="The sale's database id.")],
) -> None:
    """Re-run a waiting room's draw from its published seed (docs/waiting-room.md) and compare
    it with the order Redis admits in; exit 1 when they differ."""
    from flashmart.seckill.audit import verify_draw

    async def check(runtime: Runtime) -> bool:
        result = await verify_draw(runtime, event_id)
        typer.echo(f"[{'PASS' if result.passed else 'FAIL'}] {result.name}: {result.detail}")
        return result.passed

    _run_seckill_check(check)


def main() -> None:
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    app()
