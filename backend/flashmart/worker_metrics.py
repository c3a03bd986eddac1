"""The worker's `/metrics`: a small HTTP server inside the worker's event loop.

Started by the worker when WORKER_METRICS_PORT is set (worker.py `on_startup`). Each scrape
first reads the scrape-time gauges (`scrape.refresh`: the queue, pending reservations, pools),
then renders the process's registry (`metrics.render`: with PROMETHEUS_MULTIPROC_DIR set, that
directory's figures, so a worker sharing the API's directory shows the API's too).

Served from the worker's own loop, so a worker whose loop is stuck stops answering scrapes,
which Prometheus reports as `up == 0` (the WorkerDown alert). It answers `GET /metrics` and
nothing else; a request has READ_TIMEOUT_SECONDS and MAX_REQUEST_BYTES to arrive.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time

from flashmart import scrape
from flashmart.core import metrics
from flashmart.core.runtime import Runtime

logger = logging.getLogger("flashmart.worker")

READ_TIMEOUT_SECONDS = 5.0
MAX_REQUEST_BYTES = 8192


class MetricsServer:
    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self.server: asyncio.Server | None = None

    async def start(self, host: str, port: int) -> None:
        self.server = await asyncio.start_server(
            self._serve, host, port, limit=MAX_REQUEST_BYTES, reuse_address=True
        )
        bound = self.server.sockets[0].getsockname()
        logger.info("worker metrics at http://%s:%s/metrics", bound[0], bound[1])

    @property
    def port(self) -> int:
        assert self.server is not None  # started
        return int(self.server.sockets[0].getsockname()[1])

    async def close(self) -> None:
        if self.server is not None:
            self.server.close()
            await self.server.wait_closed()
            self.server = None

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            async with asyncio.timeout(READ_TIMEOUT_SECONDS):
                head = await reader.readuntil(b"\r\n\r\n")
            request_line = head.split(b"\r\n", 1)[0].split(b" ")
            if len(request_line) != 3:
                await _reply(writer, 400, b"text/plain", b"bad request\n")
            elif request_line[0] != b"GET":
                await _reply(writer, 405, b"text/plain", b"method not allowed\n")
            elif request_line[1].split(b"?", 1)[0] != b"/metrics":
                await _reply(writer, 404, b"text/plain", b"not found\n")
            else:
                await scrape.refresh(self.runtime)
                body, content_type = metrics.render()
                await _reply(writer, 200, content_type.encode(), body)
        except (TimeoutError, asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            pass  # a slow, short or oversized request gets no answer
        except ConnectionError:
            pass  # the scraper went away
        finally:
            writer.close()
            with contextlib.suppress(ConnectionError):
                await writer.wait_closed()


REASONS = {200: b"OK", 400: b"Bad Request", 404: b"Not Found", 405: b"Method Not Allowed"}


async def _reply(
    writer: asyncio.StreamWriter, status: int, content_type: bytes, body: bytes
) -> None:
    writer.write(
        b"HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %d\r\nConnection: close\r\n\r\n"
        % (status, REASONS[status], content_type, len(body))
    )
    writer.write(body)
    await writer.drain()


class JobCounter:
    """`flashmart_worker_jobs_total` and `flashmart_worker_job_duration_seconds` of one job
    function (worker.py `retried_on_outage`), children bound once."""

    def __init__(self, function: str) -> None:
        self.outcomes = {o: metrics.WORKER_JOBS.labels(function, o) for o in metrics.JOB_OUTCOMES}
        self.duration = metrics.WORKER_JOB_DURATION.labels(function)

    def done(self, outcome: str, started: float) -> None:
        self.outcomes[outcome].inc()
        self.duration.observe(time.perf_counter() - started)
