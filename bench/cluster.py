"""`make bench BENCH_ARGS=--cluster`: the buy storm on the Redis Cluster topology.

1. prepare  a local Redis Cluster of `--shards` nodes (AOF fsynced every second, so
            SECKILL_DURABILITY=fast), a plain queue Redis (QUEUE_REDIS_URL), a scratch database,
            `--shoppers / --sales` shoppers and `--sales` flash sales of `--units` units, warmed
2. stack    `flashmart serve --workers N` and one `flashmart worker`, as `make bench`
3. load     bench/loadgen.py: every shopper tries every sale `--attempts` times, shuffled, over
            `--connections` connections: as many buys as the single-sale storm, spread over the
            sales, which the hash tags spread over the shards
4. shards   each node's `INFO commandstats` (EVALSHA calls, µs per call) and `INFO cpu` before
            and after the storm: the per-shard script rate and Redis CPU per call
5. drain    every sale drained and audited (0 oversold, 0 undersold, orders = reservations)
6. report   bench/results/<timestamp>-cluster.json
"""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import documents
from procs import T0, BenchError, calibrate, log
from run import FLASHMART, Bench, _rel, buy_body


def shard_stats(ports: list[int]) -> dict[int, dict[str, float]]:
    """Per node: EVALSHA calls and their total µs (commandstats), CPU seconds (user + sys)."""
    import redis as redis_sync

    found: dict[int, dict[str, float]] = {}
    for port in ports:
        client = redis_sync.Redis(port=port)
        try:
            stats = client.info("commandstats")
            cpu = client.info("cpu")
        finally:
            client.close()
        evalsha = stats.get("cmdstat_evalsha", {})
        found[port] = {
            "evalsha_calls": float(evalsha.get("calls", 0)),
            "evalsha_usec": float(evalsha.get("usec", 0)),
            "cpu_seconds": float(cpu["used_cpu_user"]) + float(cpu["used_cpu_sys"]),
        }
    return found


class ClusterBench(Bench):
    def run(self) -> int:
        from stack import fresh_sale, fresh_shoppers, scratch_database

        from flashmart.core import embedded_redis
        from flashmart.core.embedded_cluster import cluster_url, redis_cluster
        from flashmart.core.settings import Durability

        cfg, tmp, procs = self.cfg, self.tmp, self.procs
        log(f"temp dir {tmp}")
        ports = self.cleanup.enter_context(
            redis_cluster(tmp / "cluster", cfg.shards, appendfsync="everysec")
        )
        queue = embedded_redis.start(tmp / "queue", reuse=False, durability=Durability.FAST)
        self.cleanup.callback(queue.stop)
        url = cluster_url(ports)
        log(f"Redis Cluster of {cfg.shards} nodes at {url}; queue Redis at {queue.url}")
        database_url, database = scratch_database(tmp, cfg.sqlite, self.cleanup)
        self.cleanup.callback(procs.stop_all)
        inherited = {
            k: v
            for k, v in os.environ.items()
            if k not in ("REDIS_URL", "QUEUE_REDIS_URL", "DATABASE_URL", "PROMETHEUS_MULTIPROC_DIR")
            and not k.startswith("OTEL_")
        }
        self.env = env = {
            **inherited,
            "ENV": "development",
            "DATA_DIR": str(tmp / "data"),
            "DATABASE_URL": database_url,
            "REDIS_URL": url,
            "QUEUE_REDIS_URL": queue.url,
            "REDIS_PREFIX": "fm:",
            "SECKILL_DURABILITY": Durability.FAST.value,
            "JWT_SECRET": secrets.token_urlsafe(48),
            "PAYMENT_WEBHOOK_SECRET": secrets.token_urlsafe(48),
            "LOG_LEVEL": "WARNING",
            "GRAPHIQL": "false",
            "FRONTEND_DIST": str(tmp / "no-frontend"),
            "WEB_CONCURRENCY": str(cfg.workers),
            "SECKILL_IP_RATE": "1000000000",
            "SECKILL_IP_BURST": "1000000000",
            "TRUSTED_DOCUMENTS_MANIFEST": str(documents.MANIFEST),
            "PYTHONUNBUFFERED": "1",
            "PYTHONPATH": os.pathsep.join(
                filter(None, [str(Path(__file__).parent), os.environ.get("PYTHONPATH")])
            ),
        }
        for key in ("DATABASE_URL", "REDIS_URL", "QUEUE_REDIS_URL", "REDIS_PREFIX", "JWT_SECRET",
                    "ENV", "PAYMENT_WEBHOOK_SECRET", "DATA_DIR", "SECKILL_DURABILITY",
                    "SECKILL_IP_RATE", "SECKILL_IP_BURST", "LOG_LEVEL"):  # fmt: skip
            os.environ[key] = env[key]  # this process's own Settings() (audit, warm-up)
        migrate = subprocess.run(
            [*FLASHMART, "migrate"], env=env, cwd=tmp, capture_output=True, text=True, timeout=120
        )
        if migrate.returncode != 0:
            raise BenchError(f"flashmart migrate failed:\n{migrate.stdout}\n{migrate.stderr}")
        count = max(1, cfg.shoppers // cfg.sales)
        log(f"creating {count:,} shoppers and {cfg.sales} flash sales of {cfg.units} units")
        self.users = asyncio.run(fresh_shoppers(count, url))["user_ids"]
        starts = datetime.now(UTC) - timedelta(seconds=1)
        sales = [asyncio.run(fresh_sale(cfg.units, url, starts)) for _ in range(cfg.sales)]
        shard_of = self.shards_of(url, [s["event_id"] for s in sales])

        port, api, worker = self.start_stack(env, queue.url)
        log("API ready, worker alive")
        requests = len(self.users) * cfg.attempts * cfg.sales
        log(
            f"load: {requests:,} seckillBuy on {cfg.sales} sales over {cfg.connections} connections"
        )
        phase = self.phase(
            "main", "/graphql", buy_body(sales[0]["event_gid"]), cfg.attempts, 2, 180
        )
        phase["bodies"] = [buy_body(s["event_gid"]) for s in sales]
        before = shard_stats(ports)
        (storm,) = self.loadgen("cluster", port, [phase], {"api": api.pid, "worker": worker.pid})
        after = shard_stats(ports)
        storm["started_epoch"] = storm.pop("_raw")["started_epoch"]
        log(
            f"    {storm['requests_per_s']:,.0f} req/s, p50 {storm['latency_ms']['p50']:.1f} ms, "
            f"p99 {storm['latency_ms']['p99']:.1f} ms, {storm['outcomes']}"
        )
        shards = {}
        for node in ports:
            calls = after[node]["evalsha_calls"] - before[node]["evalsha_calls"]
            usec = after[node]["evalsha_usec"] - before[node]["evalsha_usec"]
            cpu = after[node]["cpu_seconds"] - before[node]["cpu_seconds"]
            shards[str(node)] = {
                "sales": sum(1 for n in shard_of.values() if n == node),
                "evalsha_calls": int(calls),
                "evalsha_per_s": round(calls / storm["duration_s"], 1),
                "usec_per_call_commandstats": round(usec / calls, 2) if calls else None,
                "cpu_seconds": round(cpu, 3),
                "cpu_usec_per_call": round(cpu * 1e6 / calls, 2) if calls else None,
            }
            log(
                f"    shard :{node}: {shards[str(node)]['sales']} sales, "
                f"{shards[str(node)]['evalsha_per_s']:,.0f} EVALSHA/s, "
                f"{shards[str(node)]['cpu_usec_per_call']} µs CPU per call"
            )
        audits = {}
        for sale in sales:
            audits[str(sale["event_id"])] = self.drain_and_audit(url, sale["event_id"], storm)
        procs.stop(api)
        procs.stop(worker)
        correct = all(
            d["audit"]["passed"] and d["audit"]["oversold"] == 0 and d["audit"]["undersold"] == 0
            for d in audits.values()
        )
        results = {
            "timestamp": self.stamp,
            "started_at": self.started_at.isoformat(),
            "command": "make bench BENCH_ARGS=--cluster",
            "argv": sys.argv[1:],
            "machine": {
                "database": database,
                "calibration_ms": calibrate(),
                "cpus": os.cpu_count(),
            },
            "config": {
                "shards": cfg.shards,
                "sales": cfg.sales,
                "units_per_sale": cfg.units,
                "shoppers": len(self.users),
                "attempts_per_sale": cfg.attempts,
                "connections": cfg.connections,
                "workers": cfg.workers,
                "seckill_durability": "fast",
                "redis_appendfsync": "everysec",
            },
            "storm": storm,
            "shards": shards,
            "sales": {str(k): str(v) for k, v in shard_of.items()},
            "drain": audits,
            "correct": correct,
            "run_seconds": round(time.monotonic() - T0, 1),
        }
        cfg.results_dir.mkdir(parents=True, exist_ok=True)
        path = cfg.results_dir / f"{self.stamp}-cluster.json"
        path.write_text(json.dumps(results, indent=2) + "\n")
        log(f"results in {_rel(path)}; every sale audited: {'correct' if correct else 'FAILED'}")
        return 0 if correct else 1

    def shards_of(self, url: str, event_ids: list[int]) -> dict[int, int]:
        """The port of the node that owns each sale's slot."""

        async def find() -> dict[int, int]:
            from redis.asyncio.cluster import ClusterNode, RedisCluster

            from flashmart.core.keys import Keys
            from flashmart.core.redis_urls import cluster_nodes

            keys = Keys(os.environ["REDIS_PREFIX"])
            host, port = cluster_nodes(url)[0]
            client = RedisCluster(startup_nodes=[ClusterNode(host, port)])
            await client.initialize()
            try:
                return {
                    e: int(client.get_node_from_key(keys.event_stock(e)).port) for e in event_ids
                }
            finally:
                await client.aclose()

        return asyncio.run(find())
