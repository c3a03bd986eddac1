"""`make bench`: load-test the real flash-sale stack on this machine and compare it with its
ceilings and a naive baseline. See docs/bench.md.

1. prepare  temp DATA_DIR, our own embedded Redis, a scratch PostgreSQL database (SQLite when
            PostgreSQL is not reachable), `flashmart migrate`, 5,000 shoppers (bulk), a product
            and a flash sale of 500 units (perUserLimit 1) starting now, warmed into Redis
2. stack    `flashmart serve --workers 2` and one `flashmart worker`, separate processes
3. load     bench/loadgen.py in its own process, 200 keep-alive connections: a warm-up pass
            (every shopper once, on a sale that has not started), then on the same connections
            every shopper tries 5 times (25,000 seckillBuy requests)
4. drain    wait until no persist job is due and no reservation is pending; audit
   crowds   on fresh sales, each audited: the same storm by new shoppers on new connections
            with no warm-up (cold crowd); then again while thousands of graphql-ws
            subscribers (bench/crowd.py) watch the sale from before it starts (live crowd)
   fsync    on fresh sales, each audited: the cold crowd's storm with Redis's AOF fsynced
            every second (SECKILL_DURABILITY=fast) and before every reply (durable), side by
            side (CONFIG SET appendfsync on the benchmark's own Redis)
   tracing  on fresh sales, each audited: the cold crowd's storm against the API and worker
            restarted with OpenTelemetry tracing off, on with 10% of new traces sampled,
            and on with all sampled, exporting OTLP over HTTP to bench/otlp_sink.py
5. compare  (a) the reserve script called directly; (b) a bare Starlette route doing the same
            Redis work; (c) the purchase through the database only, same GraphQL stack
6. report   bench/results/<timestamp>.json and .png (and latest.json / latest.png)

Every step is bounded in time; processes, the temp dir and the scratch database are removed
at the end, also on Ctrl-C.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import http.client
import json
import os
import random
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
RESULTS_DIR = HERE / "results"
FRONTEND_DIST = ROOT / "frontend" / "dist"
FLASHMART = [sys.executable, "-m", "flashmart"]
sys.path.insert(0, str(HERE))

import documents  # noqa: E402
from procs import (  # noqa: E402 - bench/ is not a package: its modules import each other
    T0,
    BenchError,
    Processes,
    calibrate,
    cpu_report,
    cpu_snapshot,
    free_port,
    gc_pause_delta,
    gc_pauses,
    log,
    run_dir,
    wait_http_ok,
)

# The storefront's buy (frontend/src/features/seckill/api/mutations.ts) and live stock
# (FlashSaleUpdatedSubscription in features/seckill/api/queries.ts) go by documentId, as it
# sends them (bench/documents.py).
BUY_OPERATION = "SeckillBuy"
SUBSCRIPTION_OPERATION = "FlashSaleUpdated"
# The waiting room's (WaitingRoomJoin in features/seckill/api/mutations.ts, WaitingRoomUpdated in
# queries.ts).
ROOM_JOIN_OPERATION = "WaitingRoomJoin"
ROOM_SUBSCRIPTION_OPERATION = "WaitingRoomUpdated"
# The waiting room's entrants stay at least this long after the draw.
ROOM_HOLD_S = 10.0
NAIVE_QUERY = (
    "mutation Buy($productId: ID!) { naiveBuy(productId: $productId) { ok userErrors { code } } }"
)


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Load-test seckillBuy; see docs/bench.md.")
    parser.add_argument("--shoppers", type=int, default=5000)
    parser.add_argument("--units", type=int, default=500)
    parser.add_argument("--attempts", type=int, default=5, help="buy attempts per shopper")
    parser.add_argument("--connections", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2, help="API processes (uvicorn)")
    parser.add_argument("--sqlite", action="store_true", help="SQLite even if PostgreSQL is up")
    parser.add_argument(
        "--no-warmup", action="store_true", help="no warm-up pass (cold token-stamp cache)"
    )
    parser.add_argument(
        "--skip-compare", action="store_true", help="no ceilings (a), (b) and no baseline (c)"
    )
    parser.add_argument(
        "--skip-crowds", action="store_true", help="neither the cold nor the live crowd"
    )
    parser.add_argument(
        "--skip-durability", action="store_true", help="no fast-vs-durable fsync storms"
    )
    parser.add_argument(
        "--skip-tracing", action="store_true", help="no tracing off / 10%% / 100%% storms"
    )
    parser.add_argument("--skip-cold-crowd", action="store_true")
    parser.add_argument("--skip-live-crowd", action="store_true")
    parser.add_argument(
        "--subscribers", type=int, default=5000, help="live crowd: graphql-ws subscribers"
    )
    parser.add_argument(
        "--crowd-processes", type=int, default=2, help="live crowd: subscriber client processes"
    )
    parser.add_argument(
        "--page-loads-per-second",
        type=float,
        default=20.0,
        help="live crowd: first visits of the sale page a second, from the start to the storm's "
        "end (0: none; needs the built frontend, which `make bench` builds)",
    )
    parser.add_argument(
        "--crowd-lead",
        type=float,
        default=None,
        help="live crowd: seconds from creating the sale to its start (default: from how "
        "long the subscribers took to connect)",
    )
    parser.add_argument(
        "--sold-out-timeout",
        type=float,
        default=15.0,
        help="live crowd: seconds after the storm a subscriber may still see SOLD_OUT",
    )
    parser.add_argument(
        "--skip-room", action="store_true", help="no waiting-room scenario (docs/bench.md)"
    )
    parser.add_argument(
        "--room-entrants", type=int, default=10_000, help="waiting room: shoppers who join"
    )
    parser.add_argument(
        "--room-join-seconds",
        type=float,
        default=60.0,  # a real room opens minutes before the start; 10,000 in 60 s is 167/s
        help="waiting room: the joins are spread evenly over this many seconds before the start",
    )
    parser.add_argument(
        "--room-seconds",
        type=float,
        default=30.0,
        help="waiting room: how long after the draw admissions and buys may go on",
    )
    parser.add_argument(
        "--naive-seconds", type=float, default=25.0, help="time box of the naive baseline"
    )
    parser.add_argument("--ceiling-calls", type=int, default=50_000)
    parser.add_argument(
        "--strict",
        action="store_true",
        help="exit 1 when the speed target or the tracing cost target is missed too",
    )
    parser.add_argument(
        "--cluster",
        action="store_true",
        help="only the storm, on a local Redis Cluster with a queue Redis of its own: every "
        "shopper (--shoppers / --sales of them) buys on every sale; per-shard script rates "
        "(bench/cluster.py)",
    )
    parser.add_argument("--sales", type=int, default=8, help="--cluster: concurrent sales")
    parser.add_argument("--shards", type=int, default=3, help="--cluster: cluster nodes")
    parser.add_argument("--keep-tmp", action="store_true", help="keep the temp dir (logs)")
    parser.add_argument(
        "--scrape-targets",
        type=Path,
        default=None,
        help="a directory: write the running API's and worker's /metrics addresses there "
        "(Prometheus file_sd, <job>.json; the worker then serves its metrics) for "
        "bench/dashboard.py",
    )
    parser.add_argument("--results-dir", type=Path, default=RESULTS_DIR)
    return parser.parse_args(argv)


@contextlib.contextmanager
def sigterm_as_interrupt() -> Iterator[None]:
    def handler(signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, handler)
    # Ctrl-C too, even when started with SIGINT ignored (a background job of a script).
    previous_int = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
        signal.signal(signal.SIGINT, previous_int)


def main(argv: list[str] | None = None) -> int:
    cfg = parse_args(argv)
    started_at = datetime.now(UTC)
    with sigterm_as_interrupt(), contextlib.ExitStack() as cleanup:
        try:
            if cfg.cluster:  # the storm on a Redis Cluster topology (bench/cluster.py)
                from cluster import ClusterBench

                return ClusterBench(cfg, cleanup, started_at).run()
            return Bench(cfg, cleanup, started_at).run()
        except KeyboardInterrupt:
            log("interrupted: stopping processes, removing the scratch database and temp files")
            return 130
        except BenchError as exc:
            log(f"FAILED: {exc}")
            return 1


class Bench:
    def __init__(
        self, cfg: argparse.Namespace, cleanup: contextlib.ExitStack, started_at: datetime
    ) -> None:
        self.cfg = cfg
        self.cleanup = cleanup
        self.started_at = started_at
        self.stamp = started_at.strftime("%Y%m%dT%H%M%SZ")
        self.tmp = run_dir("fmbench-", keep=cfg.keep_tmp, cleanup=cleanup)
        self.procs = Processes(self.tmp / "logs")
        self.samples: dict[str, dict[str, list[float]]] = {}

    # --- load generator ----------------------------------------------------------------------
    def loadgen(
        self,
        name: str,
        port: int,
        phases: list[dict[str, Any]],
        groups: dict[str, int],
        *,
        clients: dict[str, int] | None = None,
        before_go: Callable[[int], None] | None = None,
    ) -> list[dict[str, Any]]:
        """One load generator process running `phases` one after another on the same
        connections; returns a summary per phase with the CPU used during it by our servers
        (`groups`: name -> process group), by other clients of ours (`clients`), by the load
        generator and by others. `before_go(i)` runs once phase i is ready to start."""
        from report import summarize
        from stack import database_backends

        control = self.tmp / f"{name}-control"
        control.mkdir()
        spec = {
            "host": "127.0.0.1",
            "port": port,
            "connections": self.cfg.connections,
            "secret": self.env["JWT_SECRET"],
            "phases": phases,
            "control_dir": str(control),
        }
        spec_path, out_path = self.tmp / f"{name}-spec.json", self.tmp / f"{name}-result.json"
        spec_path.write_text(json.dumps(spec))
        deadline = time.monotonic() + sum(p["max_seconds"] for p in phases) + 60
        cmd = [sys.executable, str(HERE / "loadgen.py"), str(spec_path), str(out_path)]
        proc = self.procs.start(f"loadgen-{name}", cmd, self.env, self.tmp)
        windows: list[tuple[dict[str, Any], dict[str, Any], float, Any]] = []
        try:
            for index in range(len(phases)):
                self._await_file(control / f"ready-{index}", proc, name, deadline)
                if before_go is not None:
                    before_go(index)
                gc_before = gc_pauses(port) if "api" in groups else None
                before = cpu_snapshot()
                (control / f"go-{index}").touch()
                done = control / f"done-{index}"
                self._await_file(done, proc, name, deadline)
                after = cpu_snapshot()
                pauses = gc_pause_delta(gc_before, gc_pauses(port)) if gc_before else None
                windows.append((before, after, json.loads(done.read_text()), pauses))
            proc.wait(timeout=max(1.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired as exc:
            raise BenchError(f"load generator {name} did not finish in time") from exc
        finally:
            self.procs.stop(proc)
        if proc.returncode != 0 or not out_path.exists():
            raise BenchError(f"load generator {name} failed:\n{self.procs.tail(f'loadgen-{name}')}")
        out = json.loads(out_path.read_text())
        backends = database_backends(self.env["DATABASE_URL"])
        summaries = []
        for recorded, (before, after, client_cpu, pauses) in zip(
            out["phases"], windows, strict=True
        ):
            summary = summarize(recorded, out["outcome_names"])
            summary["cpu"] = cpu_report(
                before,
                after,
                {"bench": os.getpgrp(), **groups, **(clients or {})},
                client_cpu,
                summary["requests"],
                {"postgres": backends},
                clients=tuple(clients or ()),
            )
            summary["load_generator"] = {
                "cpu_seconds_in_phase": round(client_cpu, 2),
                "tokens_minted": out["tokens_minted"],
                "mint_seconds": round(out["mint_seconds"], 3),
            }
            if pauses is not None:  # the API's collector pauses in the phase (and just after)
                summary["cpu"]["gc_pauses"] = pauses
            summary["_raw"] = recorded
            other = summary["cpu"]["other_processes_cores"]
            if other >= 0.25:
                log(
                    f"    note: other processes on this machine used {other:.2f} of "
                    f"{os.cpu_count()} cores meanwhile; throughput is lower than on an idle machine"
                )
            summaries.append(summary)
        return summaries

    def _await_file(
        self, path: Path, proc: subprocess.Popen[bytes], name: str, deadline: float
    ) -> None:
        while not path.exists():
            if proc.poll() is not None:
                raise BenchError(
                    f"load generator {name} failed:\n{self.procs.tail(f'loadgen-{name}')}"
                )
            if time.monotonic() > deadline:
                raise BenchError(f"load generator {name} did not finish in time")
            time.sleep(0.02)  # a window edge within 20 ms of a pass of seconds

    def phase(
        self,
        name: str,
        path: str,
        body: dict[str, Any],
        attempts: int,
        seed: int,
        max_seconds: float,
        users: list[int] | None = None,
    ) -> dict[str, Any]:
        return {
            "name": name,
            "path": path,
            "body": body,
            "users": self.users if users is None else users,
            "attempts": attempts,
            "shuffle_seed": seed,
            "max_seconds": max_seconds,
        }

    def fresh_storm(
        self, name: str, port: int, groups: dict[str, int], redis_url: str, **options: Any
    ) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
        """The crowd's storm by fresh shoppers on a fresh sale that started a second ago, on
        new connections with no warm-up pass: (result, sale, shoppers). `options` go to
        `loadgen`."""
        from stack import fresh_sale, fresh_shoppers

        shoppers = asyncio.run(fresh_shoppers(len(self.users), redis_url))
        sale = asyncio.run(
            fresh_sale(self.cfg.units, redis_url, datetime.now(UTC) - timedelta(seconds=1))
        )
        result = self.drive(name, port, None, self.crowd_storm(sale, shoppers), groups, **options)
        return result, sale, shoppers

    def crowd_storm(self, sale: dict[str, Any], shoppers: dict[str, Any]) -> dict[str, Any]:
        """A crowd's buy storm: the measured pass's attempts and order, by fresh shoppers."""
        ids: list[int] = shoppers["user_ids"]
        body = buy_body(sale["event_gid"])
        return self.phase("main", "/graphql", body, self.cfg.attempts, 2, 90, users=ids)

    def drive(
        self,
        name: str,
        port: int,
        warm: dict[str, Any] | None,
        main: dict[str, Any],
        groups: dict[str, int],
        **options: Any,
    ) -> dict[str, Any]:
        warmup = None
        if warm is not None and not self.cfg.no_warmup:
            warmup, result = self.loadgen(name, port, [warm, main], groups, **options)
        else:
            (result,) = self.loadgen(name, port, [main], groups, **options)
        raw = result.pop("_raw")
        self.samples[name] = {"latencies": raw["latencies"]}
        result["started_epoch"] = raw["started_epoch"]
        if warmup is not None:
            warmup.pop("_raw")
            keys = ("requests", "requests_per_s", "latency_ms", "outcomes", "errors", "cpu")
            result["warmup"] = {k: warmup[k] for k in keys}
        return result

    # --- the run -----------------------------------------------------------------------------
    def run(self) -> int:
        from report import (
            TARGET_P99_MS,
            TARGET_RPS,
            TARGET_TRACING_RATIO,
            machine_info,
            print_summary,
            ratio,
        )
        from stack import prepare, scratch_database

        from flashmart.core import embedded_redis
        from flashmart.core.settings import Durability

        cfg, tmp, procs = self.cfg, self.tmp, self.procs
        self.pages = cfg.page_loads_per_second > 0 and not (cfg.skip_crowds or cfg.skip_live_crowd)
        if self.pages and not (FRONTEND_DIST / "index.html").exists():
            log(f"no built frontend in {FRONTEND_DIST}: no page loads (`make bench` builds it)")
            self.pages = False

        # 1. prepare --------------------------------------------------------------------------
        log(f"temp dir {tmp}")
        durability = Durability(os.environ.get("SECKILL_DURABILITY", Durability.DURABLE.value))
        server = embedded_redis.start(tmp, reuse=False, durability=durability)
        self.cleanup.callback(server.stop)
        fsync = embedded_redis.appendfsync_for(durability)
        log(
            f"embedded Redis at {server.url} (SECKILL_DURABILITY={durability}: appendfsync {fsync})"
        )
        database_url, database = scratch_database(tmp, cfg.sqlite, self.cleanup)
        self.cleanup.callback(procs.stop_all)  # before the database is dropped, Redis stopped
        inherited = {  # tracing off unless a scenario turns it on (OTEL_*: core/tracing.py)
            k: v
            for k, v in os.environ.items()
            if k not in ("REDIS_URL", "DATABASE_URL", "PROMETHEUS_MULTIPROC_DIR")
            and not k.startswith("OTEL_")
        }
        self.env = env = {
            **inherited,
            "ENV": "development",
            "DATA_DIR": str(tmp / "data"),
            "DATABASE_URL": database_url,
            "REDIS_URL": server.url,
            "REDIS_PREFIX": "fm:",
            "JWT_SECRET": secrets.token_urlsafe(48),
            "PAYMENT_WEBHOOK_SECRET": secrets.token_urlsafe(48),
            "LOG_LEVEL": "WARNING",
            "GRAPHIQL": "false",
            # The API serves the built frontend as under `make run`: the live crowd's page loads.
            "FRONTEND_DIST": str(FRONTEND_DIST if self.pages else tmp / "no-frontend"),
            "WEB_CONCURRENCY": str(cfg.workers),
            # One load generator is one client address: lift the per-IP bucket out of the way.
            # The per-shopper bucket keeps its defaults (5 attempts fit in its burst).
            "SECKILL_IP_RATE": "1000000000",
            "SECKILL_IP_BURST": "1000000000",
            # The waiting room's entrants too (the per-shopper join limit keeps its default).
            "SECKILL_ROOM_JOINS_PER_IP_MINUTE": "1000000000",
            # The live crowd's subscribers are one client address too.
            "SUBSCRIPTION_MAX_ANONYMOUS_PER_ADDRESS": "1000000",
            # The servers run in the temp dir: the storefront's documents by their absolute path.
            "TRUSTED_DOCUMENTS_MANIFEST": str(documents.MANIFEST),
            "PYTHONUNBUFFERED": "1",
            "PYTHONPATH": os.pathsep.join(filter(None, [str(HERE), os.environ.get("PYTHONPATH")])),
        }
        for key in ("DATABASE_URL", "REDIS_URL", "REDIS_PREFIX", "JWT_SECRET", "ENV",
                    "PAYMENT_WEBHOOK_SECRET", "DATA_DIR", "SECKILL_IP_RATE", "SECKILL_IP_BURST",
                    "LOG_LEVEL"):  # fmt: skip
            os.environ[key] = env[key]  # this process's own Settings() (audit, warm-up)
        log("flashmart migrate")
        migrate = subprocess.run(
            [*FLASHMART, "migrate"], env=env, cwd=tmp, capture_output=True, text=True, timeout=120
        )
        if migrate.returncode != 0:
            raise BenchError(f"flashmart migrate failed:\n{migrate.stdout}\n{migrate.stderr}")
        log(migrate.stdout.strip().splitlines()[-1] if migrate.stdout.strip() else "migrated")
        log(f"creating {cfg.shoppers:,} shoppers, a product, a flash sale of {cfg.units} units")
        data = asyncio.run(prepare(cfg, server.url))
        self.users: list[int] = data["user_ids"]
        machine = machine_info(database, server.url)
        machine["calibration_ms_before"] = calibrate()

        # 2. the real stack -------------------------------------------------------------------
        port, api, worker = self.start_stack(env, server.url)
        log("API ready, worker alive")

        # 3. load -----------------------------------------------------------------------------
        groups = {"api": api.pid, "worker": worker.pid, "redis": server.pid}
        if not cfg.no_warmup:
            log(f"warm-up: {len(self.users):,} seckillBuy on a sale that has not started")
        log(
            f"load: {len(self.users) * cfg.attempts:,} seckillBuy ({cfg.attempts} per shopper) "
            f"over {cfg.connections} connections"
        )
        seckill = self.drive(
            "seckillBuy",
            port,
            self.phase("warmup", "/graphql", buy_body(data["early_gid"]), 1, 1, 30),
            self.phase("main", "/graphql", buy_body(data["event_gid"]), cfg.attempts, 2, 90),
            groups,
        )
        log(
            f"    {seckill['requests_per_s']:,.0f} req/s, p50 {seckill['latency_ms']['p50']:.1f} "
            f"ms, p99 {seckill['latency_ms']['p99']:.1f} ms, {seckill['outcomes']}"
        )

        # 4. drain and audit ------------------------------------------------------------------
        drain = self.drain_and_audit(server.url, data["event_id"], seckill)
        audit = drain["audit"]
        machine["calibration_ms_after_seckill"] = calibrate()

        # 4b. the crowds: the same storm on fresh sales by shoppers the API has never seen ------
        crowds: dict[str, Any] = {}
        if not (cfg.skip_crowds or cfg.skip_cold_crowd):
            crowds["cold_crowd"] = self.cold_crowd(port, groups, server.url, seckill)
        if not (cfg.skip_crowds or cfg.skip_live_crowd):
            crowds["live_crowd"] = self.live_crowd(
                port, groups, server.url, seckill, crowds.get("cold_crowd")
            )
        if not cfg.skip_room:
            crowds["room"] = self.room(port, groups, server.url)
        if not cfg.skip_durability:
            crowds["durability"] = self.durability(port, groups, server.url, fsync)
        procs.stop(api)
        procs.stop(worker)
        if not cfg.skip_tracing:
            crowds["tracing"] = self.tracing(server)

        results: dict[str, Any] = {
            "timestamp": self.stamp,
            "started_at": self.started_at.isoformat(),
            "command": "make bench",
            "argv": sys.argv[1:],
            "machine": machine,
            "config": {
                "shoppers": cfg.shoppers,
                "units": cfg.units,
                "attempts": cfg.attempts,
                "connections": cfg.connections,
                "workers": cfg.workers,
                "per_user_limit": 1,
                "warmup_pass": not cfg.no_warmup,
                "seckill_durability": durability.value,
                "redis_appendfsync": fsync,
                "subscribers": None if cfg.skip_crowds or cfg.skip_live_crowd else cfg.subscribers,
                "room_entrants": None if cfg.skip_room else cfg.room_entrants,
                "load_generator": "bench/loadgen.py: asyncio (uvloop) HTTP/1.1 keep-alive, "
                "one request in flight per connection",
            },
            "seckill": seckill,
            "drain": drain,
            **crowds,
        }

        # 5. comparisons ----------------------------------------------------------------------
        if not cfg.skip_compare:
            self.compare(results, data, server)

        # 6. report ---------------------------------------------------------------------------
        rps = seckill["requests_per_s"]
        results["ratios"] = {
            "vs_redis_ceiling": ratio(rps, results.get("redis_ceiling", {}).get("pipelined_per_s")),
            "vs_transport": ratio(rps, results.get("transport", {}).get("requests_per_s")),
            "vs_naive": ratio(rps, results.get("naive", {}).get("requests_per_s")),
        }
        correct = audit["oversold"] == 0 and audit["undersold"] == 0 and audit["passed"]
        # A storm that sold nothing (every buy refused: a broken set-up) measured nothing: with
        # at least as many shoppers as units, the sale sells out.
        expected = cfg.units if len(self.users) >= cfg.units else 1
        if drain["orders_persisted"] < expected:
            log(f"the storm made {drain['orders_persisted']} orders, expected {expected}: failed")
            correct = False
        storms = [c for k, c in crowds.items() if k not in ("durability", "tracing", "room")]
        storms += list(crowds.get("durability", {}).get("runs", {}).values())
        storms += [r for rs in crowds.get("tracing", {}).get("storms", {}).values() for r in rs]
        crowds_correct = all(
            c["drain"]["audit"]["passed"]
            and c["drain"]["audit"]["oversold"] == 0
            and c["drain"]["audit"]["undersold"] == 0
            for c in storms
        )
        if "room" in crowds:
            crowds_correct = crowds_correct and crowds["room"]["correct"]
        results["target"] = {
            "rps": TARGET_RPS,
            "p99_ms": TARGET_P99_MS,
            "rps_met": rps >= TARGET_RPS,
            "p99_met": seckill["latency_ms"]["p99"] <= TARGET_P99_MS,
            "correct": correct,
            "no_errors": seckill["errors"] == 0,
            "crowds_correct": crowds_correct,
        }
        if "tracing" in crowds:
            results["target"]["tracing_ratio_min"] = TARGET_TRACING_RATIO
            results["target"]["tracing_met"] = crowds["tracing"]["target_met"]
        results["run_seconds"] = round(time.monotonic() - T0, 1)
        self.write(results)
        print_summary(results)
        if seckill["errors"]:
            log(f"{seckill['errors']} requests failed; samples: {seckill['error_samples']}")
        if not (correct and crowds_correct):
            return 1
        target = results["target"]
        if cfg.strict and not (
            target["rps_met"] and target["p99_met"] and target.get("tracing_met", True)
        ):
            return 1
        return 0

    def drain_and_audit(
        self, redis_url: str, event_id: int, load: dict[str, Any]
    ) -> dict[str, Any]:
        from stack import drain_and_audit

        log("waiting for the queue to drain, then auditing")
        load_end = load["started_epoch"] + load["duration_s"]
        drain = asyncio.run(
            drain_and_audit(redis_url, event_id, load_end, load["started_epoch"], 90)
        )
        audit = drain["audit"]
        log(
            f"    drained {drain['drain_after_load_s']:.2f} s after the load; "
            f"{drain['orders_persisted']} orders at {drain['orders_per_s']:,.0f}/s; "
            f"oversold {audit['oversold']}, undersold {audit['undersold']}"
        )
        for check in audit["checks"]:
            log(f"    [{'PASS' if check['passed'] else 'FAIL'}] {check['name']}: {check['detail']}")
        return drain

    # --- the crowds ------------------------------------------------------------------------------
    def cold_crowd(
        self, port: int, groups: dict[str, int], redis_url: str, warm: dict[str, Any]
    ) -> dict[str, Any]:
        """The measured storm again, on a sale nobody has touched, by shoppers whose token
        stamps are neither in Redis nor in the API processes, on new connections."""
        from report import ratio

        cfg = self.cfg
        count = len(self.users)
        log(
            f"cold crowd: {count:,} fresh shoppers, a fresh sale of {cfg.units} units, "
            f"no warm-up, {count * cfg.attempts:,} seckillBuy on new connections"
        )
        calibration = calibrate()  # the machine's speed now: the crowds run a minute apart
        result, sale, shoppers = self.fresh_storm("cold crowd", port, groups, redis_url)
        result["calibration_ms_before"] = calibration
        lat = result["latency_ms"]
        result["stamp_keys_deleted"] = shoppers["stamp_keys_deleted"]
        result["p99_vs_warm"] = ratio(lat["p99"], warm["latency_ms"]["p99"])
        result["requests_per_s_vs_warm"] = ratio(result["requests_per_s"], warm["requests_per_s"])
        log(
            f"    {result['requests_per_s']:,.0f} req/s, p50 {lat['p50']:.1f} ms, p99 "
            f"{lat['p99']:.1f} ms ({result['p99_vs_warm'] or 0:.2f}x the warm p99), "
            f"{result['outcomes']}"
        )
        result["drain"] = self.drain_and_audit(redis_url, sale["event_id"], result)
        return result

    def durability(
        self, port: int, groups: dict[str, int], redis_url: str, configured: str
    ) -> dict[str, Any]:
        """The cold crowd's storm twice, on fresh sales by fresh shoppers: Redis's AOF fsynced
        every second (SECKILL_DURABILITY=fast), then before every reply (durable), switched
        with CONFIG SET on the benchmark's own Redis; the API answers the same either way
        (no replica: no WAIT), so the difference is what the fsync costs."""
        import redis
        from report import ratio

        cfg = self.cfg
        count = len(self.users)
        client = redis.Redis.from_url(redis_url)
        runs: dict[str, Any] = {}
        try:
            for setting, fsync in (("fast", "everysec"), ("durable", "always")):
                client.config_set("appendfsync", fsync)
                log(
                    f"{setting}: appendfsync {fsync}; {count:,} fresh shoppers, a fresh sale of "
                    f"{cfg.units} units, {count * cfg.attempts:,} seckillBuy on new connections"
                )
                result, sale, _ = self.fresh_storm(f"{setting} fsync", port, groups, redis_url)
                result["appendfsync"] = fsync
                lat = result["latency_ms"]
                log(
                    f"    {result['requests_per_s']:,.0f} req/s, p50 {lat['p50']:.1f} ms, p99 "
                    f"{lat['p99']:.1f} ms, {result['outcomes']}"
                )
                result["drain"] = self.drain_and_audit(redis_url, sale["event_id"], result)
                runs[setting] = result
        finally:
            client.config_set("appendfsync", configured)
            client.close()
        fast, durable = runs["fast"], runs["durable"]
        summary = {
            "runs": runs,
            "requests_per_s_durable_vs_fast": ratio(
                durable["requests_per_s"], fast["requests_per_s"]
            ),
            "p99_durable_vs_fast": ratio(durable["latency_ms"]["p99"], fast["latency_ms"]["p99"]),
        }
        log("    fsync cost     fast (everysec)      durable (always)")
        for label, key in (("req/s", None), ("p50 ms", "p50"), ("p99 ms", "p99")):
            a, b = (
                (r["requests_per_s"] if key is None else r["latency_ms"][key])
                for r in (fast, durable)
            )
            log(f"    {label:<14} {a:>15,.1f}      {b:>15,.1f}")
        return summary

    # --- tracing -------------------------------------------------------------------------------
    def start_stack(
        self, env: dict[str, str], redis_url: str, label: str = ""
    ) -> tuple[int, subprocess.Popen[bytes], subprocess.Popen[bytes]]:
        """`flashmart serve --workers N` on a free port and one `flashmart worker`, both with
        `env`, ready: (port, api, worker). `label` names a restarted stack's logs."""
        cfg, procs = self.cfg, self.procs
        forget_worker(redis_url)  # a health key left behind would pass for the new worker's
        port = free_port()
        api_name, worker_name = f"api{label}", f"worker{label}"
        log(f"starting `flashmart serve --workers {cfg.workers}` on :{port} and `flashmart worker`")
        serve = ["serve", "--host", "127.0.0.1", "--port", str(port), "--workers", str(cfg.workers)]
        worker_env = env
        if cfg.scrape_targets is not None:  # bench/dashboard.py: the worker's /metrics too
            worker_env = {**env, "WORKER_METRICS_PORT": str(free_port())}
        api = procs.start(api_name, [*FLASHMART, *serve], env, self.tmp)
        worker = procs.start(worker_name, [*FLASHMART, "worker"], worker_env, self.tmp)
        wait_http_ok(port, "/readyz", api, api_name, procs)
        wait_worker(redis_url, worker, procs, worker_name)
        if cfg.scrape_targets is not None:
            write_scrape_targets(cfg.scrape_targets, port, int(worker_env["WORKER_METRICS_PORT"]))
        return port, api, worker

    def tracing(self, server: Any) -> dict[str, Any]:
        """The cold crowd's storm per tracing setting, each on a fresh sale by fresh shoppers,
        against the API and the worker started anew on the same Redis and database: tracing
        off (no OTEL_* variables), on with the compose file's sampler (10% of new traces), on
        with every trace sampled; in the order TRACING_ROUNDS (off and 10% twice), each
        setting's buys/s the mean of its storms. Spans go over OTLP/HTTP to
        bench/otlp_sink.py, a process of its own that counts what arrives."""
        from report import TARGET_TRACING_RATIO, ratio

        procs = self.procs
        sink_port = free_port()
        sink_cmd = [sys.executable, str(HERE / "otlp_sink.py"), str(sink_port)]
        sink = procs.start("otlp-sink", sink_cmd, self.env, self.tmp)
        wait_http_ok(sink_port, "/stats", sink, "otlp-sink", procs)
        endpoint = f"http://127.0.0.1:{sink_port}"
        log(f"tracing: an OTLP/HTTP sink at {endpoint}/v1/traces (bench/otlp_sink.py)")
        runs: dict[str, Any] = {}  # the first storm of each setting
        storms: dict[str, list[dict[str, Any]]] = {s: [] for s, _, _ in TRACING_SETTINGS}
        settings = {s: (label, sampled) for s, label, sampled in TRACING_SETTINGS}
        try:
            for setting in TRACING_ROUNDS:
                label, sampled = settings[setting]
                storms[setting].append(self.tracing_storm(server, sink, endpoint, label, sampled))
                runs.setdefault(setting, storms[setting][0])
        finally:
            procs.stop(sink)
        rates = {s: statistics.fmean(r["requests_per_s"] for r in rs) for s, rs in storms.items()}
        p99s = {s: statistics.fmean(r["latency_ms"]["p99"] for r in rs) for s, rs in storms.items()}
        vs_off = {s: ratio(rates[s], rates["off"]) for s in storms}
        summary = {
            "sink": "bench/otlp_sink.py: OTLP/HTTP POST /v1/traces, 200 with an empty body",
            "sampler": "parentbased_traceidratio",
            "order": list(TRACING_ROUNDS),
            "runs": runs,
            "storms": storms,
            "requests_per_s": rates,
            "p99_ms": p99s,
            "requests_per_s_vs_off": vs_off,
            "p99_vs_off": {s: ratio(p99s[s], p99s["off"]) for s in storms},
            "target_ratio_min": TARGET_TRACING_RATIO,
            # a storm with failed requests measured something else than the buys
            "target_met": (vs_off["sampled"] or 0) >= TARGET_TRACING_RATIO
            and not any(r["errors"] for rs in storms.values() for r in rs),
        }
        log(
            f"    {'tracing':<14} {'buys/s, each storm':>20} {'mean':>7} {'p99 ms':>8} "
            f"{'÷ off':>6}  exported over OTLP/HTTP (requests, KiB, spans), whole run "
            "[during the storm]"
        )
        for setting, label, _ in TRACING_SETTINGS:
            each = " / ".join(f"{r['requests_per_s']:,.0f}" for r in storms[setting])
            log(
                f"    {label:<14} {each:>20} {rates[setting]:>7,.0f} {p99s[setting]:>8.1f} "
                f"{vs_off[setting] or 0:>6.3f}  {exported_text(runs[setting]['tracing'])}"
            )
        log(f"    order: {', '.join(settings[s][0] for s in TRACING_ROUNDS)}")
        for setting, label, _ in TRACING_SETTINGS:
            log(f"    {label}: {runs[setting]['tracing']['command']}")
        for setting, label, _ in TRACING_SETTINGS:
            failed = sum(r["errors"] for r in storms[setting])
            if failed:
                log(f"    {label}: {failed:,} requests failed")
        log(
            f"    target: {TRACING_SETTINGS[1][1]} >= {TARGET_TRACING_RATIO:.0%} of off's buys/s "
            f"(means): {(vs_off['sampled'] or 0):.1%}, "
            f"{'MET' if summary['target_met'] else 'NOT MET'}"
        )
        return summary

    def tracing_storm(
        self, server: Any, sink: Any, endpoint: str, label: str, sampled: str | None
    ) -> dict[str, Any]:
        """One storm of the tracing scenario: the API and the worker started anew with the
        setting's OTEL_* variables, the cold crowd's storm on a fresh sale, drain and audit."""
        cfg, procs = self.cfg, self.procs
        count = len(self.users)
        sink_port = int(endpoint.rsplit(":", 1)[1])
        setting = next(s for s, lbl, _ in TRACING_SETTINGS if lbl == label)
        repeat = sum(1 for name in self.samples if name.startswith(f"tracing {label}"))
        name = f"tracing {label}" + (f" #{repeat + 1}" if repeat else "")
        otel = (
            {}
            if sampled is None
            else {
                "OTEL_EXPORTER_OTLP_ENDPOINT": endpoint,
                "OTEL_TRACES_SAMPLER": "parentbased_traceidratio",
                "OTEL_TRACES_SAMPLER_ARG": sampled,
            }
        )
        command = " ".join(
            [*(f"{k}={v}" for k, v in otel.items()), f"flashmart serve --workers "
             f"{cfg.workers}", "+", *(f"{k}={v}" for k, v in otel.items()),
             "flashmart worker"]
        )  # fmt: skip
        log(
            f"{name}: {command}; {count:,} fresh shoppers, a fresh sale of "
            f"{cfg.units} units, {count * cfg.attempts:,} seckillBuy on new connections"
        )
        at_start = sink_stats(sink_port)
        port, api, worker = self.start_stack(
            {**self.env, **otel}, server.url, f"-tracing-{setting}-{repeat + 1}"
        )
        window: dict[str, dict[str, Any]] = {}
        try:
            if has_traceparent(port) != bool(otel):
                raise BenchError(
                    f"tracing {label}: the API's responses "
                    f"{'lack' if otel else 'carry'} a traceparent header"
                )
            groups = {"api": api.pid, "worker": worker.pid, "redis": server.pid}

            def before_go(_index: int) -> None:
                window["before"] = sink_stats(sink_port)

            result, sale, _ = self.fresh_storm(
                name,
                port,
                groups,
                server.url,
                clients={"otlp-sink": sink.pid},
                before_go=before_go,
            )
            window["after"] = sink_stats(sink_port)
            lat = result["latency_ms"]
            log(
                f"    {result['requests_per_s']:,.0f} req/s, p50 {lat['p50']:.1f} ms, p99 "
                f"{lat['p99']:.1f} ms, {result['outcomes']}"
            )
            result["drain"] = self.drain_and_audit(server.url, sale["event_id"], result)
            if otel:  # the batch processors' timers export what their queues hold
                storm_end = result["started_epoch"] + result["duration_s"]
                time.sleep(max(0.0, storm_end + BSP_SCHEDULE_DELAY_S + 1 - time.time()))
        finally:
            procs.stop(api)
            procs.stop(worker)
        result["tracing"] = {
            "setting": setting,
            "label": label,
            "env": otel,
            "command": command,
            "exported_during_storm": sink_delta(window["before"], window["after"]),
            "exported": sink_delta(at_start, sink_stats(sink_port)),
        }
        return result

    def live_crowd(
        self,
        port: int,
        groups: dict[str, int],
        redis_url: str,
        warm: dict[str, Any],
        cold: dict[str, Any] | None,
    ) -> dict[str, Any]:
        """Subscribers of a fresh sale on the storefront's own subscription from before it
        starts, then the cold storm on that sale; how long each waited for SOLD_OUT."""
        from report import crowd_figures, page_figures, ratio
        from stack import fresh_sale, fresh_shoppers

        cfg, procs = self.cfg, self.procs
        count = len(self.users)
        shares = [
            cfg.subscribers // cfg.crowd_processes + (i < cfg.subscribers % cfg.crowd_processes)
            for i in range(cfg.crowd_processes)
        ]
        shares = [share for share in shares if share]
        log(
            f"live crowd: {cfg.subscribers:,} graphql-ws subscribers ({len(shares)} client "
            f"processes), then {count * cfg.attempts:,} seckillBuy by {count:,} fresh shoppers"
        )
        calibration = calibrate()  # the machine's speed now (see cold_crowd)
        shoppers = asyncio.run(fresh_shoppers(count, redis_url))
        control = self.tmp / "crowd-control"
        control.mkdir()
        connect_s = subscribe_s = 30 + cfg.subscribers / 100
        max_seconds = connect_s + subscribe_s + 90 + cfg.sold_out_timeout + 60
        crowd: list[tuple[str, subprocess.Popen[bytes], Path]] = []
        for index, share in enumerate(shares):
            spec = {
                "name": str(index),
                "host": "127.0.0.1",
                "port": port,
                "subscribers": share,
                "open_at_once": 100,
                "connect_seconds": connect_s,
                "subscribe_seconds": subscribe_s,
                "max_seconds": max_seconds,
                "document": {
                    "documentId": documents.document_id(SUBSCRIPTION_OPERATION),
                    "query": "",
                },
                "operation_name": SUBSCRIPTION_OPERATION,
                "control_dir": str(control),
            }
            crowd.append(self.client_process("crowd", index, spec))
        visitors: tuple[str, subprocess.Popen[bytes], Path] | None = None
        if self.pages:
            spec_path, out_path = self.tmp / "pages-spec.json", self.tmp / "pages-result.json"
            spec_path.write_text(
                json.dumps({
                    "host": "127.0.0.1", "port": port, "control_dir": str(control),
                    "per_second": cfg.page_loads_per_second, "max_seconds": max_seconds,
                })
            )  # fmt: skip
            cmd = [sys.executable, str(HERE / "pages.py"), str(spec_path), str(out_path)]
            visitors = ("pages", procs.start("pages", cmd, self.env, self.tmp), out_path)
        hold: dict[str, Any] = {}
        try:
            started = time.monotonic()
            connected = self._await_crowd(control, "connected", crowd, started + connect_s + 30)
            connect_took = time.monotonic() - started
            held = sum(c["connected"] for c in connected)
            log(f"    {held:,} of {cfg.subscribers:,} connected in {connect_took:.1f} s")
            # The sale starts once the subscribers can be in. Subscribing took 3x as long as
            # connecting in trial runs (each subscription reads the sale, then polls it).
            lead = cfg.crowd_lead if cfg.crowd_lead is not None else 3 + 4 * connect_took
            starts_at = datetime.now(UTC) + timedelta(seconds=lead)
            sale = asyncio.run(fresh_sale(cfg.units, redis_url, starts_at))
            write_control(
                control / "subscribe",
                {
                    "gid": sale["event_gid"],
                    "event_id": sale["event_id"],
                    "starts_epoch": sale["starts_epoch"],
                },
            )
            log(f"    a fresh sale of {cfg.units} units starting in {lead:.1f} s; subscribing")

            def before_go(_index: int) -> None:
                start = sale["starts_epoch"]
                paths = [control / f"subscribed-{i}" for i in range(len(crowd))]
                while time.time() < start and not all(p.exists() for p in paths):
                    self._check_crowd(crowd)
                    time.sleep(0.02)
                ready = [json.loads(p.read_text()) for p in paths if p.exists()]
                hold["subscribed_before_start"] = (
                    sum(r["subscribed"] for r in ready) if len(ready) == len(paths) else None
                )
                hold["subscribe_seconds"] = max((r["seconds"] or 0 for r in ready), default=None)
                hold["waited_s"] = round(max(0.0, start - time.time()), 2)
                before = cpu_snapshot()
                time.sleep(max(0.0, start + 0.05 - time.time()))
                if hold["waited_s"] >= 0.5:  # what the waiting crowd costs the servers
                    hold["cpu"] = cpu_report(
                        before, cpu_snapshot(), {**groups, **clients}, 0.0, 0,
                        clients=tuple(clients),
                    )  # fmt: skip

            clients = {name: proc.pid for name, proc, _ in crowd}
            if visitors is not None:
                clients["pages"] = visitors[1].pid
            result = self.drive(
                "live crowd",
                port,
                None,
                self.crowd_storm(sale, shoppers),
                groups,
                clients=clients,
                before_go=before_go,
            )
            write_control(
                control / "finish", {"deadline_epoch": time.time() + cfg.sold_out_timeout}
            )
            lat = result["latency_ms"]
            log(
                f"    {result['requests_per_s']:,.0f} req/s, p50 {lat['p50']:.1f} ms, p99 "
                f"{lat['p99']:.1f} ms, {result['outcomes']}"
            )
            if hold["subscribed_before_start"] != held:
                log(
                    f"    note: {hold['subscribed_before_start'] or 'not all'} of {held:,} had "
                    "their first message when the sale started (a longer --crowd-lead waits)"
                )
            result["drain"] = self.drain_and_audit(redis_url, sale["event_id"], result)
            outs = []
            for name, proc, out_path in crowd:
                try:
                    proc.wait(timeout=cfg.sold_out_timeout + 30)
                except subprocess.TimeoutExpired as exc:
                    raise BenchError("the live crowd did not finish in time") from exc
                if proc.returncode != 0 or not out_path.exists():
                    raise BenchError(f"the live crowd failed:\n{procs.tail(name)}")
                outs.append(json.loads(out_path.read_text()))
            if visitors is not None:
                name, proc, out_path = visitors
                try:
                    proc.wait(timeout=60)
                except subprocess.TimeoutExpired as exc:
                    raise BenchError("the page loads did not finish in time") from exc
                if proc.returncode != 0 or not out_path.exists():
                    raise BenchError(f"the page loads failed:\n{procs.tail(name)}")
                page_out = json.loads(out_path.read_text())
        finally:
            for _, proc, _ in [*crowd, *([visitors] if visitors else [])]:
                procs.stop(proc)
        result["stamp_keys_deleted"] = shoppers["stamp_keys_deleted"]
        result["sale_lead_s"] = round(lead, 2)
        result["subscribers"], delays = crowd_figures(
            outs, cfg.subscribers, result["drain"].get("last_reservation_epoch"), hold
        )
        self.samples["live crowd"]["sold_out_delays"] = delays
        if self.pages:
            storm = (result["started_epoch"], result["started_epoch"] + result["duration_s"])
            pages = page_figures(page_out, storm, cfg.page_loads_per_second)
            result["page_loads"] = pages
            log(
                f"    sale page: {pages['completed']:,} first visits ({pages['during_storm']:,} "
                f"during the storm, p99 {pages['visit_ms_during_storm']['p99']} ms), "
                f"{pages['requests_per_visit']} requests and "
                f"{pages['bytes_per_visit'] / 1024:,.0f} KiB each"
                + (f"; errors {pages['errors']}" if pages["errors"] else "")
            )
        result["subscribers"]["sold_out_timeout_s"] = cfg.sold_out_timeout
        result["calibration_ms_before"] = calibration
        result["requests_per_s_vs_cold"] = ratio(
            result["requests_per_s"], (cold or {}).get("requests_per_s")
        )
        result["requests_per_s_vs_warm"] = ratio(result["requests_per_s"], warm["requests_per_s"])
        sub = result["subscribers"]
        log(
            f"    subscribers: {sub['held_at_end']:,} held, {sub['dropped']:,} dropped; "
            f"SOLD_OUT seen by {sub['saw_sold_out']:,}, "
            f"p50/p99/max {sub['sold_out_delay_s']['p50']} / {sub['sold_out_delay_s']['p99']} / "
            f"{sub['sold_out_delay_s']['max']} s after the last unit"
        )
        return result

    # --- the waiting room --------------------------------------------------------------------
    def room(self, port: int, groups: dict[str, int], redis_url: str) -> dict[str, Any]:
        """A WAITING_ROOM sale: fresh shoppers join it over the join window, each following
        its entry over graphql-ws (bench/room.py); the draw at the start, then admission, and
        each admitted shopper buys at once. How soon every entrant had its position, the
        admission rate, the buys, the audit and `flashmart seckill verify-draw`."""
        from report import room_figures
        from stack import database_backends, fresh_sale, fresh_shoppers

        cfg, procs = self.cfg, self.procs
        count = cfg.room_entrants
        shares = [list(range(i, count, cfg.crowd_processes)) for i in range(cfg.crowd_processes)]
        shares = [share for share in shares if share]
        log(
            f"waiting room: {count:,} fresh shoppers join a WAITING_ROOM sale of {cfg.units} "
            f"units over {cfg.room_join_seconds:.0f} s ({len(shares)} client processes), "
            "draw at the start, the admitted buy"
        )
        shoppers = asyncio.run(fresh_shoppers(count, redis_url))
        uids: list[int] = shoppers["user_ids"]
        order = list(range(count))  # who joins when: a fixed shuffle of the new shoppers
        random.Random(3).shuffle(order)
        control = self.tmp / "room-control"
        control.mkdir()
        max_seconds = 120 + count / 100 + cfg.room_join_seconds + cfg.room_seconds
        clients: list[tuple[str, subprocess.Popen[bytes], Path]] = []
        for index, share in enumerate(shares):
            spec = {
                "name": str(index),
                "host": "127.0.0.1",
                "port": port,
                "secret": self.env["JWT_SECRET"],
                "connections": max(1, cfg.connections // len(shares)),
                "entrants": [[uids[order[i]], (i + 0.5) / count] for i in share],
                "join": documents.request(ROOM_JOIN_OPERATION, {}),
                "buy": documents.request(BUY_OPERATION, {}),
                "subscription": documents.request(ROOM_SUBSCRIPTION_OPERATION, {}),
                "subscribe_seconds": 30,
                "max_seconds": max_seconds,
                "control_dir": str(control),
            }
            clients.append(self.client_process("room", index, spec))
        client_groups = {name: proc.pid for name, proc, _ in clients}
        watch = RoomWatch(redis_url, os.environ["REDIS_PREFIX"])
        try:
            self._await_crowd(
                control, "ready", clients, time.monotonic() + 60 + count / 500, "the entrants"
            )
            lead = 1.0  # creating the sale, then the joins begin
            starts_at = datetime.now(UTC) + timedelta(seconds=lead + cfg.room_join_seconds + 2)
            sale = asyncio.run(fresh_sale(cfg.units, redis_url, starts_at, waiting_room=True))
            watch.start(sale["event_id"])
            joins_from = time.time() + 0.2
            joins_until = sale["starts_epoch"] - 2  # the last ones subscribe before the start
            before = cpu_snapshot()
            write_control(
                control / "go",
                {"gid": sale["event_gid"], "joins_from": joins_from, "joins_until": joins_until},
            )
            # Joins that fall behind go on after the start (late joiners queue behind the
            # draw) until the entrants are told to finish.
            draw_epoch = watch.wait_drawn(sale["starts_epoch"] + 15)
            if draw_epoch is None:
                raise BenchError("the waiting room was not drawn within 15 s of the start")
            self._check_crowd(clients, "the entrants")
            log(
                f"    drawn: {watch.in_draw:,} of {count:,} joined before the start; "
                "admitting and buying"
            )
            # at least ROOM_HOLD_S, for every entrant's place to reach it
            watch.wait_settled(draw_epoch + ROOM_HOLD_S, draw_epoch + cfg.room_seconds)
            after = cpu_snapshot()
            write_control(control / "finish", {})
            outs = []
            for name, proc, out_path in clients:
                try:
                    proc.wait(timeout=60)
                except subprocess.TimeoutExpired as exc:
                    raise BenchError("the waiting room's entrants did not finish in time") from exc
                if proc.returncode != 0 or not out_path.exists():
                    raise BenchError(f"the waiting room's entrants failed:\n{procs.tail(name)}")
                outs.append(json.loads(out_path.read_text()))
        finally:
            watch.stop()
            for _, proc, _ in clients:
                procs.stop(proc)
        result = room_figures(outs, count, draw_epoch, watch.cursor, cfg.units)
        self.samples["room buys"] = {
            "latencies": result.pop("_buy_latencies"),
            "time_to_position": result.pop("_time_to_position"),
        }
        backends = database_backends(self.env["DATABASE_URL"])
        result["cpu"] = cpu_report(
            before, after, {**groups, **client_groups}, 0.0, count, {"postgres": backends},
            clients=tuple(client_groups),
        )  # fmt: skip
        result["event_id"] = sale["event_id"]
        result["join_window_s"] = round(joins_until - joins_from, 2)
        result["draw_after_start_s"] = round(draw_epoch - sale["starts_epoch"], 3)
        result["room_counters"] = {"joined": watch.joined, "in_draw": watch.in_draw}
        buys = result["buys"]
        load = {
            "started_epoch": buys["first_sent_epoch"] or draw_epoch,
            "duration_s": buys["duration_s"],
        }
        result["drain"] = self.drain_and_audit(redis_url, sale["event_id"], load)
        verify = subprocess.run(
            [*FLASHMART, "seckill", "verify-draw", str(sale["event_id"])],
            env=self.env, cwd=self.tmp, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        result["verify_draw"] = {
            "exit_code": verify.returncode,
            "output": (verify.stdout + verify.stderr).strip()[-500:],
        }
        log(f"    flashmart seckill verify-draw {sale['event_id']}: exit {verify.returncode}")
        audit = result["drain"]["audit"]
        result["correct"] = (
            audit["passed"]
            and audit["oversold"] == 0
            and audit["undersold"] == 0
            and verify.returncode == 0
            and buys["ok"] == cfg.units
        )
        pos, ttp = result["positions"], result["positions"]["time_to_position_s"]
        log(
            f"    drawn {result['draw_after_start_s']:.2f} s after the start; "
            f"{pos['with_position']:,} of {pos['entrants']:,} had their position, p50/p99/max "
            f"{ttp['p50']} / {ttp['p99']} / {ttp['max']} s after the draw"
        )
        log(
            f"    admitted {result['admission']['admitted']:,} "
            f"({result['admission']['per_s']:,.0f}/s); buys {buys['requests']:,} at "
            f"{buys['requests_per_s']:,.0f}/s, p50 {buys['latency_ms']['p50']} ms, "
            f"p99 {buys['latency_ms']['p99']} ms, {buys['outcomes']}"
        )
        return result

    def client_process(
        self, script: str, index: int, spec: dict[str, Any]
    ) -> tuple[str, subprocess.Popen[bytes], Path]:
        """`bench/<script>.py SPEC OUT` started with `spec`: (name, process, OUT)."""
        name = f"{script}-{index}"
        spec_path, out_path = self.tmp / f"{name}-spec.json", self.tmp / f"{name}-result.json"
        spec_path.write_text(json.dumps(spec))
        cmd = [sys.executable, str(HERE / f"{script}.py"), str(spec_path), str(out_path)]
        return name, self.procs.start(name, cmd, self.env, self.tmp), out_path

    def _check_crowd(
        self, crowd: list[tuple[str, subprocess.Popen[bytes], Path]], what: str = "the live crowd"
    ) -> None:
        for name, proc, _ in crowd:
            if proc.poll() is not None:
                raise BenchError(f"{what} exited early:\n{self.procs.tail(name)}")

    def _await_crowd(
        self,
        control: Path,
        stage: str,
        crowd: list[tuple[str, subprocess.Popen[bytes], Path]],
        deadline: float,
        what: str = "the live crowd",
    ) -> list[dict[str, Any]]:
        paths = [control / f"{stage}-{i}" for i in range(len(crowd))]
        while not all(p.exists() for p in paths):
            self._check_crowd(crowd, what)
            if time.monotonic() > deadline:
                raise BenchError(f"{what} did not report `{stage}` in time")
            time.sleep(0.05)
        return [json.loads(p.read_text()) for p in paths]

    def compare(self, results: dict[str, Any], data: dict[str, Any], server: Any) -> None:
        from ceiling import redis_ceiling, warm_raw_event
        from stack import naive_check

        cfg, tmp, procs = self.cfg, self.tmp, self.procs
        log(f"(a) Redis ceiling: the reserve script, {cfg.ceiling_calls:,} calls pipelined by 100")
        red = asyncio.run(redis_ceiling(server.url, cfg.ceiling_calls, 100, 5000))
        results["redis_ceiling"] = red
        log(
            f"    {red['pipelined_per_s']:,.0f} reservations/s pipelined, "
            f"{red['single_client_per_s']:,.0f}/s one at a time, "
            f"{red['server_usec_per_call']} us per call inside Redis"
        )

        log("(b) transport ceiling: bare Starlette + the same EVALSHA (bench/transport_app.py)")
        asyncio.run(warm_raw_event(server.url, "fmtr:", 1, cfg.units, -1))
        asyncio.run(warm_raw_event(server.url, "fmtr:", 2, 1, 7200))  # not started: warm-up
        env = {**self.env, "REDIS_PREFIX": "fmtr:"}
        port = free_port()
        app = procs.start("transport", serve_app("transport_app", port, cfg.workers), env, tmp)
        wait_http_ok(port, "/readyz", app, "transport", procs)
        results["transport"] = self.drive(
            "transport",
            port,
            self.phase("warmup", "/buy", {"eventId": 2}, 1, 1, 30),
            self.phase("main", "/buy", {"eventId": 1}, cfg.attempts, 2, 60),
            {"app": app.pid, "redis": server.pid},
        )
        procs.stop(app)
        tr = results["transport"]
        log(
            f"    {tr['requests_per_s']:,.0f} req/s, p50 {tr['latency_ms']['p50']:.1f} ms, "
            f"p99 {tr['latency_ms']['p99']:.1f} ms, {tr['outcomes']}"
        )

        log("(c) naive baseline: conditional UPDATE + INSERT per request via GraphQL")
        metrics_dir = tmp / "prometheus-naive"  # multi-process metrics, as `flashmart serve`
        metrics_dir.mkdir()
        env = {**self.env, "REDIS_PREFIX": "fmnaive:", "PROMETHEUS_MULTIPROC_DIR": str(metrics_dir)}
        port = free_port()
        app = procs.start("naive", serve_app("naive_app", port, cfg.workers), env, tmp)
        wait_http_ok(port, "/readyz", app, "naive", procs)

        def naive(product_id: int) -> dict[str, Any]:
            variables = {"productId": str(product_id)}
            return {"query": NAIVE_QUERY, "variables": variables, "operationName": "Buy"}

        results["naive"] = self.drive(
            "naive",
            port,
            self.phase("warmup", "/graphql", naive(data["naive_empty_product"]), 1, 1, 30),
            self.phase(
                "main", "/graphql", naive(data["naive_product"]), cfg.attempts, 2, cfg.naive_seconds
            ),
            {"app": app.pid, "redis": server.pid},
        )
        procs.stop(app)
        nv = results["naive"]
        nv["check"] = asyncio.run(naive_check(data["naive_product"], cfg.units))
        log(
            f"    {nv['requests_per_s']:,.0f} req/s, p50 {nv['latency_ms']['p50']:.1f} ms, "
            f"p99 {nv['latency_ms']['p99']:.1f} ms, {nv['outcomes']}"
            f"{' (time-boxed)' if nv['timed_out'] else ''}"
        )

    def write(self, results: dict[str, Any]) -> None:
        from chart import draw

        results_dir: Path = self.cfg.results_dir
        results_dir.mkdir(parents=True, exist_ok=True)
        json_path, png_path = results_dir / f"{self.stamp}.json", results_dir / f"{self.stamp}.png"
        results["files"] = {"json": _rel(json_path), "png": _rel(png_path)}
        draw(results, self.samples, png_path)
        json_path.write_text(json.dumps(results, indent=1) + "\n")
        shutil.copyfile(json_path, results_dir / "latest.json")
        shutil.copyfile(png_path, results_dir / "latest.png")


def write_control(path: Path, data: Any) -> None:
    """A control file for a client process, whole or not at all (written, then renamed)."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data))
    tmp.rename(path)


class RoomWatch:
    """Polls a waiting room in Redis every 10 ms from a thread: when it was first seen drawn,
    each move of its admission cursor (epoch, positions admitted) and the units left."""

    def __init__(self, redis_url: str, prefix: str) -> None:
        import redis as redis_sync

        from flashmart.core.keys import Keys

        self.client = redis_sync.Redis.from_url(redis_url)
        self.keys = Keys(prefix)
        self.drawn_epoch: float | None = None
        self.cursor: list[tuple[float, int]] = []
        self.remaining: int | None = None
        self.joined = self.in_draw = 0  # arrivals, and those of them before the draw
        self.halt = threading.Event()
        self.thread: threading.Thread | None = None

    def start(self, event_id: int) -> None:
        self.thread = threading.Thread(target=self._poll, args=(event_id,), daemon=True)
        self.thread.start()

    def _poll(self, event_id: int) -> None:
        room, stock = self.keys.room(event_id), self.keys.event_stock(event_id)
        while not self.halt.wait(0.01):
            pipe = self.client.pipeline(transaction=False)
            pipe.hmget(room, ["drawn", "cursor", "seq", "window"])
            pipe.get(stock)
            (drawn, cursor, seq, window), left = pipe.execute()
            now = time.time()
            self.joined, self.in_draw = int(seq or 0), int(window or 0)
            if drawn == b"1" and self.drawn_epoch is None:
                self.drawn_epoch = now
            moved = int(cursor or 0)
            if moved and (not self.cursor or self.cursor[-1][1] != moved):
                self.cursor.append((now, moved))
            self.remaining = int(left) if left is not None else None

    def wait_drawn(self, give_up_epoch: float) -> float | None:
        while self.drawn_epoch is None and time.time() < give_up_epoch:
            time.sleep(0.02)
        return self.drawn_epoch

    def wait_settled(self, not_before_epoch: float, give_up_epoch: float) -> None:
        """Until the units are gone and admissions have stopped for 2 s (not before
        `not_before_epoch`), or `give_up_epoch`."""
        while time.time() < give_up_epoch:
            last_move = self.cursor[-1][0] if self.cursor else 0.0
            now = time.time()
            if now >= not_before_epoch and self.remaining == 0 and now - last_move >= 2:
                return
            time.sleep(0.05)

    def stop(self) -> None:
        self.halt.set()
        if self.thread is not None:
            self.thread.join(timeout=5)
        self.client.close()


def buy_body(gid: str) -> dict[str, Any]:
    return documents.request(BUY_OPERATION, {"eventId": gid})


def serve_app(module: str, port: int, workers: int) -> list[str]:
    """One of bench/'s own apps, served with the uvicorn options of `flashmart serve`."""
    return [
        sys.executable, str(HERE / "serve_app.py"), f"{module}:create_app",
        "--port", str(port), "--workers", str(workers),
    ]  # fmt: skip


def write_scrape_targets(directory: Path, api_port: int, worker_port: int) -> None:
    """The stack's /metrics addresses as Prometheus file_sd files, one per job of
    deploy/prometheus/prometheus.yml (each written whole, then renamed: never read half)."""
    for job, port in (("flashmart-api", api_port), ("flashmart-worker", worker_port)):
        partial = directory / f"{job}.json.tmp"
        partial.write_text(json.dumps([{"targets": [f"127.0.0.1:{port}"]}]))
        partial.replace(directory / f"{job}.json")


# The SDK's default OTEL_BSP_SCHEDULE_DELAY: a batch processor exports a partial batch (fewer
# than 512 spans) when this long has passed; an API process stopped before may not send it.
BSP_SCHEDULE_DELAY_S = 5.0
# (key, label, OTEL_TRACES_SAMPLER_ARG or None for tracing off): the tracing scenario's
# settings, in the order run. 0.1 is the compose file's default.
TRACING_SETTINGS: tuple[tuple[str, str, str | None], ...] = (
    ("off", "off", None),
    ("sampled", "10% sampled", "0.1"),
    ("all", "100% sampled", "1.0"),
)
# The storms in the order run: each setting's mean position is the same (the middle), so a
# machine that speeds up or slows down steadily during the scenario favours none of them.
TRACING_ROUNDS = ("off", "sampled", "all", "sampled", "off")


def sink_stats(port: int) -> dict[str, Any]:
    """What bench/otlp_sink.py has received so far."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("GET", "/stats")
        response = conn.getresponse()
        body = response.read()
    except OSError as exc:
        raise BenchError(f"the OTLP sink did not answer: {exc}") from exc
    finally:
        conn.close()
    if response.status != 200:
        raise BenchError(f"the OTLP sink answered {response.status}")
    stats: dict[str, Any] = json.loads(body)
    return stats


def sink_delta(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """What the sink received between two `sink_stats` readings."""
    spans = (
        after["spans"] - before["spans"]
        if after["spans"] is not None and before["spans"] is not None
        else None
    )
    services = {
        name: n - before["spans_by_service"].get(name, 0)
        for name, n in after["spans_by_service"].items()
    }
    return {
        "requests": after["requests"] - before["requests"],
        "bytes": after["bytes"] - before["bytes"],
        "spans": spans,
        "spans_by_service": {k: v for k, v in services.items() if v},
        "undecodable": after["undecodable"] - before["undecodable"],
    }


def exported_text(tracing: dict[str, Any]) -> str:
    whole, storm = tracing["exported"], tracing["exported_during_storm"]
    if not tracing["env"]:
        return f"{whole['requests']} requests (tracing off)"

    def one(e: dict[str, Any]) -> str:
        return f"{e['requests']:,}, {e['bytes'] / 1024:,.0f}, {e['spans'] or 0:,}"

    return f"{one(whole)} [{one(storm)}]"


def has_traceparent(port: int) -> bool:
    """Whether the API's answer to GET /readyz names its span (tracing on in that process)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        conn.request("GET", "/readyz")
        response = conn.getresponse()
        response.read()
        return response.getheader("traceparent") is not None
    finally:
        conn.close()


def forget_worker(redis_url: str) -> None:
    import redis as redis_sync

    from flashmart.core import system
    from flashmart.core.keys import Keys

    client = redis_sync.Redis.from_url(redis_url)
    try:
        client.delete(system.health_check_key(Keys(os.environ["REDIS_PREFIX"])))
    finally:
        client.close()


def wait_worker(
    redis_url: str,
    worker: subprocess.Popen[bytes],
    procs: Processes,
    name: str = "worker",
    timeout: float = 60,
) -> None:
    import redis as redis_sync

    from flashmart.core import system
    from flashmart.core.keys import Keys

    key = system.health_check_key(Keys(os.environ["REDIS_PREFIX"]))
    client = redis_sync.Redis.from_url(redis_url)
    try:
        deadline = time.monotonic() + timeout
        while not client.exists(key):
            if worker.poll() is not None:
                raise BenchError(f"{name} exited with {worker.returncode}:\n{procs.tail(name)}")
            if time.monotonic() > deadline:
                raise BenchError(f"{name} not alive after {timeout:.0f} s:\n{procs.tail(name)}")
            time.sleep(0.1)
    finally:
        client.close()


def _rel(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


if __name__ == "__main__":
    sys.exit(main())
