"""Instructions per buy in the API process, tracing off and on, counted by callgrind.

    .venv/bin/python bench/trace_cpu.py                         # off, 10%, 100%; 1,000 buys each
    .venv/bin/python bench/trace_cpu.py --buys 2000 --settings off 0.1

What tracing costs the API (docs/observability.md, "Cost"), counted rather than timed, so the
machine's load does not move the figures. A private `redis-server` on a free port, a SQLite
database in a temp dir (`flashmart migrate`), bench/otlp_sink.py as the OTLP/HTTP receiver.
For each setting (tracing off: no OTEL_* variables; a ratio: `OTEL_EXPORTER_OTLP_ENDPOINT` at
the sink, `OTEL_TRACES_SAMPLER=parentbased_traceidratio`, `OTEL_TRACES_SAMPLER_ARG` the ratio)
one API process, `flashmart serve --workers 1`, runs under
`valgrind --tool=callgrind --instr-atstart=no`, and bench/loadgen.py sends it a warm-up pass
(200 seckillBuy by other shoppers on another sale) and then the counted pass: fresh shoppers
on a fresh sale (a tenth of the shoppers' count in units, perUserLimit 1), 5 attempts each, in
the same shuffled order for every setting, so every setting answers the same outcomes. The
sold-out memo is off (`SECKILL_SOLD_OUT_MEMO_MS=0`, `--sold-out-memo-ms`): every buy calls the
reserve script, so what the API does per buy does not depend on how fast valgrind runs it.
Instrumentation is switched on (`callgrind_control -i on`) just before the counted pass and
off once the batch processor's timer has exported what the pass recorded (the export thread's
work is counted: callgrind counts every thread), after the same wait for every setting. No
worker runs: the persist jobs wait in Redis, which costs the API nothing.

Prints the total instructions (Ir) and Ir per buy per setting; the callgrind files stay in
the temp dir printed first (`callgrind_annotate --inclusive=yes FILE`). Valgrind runs Python
about 50 times slower: 1,000 buys take a few minutes per setting.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import documents  # noqa: E402 - bench/ is not a package: its modules import each other
from procs import free_port  # noqa: E402

ATTEMPTS = 5
WARM_BUYS = 200
# What the batch processor's timer (OTEL_BSP_SCHEDULE_DELAY, 5 s by default) needs to export
# the last spans of the counted pass, with valgrind's slowness: the same wait for every setting.
EXPORT_WAIT_S = 12.0


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def wait_http(port: int, path: str, proc: subprocess.Popen[bytes], timeout: float) -> None:
    import http.client

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"process exited ({proc.returncode}) before {path} answered")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", path)
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"{path} on :{port} did not answer in {timeout:.0f} s")


def wait_file(path: Path, proc: subprocess.Popen[bytes], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        if proc.poll() is not None:
            raise SystemExit(f"the load generator exited ({proc.returncode})")
        if time.monotonic() > deadline:
            raise SystemExit(f"{path.name} did not appear in {timeout:.0f} s")
        time.sleep(0.05)


def total_ir(callgrind_file: Path) -> int:
    for line in callgrind_file.read_text(errors="replace").splitlines():
        found = re.match(r"totals:\s+(\d+)", line)
        if found:
            return int(found.group(1))
    raise SystemExit(f"no totals in {callgrind_file}")


def callgrind(pid: int, *command: str) -> None:
    subprocess.run(["callgrind_control", *command, str(pid)], check=True, capture_output=True)


def sink_stats(port: int) -> tuple[int, int]:
    """(export requests, spans) bench/otlp_sink.py has received so far."""
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", "/stats")
    stats = json.loads(conn.getresponse().read())
    return int(stats["requests"]), int(stats["spans"] or 0)


def run_loadgen(
    tmp: Path, name: str, port: int, connections: int, env: dict[str, str], phase: dict[str, Any]
) -> Path:
    """bench/loadgen.py sending `phase` on `connections` new connections; its result file."""
    control = tmp / f"control-{name}"
    control.mkdir()
    spec = {
        "host": "127.0.0.1",
        "port": port,
        "connections": connections,
        "secret": env["JWT_SECRET"],
        "phases": [phase],
        "control_dir": str(control),
    }
    spec_path, out_path = tmp / f"spec-{name}.json", tmp / f"result-{name}.json"
    spec_path.write_text(json.dumps(spec))
    loadgen = subprocess.Popen(
        [sys.executable, str(HERE / "loadgen.py"), str(spec_path), str(out_path)], env=env, cwd=tmp
    )
    try:
        wait_file(control / "ready-0", loadgen, 600)
        (control / "go-0").touch()
        wait_file(control / "done-0", loadgen, 3600)
        loadgen.wait(timeout=120)
    finally:
        if loadgen.poll() is None:
            loadgen.kill()
            loadgen.wait()
    errors = json.loads(out_path.read_text())["phases"][0]["error_samples"]
    if errors:
        raise SystemExit(f"{name}: errors, e.g. {errors[0]}")
    return out_path


def measure(
    setting: str, env: dict[str, str], tmp: Path, buys: int, connections: int, sink_port: int
) -> dict[str, Any]:
    from stack import fresh_sale, fresh_shoppers

    redis_url = env["REDIS_URL"]
    shoppers = asyncio.run(fresh_shoppers(buys // ATTEMPTS, redis_url))["user_ids"]
    warm_shoppers = asyncio.run(fresh_shoppers(WARM_BUYS, redis_url))["user_ids"]
    started = datetime.now(UTC) - timedelta(seconds=1)
    sale = asyncio.run(fresh_sale(max(1, buys // ATTEMPTS // 10), redis_url, started))
    warm_sale = asyncio.run(fresh_sale(max(1, WARM_BUYS // 10), redis_url, started))
    otel = (
        {}
        if setting == "off"
        else {
            "OTEL_EXPORTER_OTLP_ENDPOINT": f"http://127.0.0.1:{sink_port}",
            "OTEL_TRACES_SAMPLER": "parentbased_traceidratio",
            "OTEL_TRACES_SAMPLER_ARG": setting,
        }
    )
    port = free_port()
    out = tmp / f"callgrind.{setting}.out"
    api_cmd = [
        "valgrind", "--tool=callgrind", "--instr-atstart=no", f"--callgrind-out-file={out}",
        sys.executable, "-m", "flashmart", "serve", "--host", "127.0.0.1", "--port", str(port),
        "--workers", "1",
    ]  # fmt: skip
    log(f"{setting}: {' '.join(f'{k}={v}' for k, v in otel.items())} {' '.join(api_cmd)}")
    api_log = open(tmp / f"api.{setting}.log", "wb")  # noqa: SIM115 - closed below
    api = subprocess.Popen(api_cmd, env={**env, **otel}, cwd=tmp, stdout=api_log, stderr=api_log)
    try:
        wait_http(port, "/readyz", api, 600)
        body = {"path": "/graphql", "shuffle_seed": 2, "max_seconds": 3600}
        warm = {
            **body,
            "name": "warm",
            "body": documents.request("SeckillBuy", {"eventId": warm_sale["event_gid"]}),
            "users": warm_shoppers,
            "attempts": 1,
        }
        main = {
            **body,
            "name": "main",
            "body": documents.request("SeckillBuy", {"eventId": sale["event_gid"]}),
            "users": shoppers,
            "attempts": ATTEMPTS,
        }
        run_loadgen(tmp, f"{setting}-warm", port, connections, env, warm)
        time.sleep(EXPORT_WAIT_S)  # the warm pass's spans exported before the count starts
        # The idle process for as long as the export wait below (dump 1), then the pass on
        # new connections (uvicorn closes idle keep-alive connections after 5 s).
        callgrind(api.pid, "-i", "on")
        time.sleep(EXPORT_WAIT_S)
        callgrind(api.pid, "--dump=idle")
        before = sink_stats(sink_port)
        out_path = run_loadgen(tmp, setting, port, connections, env, main)
        time.sleep(EXPORT_WAIT_S)
        callgrind(api.pid, "-i", "off")
        callgrind(api.pid, "--dump=buys")
        after = sink_stats(sink_port)
        result = json.loads(out_path.read_text())["phases"][0]
    finally:
        api.send_signal(signal.SIGTERM)
        try:
            api.wait(timeout=300)
        except subprocess.TimeoutExpired:
            api.kill()
            api.wait()
        api_log.close()
    names = json.loads(out_path.read_text())["outcome_names"]
    outcomes = Counter(names[i] for i in result["outcomes"])
    requests = result["sent"]
    idle, ir = total_ir(Path(f"{out}.1")), total_ir(Path(f"{out}.2"))
    return {
        "setting": setting,
        "requests": requests,
        "outcomes": dict(sorted(outcomes.items())),
        "ir": ir,
        "ir_per_request": ir / requests,
        "ir_idle": idle,  # the same process idle for EXPORT_WAIT_S, just before
        "ir_per_request_less_idle": (ir - idle) / requests,
        "export_requests": after[0] - before[0],
        "spans_exported": after[1] - before[1],
        "callgrind_file": f"{out}.2",
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--buys", type=int, default=1000, help="counted seckillBuy per setting")
    parser.add_argument("--connections", type=int, default=20)
    parser.add_argument(
        "--sold-out-memo-ms", type=int, default=0, help="SECKILL_SOLD_OUT_MEMO_MS (default 0: off)"
    )
    parser.add_argument(
        "--settings", nargs="+", default=["off", "0.1", "1.0"], help="off, or sampler ratios"
    )
    cfg = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="trace-cpu-"))
    log(f"temp dir {tmp}")
    redis_port = free_port()
    subprocess.run(
        ["redis-server", "--port", str(redis_port), "--save", "", "--appendonly", "no",
         "--daemonize", "yes", "--dir", str(tmp), "--pidfile", str(tmp / "redis.pid")],
        check=True,
    )  # fmt: skip
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("OTEL_")},
        "ENV": "development",
        "DATA_DIR": str(tmp / "data"),
        "DATABASE_URL": f"sqlite://{tmp / 'flashmart.sqlite3'}",
        "REDIS_URL": f"redis://127.0.0.1:{redis_port}/0",
        "REDIS_PREFIX": "fm:",
        "JWT_SECRET": secrets.token_urlsafe(48),
        "PAYMENT_WEBHOOK_SECRET": secrets.token_urlsafe(48),
        "LOG_LEVEL": "WARNING",
        "GRAPHIQL": "false",
        "FRONTEND_DIST": str(tmp / "no-frontend"),
        "SECKILL_IP_RATE": "1000000000",
        "SECKILL_IP_BURST": "1000000000",
        # Every buy through the reserve script: the sold-out memo's 250 ms would make how many
        # buys reach Redis depend on valgrind's speed, different for every setting.
        "SECKILL_SOLD_OUT_MEMO_MS": str(cfg.sold_out_memo_ms),
        "TRUSTED_DOCUMENTS_MANIFEST": str(documents.MANIFEST),
        "PYTHONUNBUFFERED": "1",
    }
    os.environ.update({k: env[k] for k in ("DATABASE_URL", "REDIS_URL", "REDIS_PREFIX", "ENV")})
    os.environ.update({k: env[k] for k in ("JWT_SECRET", "PAYMENT_WEBHOOK_SECRET", "DATA_DIR")})
    sink: subprocess.Popen[bytes] | None = None
    try:
        subprocess.run([sys.executable, "-m", "flashmart", "migrate"], env=env, cwd=tmp, check=True)
        sink_port = free_port()
        sink = subprocess.Popen(
            [sys.executable, str(HERE / "otlp_sink.py"), str(sink_port)], env=env, cwd=tmp
        )
        wait_http(sink_port, "/stats", sink, 60)
        results = [measure(s, env, tmp, cfg.buys, cfg.connections, sink_port) for s in cfg.settings]
    finally:
        if sink is not None:
            sink.terminate()
            sink.wait()
        pid = (tmp / "redis.pid").read_text().strip() if (tmp / "redis.pid").exists() else None
        if pid:
            os.kill(int(pid), signal.SIGTERM)
    off = next((r["ir_per_request"] for r in results if r["setting"] == "off"), None)
    print(
        f"\n{'setting':<8} {'requests':>8} {'Ir':>16} {'Ir/request':>12} {'vs off':>7} "
        f"{'idle Ir':>14} {'(Ir-idle)/req':>13} exported"
    )
    for r in results:
        vs = f"{r['ir_per_request'] / off:7.3f}" if off else " " * 7
        print(
            f"{r['setting']:<8} {r['requests']:>8} {r['ir']:>16,} {r['ir_per_request']:>12,.0f} "
            f"{vs} {r['ir_idle']:>14,} {r['ir_per_request_less_idle']:>13,.0f} "
            f"{r['spans_exported']} spans in {r['export_requests']} requests  {r['outcomes']}"
        )
    (tmp / "results.json").write_text(json.dumps(results, indent=2))
    print(f"\n{tmp / 'results.json'}; callgrind files: {tmp}/callgrind.*.out.2")
    return 0


if __name__ == "__main__":
    sys.exit(main())
