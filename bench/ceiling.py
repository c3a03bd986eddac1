"""(a) The Redis ceiling: the product's reserve script called directly, with no web stack.

`SaleStore.reserve` is run against a recording stand-in for the Redis client, so the script, its
keys and its arguments are exactly the product's; they are then replayed as raw RESP over one
connection (pipelined by 100, then one call at a time) so the client costs little next to
Redis. Every call is a full reservation: distinct shoppers and enough stock, with the arq job
written by the script. Redis's own per-call time comes from INFO commandstats.

Run alone, it starts an embedded Redis of its own and also reports that server's CPU per call
(docs/scaling.md); `--stock` gives the sales fewer units than calls, so that most calls are
answered SOLD_OUT as in a real sale:

    .venv/bin/python bench/ceiling.py                    # 50,000 full reservations pipelined
    .venv/bin/python bench/ceiling.py --stock 500        # 500 reserved, the rest SOLD_OUT
"""

from __future__ import annotations

import argparse
import asyncio
import secrets
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from procs import CLK_TCK, BenchError, cpu_snapshot


class _Recorder:
    """Stands in for a Redis client so `SaleStore.reserve` hands over the exact script, keys and
    arguments it would send; the ceiling then replays them against the real server."""

    def __init__(self) -> None:
        self.calls: list[tuple[list[Any], list[Any]]] = []
        self.source = ""

    def register_script(self, source: str) -> Callable[..., Any]:
        async def call(keys: list[Any], args: list[Any]) -> list[bytes]:
            self.source = source  # only the script `reserve` calls is ever called
            self.calls.append((list(keys), list(args)))
            return [b"OK", b"0"]

        return call


def _resp_command(*parts: Any) -> bytes:
    """One Redis command in RESP, encoded as redis-py encodes arguments."""
    out = [b"*%d\r\n" % len(parts)]
    for part in parts:
        if isinstance(part, bytes):
            data = part
        elif isinstance(part, float):
            data = repr(part).encode()
        else:
            data = str(part).encode()
        out.append(b"$%d\r\n%s\r\n" % (len(data), data))
    return b"".join(out)


def _parse_reply(buf: bytes, pos: int) -> tuple[Any, int] | None:
    """One RESP2 reply from `buf` at `pos`: (value, next position), or None if incomplete."""
    end = buf.find(b"\r\n", pos)
    if end < 0:
        return None
    kind, line = buf[pos : pos + 1], buf[pos + 1 : end]
    if kind in (b"+", b"-"):
        return (line if kind == b"+" else RuntimeError(line.decode())), end + 2
    if kind == b":":
        return int(line), end + 2
    if kind == b"$":
        size = int(line)
        if size < 0:
            return None, end + 2
        if len(buf) < end + 2 + size + 2:
            return None
        return buf[end + 2 : end + 2 + size], end + 2 + size + 2
    if kind == b"*":
        items, cursor = [], end + 2
        for _ in range(int(line)):
            parsed = _parse_reply(buf, cursor)
            if parsed is None:
                return None
            items.append(parsed[0])
            cursor = parsed[1]
        return items, cursor
    raise BenchError(f"unexpected Redis reply {buf[pos : pos + 40]!r}")


async def _replay(redis_url: str, commands: list[bytes], batch: int) -> tuple[float, Counter[str]]:
    """Send `commands` over one raw connection, `batch` at a time; wait for every reply."""
    url = urlsplit(redis_url)
    reader, writer = await asyncio.open_connection(url.hostname, url.port or 6379)
    codes: Counter[str] = Counter()
    try:
        started = time.perf_counter()
        for start in range(0, len(commands), batch):
            chunk = commands[start : start + batch]
            writer.write(b"".join(chunk))
            buf, pos, done = b"", 0, 0
            while done < len(chunk):
                data = await reader.read(1 << 16)
                if not data:
                    raise BenchError("Redis closed the connection")
                buf = buf[pos:] + data
                pos = 0
                while done < len(chunk):
                    parsed = _parse_reply(buf, pos)
                    if parsed is None:
                        break
                    value, pos = parsed
                    done += 1
                    code = value[0].decode() if isinstance(value, list) else repr(value)[:60]
                    codes[code] += 1
        return time.perf_counter() - started, codes
    finally:
        writer.close()
        await writer.wait_closed()


def _ticks(pid: int | None) -> int:
    return cpu_snapshot()["procs"].get(pid, (0, 0))[1] if pid is not None else 0


async def redis_ceiling(
    redis_url: str,
    n: int,
    batch: int,
    single: int,
    *,
    stock: int | None = None,
    server_pid: int | None = None,
) -> dict[str, Any]:
    """`stock`: units of each sale (default: one per call, so every call reserves);
    `server_pid`: the Redis server's process, whose CPU per call is then reported too."""
    from flashmart.core.keys import Keys
    from flashmart.core.redis import create_redis
    from flashmart.core.settings import Settings
    from flashmart.seckill.store import SaleStore, TicketSnapshot

    settings = Settings()
    keys = Keys("fmceil:")
    redis = create_redis(redis_url)
    recorder = _Recorder()
    job_keys: list[str] = []
    results: dict[str, Any] = {}
    try:
        now_ms = int(time.time() * 1000)
        for label, event_id, count, size in (("pipelined", 1, n, batch), ("single", 2, single, 1)):
            await SaleStore(redis, keys).load(
                event_id=event_id,
                starts_ms=now_ms - 1000,
                ends_ms=now_ms + 3_600_000,
                per_user_limit=1,
                total=count if stock is None else min(stock, count),
                snapshot=TicketSnapshot(live=[], dead=[]),  # a new sale: nothing sold yet
            )
            recorder.calls.clear()
            for uid in range(1, count + 1):
                await SaleStore(recorder, keys).reserve(  # type: ignore[arg-type]
                    event_id=event_id,
                    user_id=uid,
                    quantity=1,
                    ticket_id=secrets.token_hex(16),
                    client_ip="127.0.0.1",
                    user_rate=settings.seckill_user_rate,
                    user_burst=settings.seckill_user_burst,
                    ip_rate=1e9,
                    ip_burst=10**9,
                    enqueue=settings.enqueues_in_script,
                )
            if settings.enqueues_in_script:
                job_keys += [str(call_keys[-1]) for call_keys, _ in recorder.calls]
            loaded = await redis.script_load(recorder.source)
            sha = loaded.decode() if isinstance(loaded, bytes) else str(loaded)
            commands = [
                _resp_command("EVALSHA", sha, len(call_keys), *call_keys, *call_args)
                for call_keys, call_args in recorder.calls
            ]
            await redis.config_resetstat()  # our own server: per-command stats of this run
            ticks = _ticks(server_pid)
            elapsed, codes = await _replay(redis_url, commands, size)
            ticks = _ticks(server_pid) - ticks
            stats = await redis.info("commandstats")
            evalsha = stats.get("cmdstat_evalsha", {})
            results[label] = {
                "calls": len(commands),
                "seconds": round(elapsed, 3),
                "per_s": round(len(commands) / elapsed, 1),
                "server_usec_per_call": evalsha.get("usec_per_call"),
                "server_process_usec_per_call": (
                    round(ticks / CLK_TCK * 1e6 / len(commands), 1) if server_pid else None
                ),
                "codes": dict(codes),
            }
        # Leave nothing behind: the jobs the script wrote are for a queue nobody reads.
        async for key in redis.scan_iter(match="fmceil:*", count=1000):
            await redis.unlink(key)
        for start in range(0, len(job_keys), 1000):
            await redis.unlink(*job_keys[start : start + 1000])
    finally:
        await redis.aclose()
    return {
        "batch": batch,
        "pipelined_per_s": results["pipelined"]["per_s"],
        "single_client_per_s": results["single"]["per_s"],
        "server_usec_per_call": results["pipelined"]["server_usec_per_call"],
        "runs": results,
        "all_ok": all(set(r["codes"]) == {"OK"} for r in results.values()),
    }


async def warm_raw_event(
    redis_url: str, prefix: str, event_id: int, units: int, starts_in_s: float
) -> None:
    from flashmart.core.keys import Keys
    from flashmart.core.redis import create_redis
    from flashmart.seckill.store import SaleStore, TicketSnapshot

    redis = create_redis(redis_url)
    try:
        now_ms = int(time.time() * 1000)
        await SaleStore(redis, Keys(prefix)).load(
            event_id=event_id,
            starts_ms=now_ms + int(starts_in_s * 1000),
            ends_ms=now_ms + int(starts_in_s * 1000) + 3_600_000,
            per_user_limit=1,
            total=units,
            snapshot=TicketSnapshot(live=[], dead=[]),  # a new sale: nothing sold yet
        )
    finally:
        await redis.aclose()


def main() -> None:
    from flashmart.core import embedded_redis
    from flashmart.core.settings import Durability

    parser = argparse.ArgumentParser(description="The reserve script's ceiling on one Redis.")
    parser.add_argument("--calls", type=int, default=50_000, help="pipelined calls (by 100)")
    parser.add_argument("--single", type=int, default=5_000, help="calls one at a time")
    parser.add_argument("--stock", type=int, default=None, help="units per sale (default: all)")
    parser.add_argument("--fast", action="store_true", help="appendfsync everysec, not always")
    args = parser.parse_args()
    durability = Durability.FAST if args.fast else Durability.DURABLE
    with tempfile.TemporaryDirectory(prefix="fmceil-") as tmp:
        server = embedded_redis.start(Path(tmp), reuse=False, durability=durability)
        try:
            result = asyncio.run(
                redis_ceiling(
                    server.url,
                    args.calls,
                    100,
                    args.single,
                    stock=args.stock,
                    server_pid=server.pid,
                )
            )
        finally:
            server.stop()
    stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    print(f"{stamp} SECKILL_DURABILITY={durability.value}, stock {args.stock or 'one per call'}")
    for label, run in result["runs"].items():
        print(
            f"{label:>9}: {run['calls']:,} calls, {run['per_s']:,.0f}/s, Redis "
            f"{run['server_usec_per_call']} us/call (commandstats), "
            f"{run['server_process_usec_per_call']} us/call (process CPU), {run['codes']}"
        )


if __name__ == "__main__":
    sys.exit(main())
