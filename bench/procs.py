"""Child processes of the benchmark, readiness checks and CPU accounting."""

from __future__ import annotations

import contextlib
import http.client
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

CLK_TCK = os.sysconf("SC_CLK_TCK")
T0 = time.monotonic()


def log(message: str) -> None:
    print(f"[{time.monotonic() - T0:6.1f}s] {message}", flush=True)


class BenchError(RuntimeError):
    pass


class Processes:
    """Children in their own process groups (Ctrl-C reaches only us); we stop them, by group
    id, in reverse order of start. Their output goes to `<logs>/<name>.log`."""

    def __init__(self, logs: Path) -> None:
        self.logs = logs
        self.running: list[tuple[str, subprocess.Popen[bytes]]] = []

    def start(
        self, name: str, cmd: list[str], env: dict[str, str], cwd: Path
    ) -> subprocess.Popen[bytes]:
        with (self.logs / f"{name}.log").open("ab") as out:
            proc = subprocess.Popen(
                cmd, env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )
        self.running.append((name, proc))
        return proc

    def stop(self, proc: subprocess.Popen[bytes], timeout: float = 20) -> None:
        if proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)
        # Anything the leader started and left behind in its group goes too.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)
        self.running = [(n, p) for n, p in self.running if p is not proc]

    def stop_all(self) -> None:
        for _, proc in reversed(list(self.running)):
            self.stop(proc)

    def tail(self, name: str, chars: int = 3000) -> str:
        path = self.logs / f"{name}.log"
        return path.read_text(errors="replace")[-chars:] if path.exists() else ""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_http_ok(
    port: int,
    path: str,
    proc: subprocess.Popen[bytes],
    name: str,
    procs: Processes,
    timeout: float = 60,
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise BenchError(f"{name} exited with {proc.returncode}:\n{procs.tail(name)}")
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        try:
            conn.request("GET", path)
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        finally:
            conn.close()
        time.sleep(0.1)
    raise BenchError(f"{name} was not ready within {timeout:.0f} s:\n{procs.tail(name)}")


# --- CPU accounting: this machine may be shared, so say how much of it we had ----------------
def cpu_snapshot() -> dict[str, Any]:
    """Per-process CPU ticks (pid -> (process group, ticks)) and the machine's busy ticks."""
    procs: dict[int, tuple[int, int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        with contextlib.suppress(OSError, ValueError, IndexError):
            fields = (entry / "stat").read_text().rpartition(")")[2].split()
            procs[int(entry.name)] = (int(fields[2]), int(fields[11]) + int(fields[12]))
    busy = steal = 0
    with contextlib.suppress(OSError, ValueError, IndexError):
        # user nice system idle iowait irq softirq steal (guest time is inside user already)
        values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:9]]
        busy = sum(values) - values[3] - values[4]
        steal = values[7]
    return {"at": time.monotonic(), "procs": procs, "busy": busy, "steal": steal}


def cpu_report(
    before: dict[str, Any],
    after: dict[str, Any],
    groups: dict[str, int],
    loadgen_seconds: float,
    requests: int,
    pids: dict[str, set[int]] | None = None,
    clients: tuple[str, ...] = (),
) -> dict[str, Any]:
    """CPU between two snapshots: per process group of ours (`groups`: name -> group id) and
    per set of processes of ours in someone else's group (`pids`: the database server's
    backends serving our scratch database), the load generator's own (it has exited, so it
    reports it), and everything else on the machine (busy time less ours), in cores. Groups
    named in `clients` (the live crowd's subscribers) are ours but not the servers'."""
    elapsed = max(1e-6, after["at"] - before["at"])
    pids = pids or {}
    ticks_by = {name: 0 for name in [*groups, *pids]}
    names = {group: name for name, group in groups.items()}
    owners = {pid: name for name, members in pids.items() for pid in members}
    for pid, (group, ticks) in after["procs"].items():
        name = owners.get(pid) or names.get(group)
        if name is None:
            continue
        old = before["procs"].get(pid)
        ticks_by[name] += max(0, ticks - (old[1] if old is not None else 0))
    seconds = {name: ticks / CLK_TCK for name, ticks in ticks_by.items()}
    busy = (after["busy"] - before["busy"]) / CLK_TCK
    ours = sum(seconds.values()) + loadgen_seconds
    servers = sum(v for k, v in seconds.items() if k != "bench" and k not in clients)
    return {
        "window_s": round(elapsed, 2),
        "machine_busy_cores": round(busy / elapsed, 2),
        "benchmark_cores": round(ours / elapsed, 2),
        "other_processes_cores": round(max(0.0, busy - ours) / elapsed, 2),
        # time the hypervisor gave our virtual CPUs to someone else
        "steal_cores": round((after["steal"] - before["steal"]) / CLK_TCK / elapsed, 2),
        "cpu_seconds": {
            **{k: round(v, 2) for k, v in seconds.items()},
            "loadgen": round(loadgen_seconds, 2),
        },
        # API, worker, Redis and database time per request (not the load generator's)
        "server_cpu_ms_per_request": round(servers * 1000 / requests, 3) if requests else None,
    }


def calibrate(rounds: int = 5) -> float:
    """Milliseconds for a fixed pure-Python workload (best of `rounds`): how fast this machine
    runs Python right now, to compare runs taken at different times (lower is faster)."""
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        total = 0
        for i in range(200_000):
            total += len(str(i)) ^ (i & 7)
        best = min(best, time.perf_counter() - started)
    return round(best * 1000, 1)


def gc_pauses(port: int) -> dict[str, dict[str, float]] | None:
    """The API processes' garbage-collector pauses so far, from /metrics (summed over the
    processes): per generation, `count`, `seconds` and the cumulative bucket counts by bound
    (`le:<bound>`); None where the server has no such metric (the ceilings' bare apps)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    try:
        conn.request("GET", "/metrics")
        response = conn.getresponse()
        text = response.read().decode()
    except OSError:
        return None
    finally:
        conn.close()
    if response.status != 200:
        return None
    found: dict[str, dict[str, float]] = {}
    for line in text.splitlines():
        if not line.startswith("flashmart_gc_pause_seconds_"):
            continue
        name, value = line.rsplit(" ", 1)
        kind, labels = name[len("flashmart_gc_pause_seconds_") :].split("{", 1)
        fields = dict(part.split("=", 1) for part in labels.rstrip("}").split(","))
        generation = fields["generation"].strip('"')
        figures = found.setdefault(generation, {})
        if kind == "count":
            figures["count"] = float(value)
        elif kind == "sum":
            figures["seconds"] = float(value)
        elif kind == "bucket":
            figures[f"le:{fields['le'].strip(chr(34))}"] = float(value)
    return found or None


def gc_pause_delta(
    before: dict[str, dict[str, float]] | None, after: dict[str, dict[str, float]] | None
) -> dict[str, dict[str, float | str | None]] | None:
    """Pauses between two `gc_pauses` readings, per generation: how many, their total in ms,
    and the bucket bound the longest one stayed under (ms; None when there was none, "> top"
    above the top bucket)."""
    if before is None or after is None:
        return None
    delta: dict[str, dict[str, float | str | None]] = {}
    for generation, now in sorted(after.items()):
        was = before.get(generation, {})
        count = now.get("count", 0.0) - was.get("count", 0.0)
        bounds = sorted(
            (float(key[3:]), value - was.get(key, 0.0))
            for key, value in now.items()
            if key.startswith("le:") and key != "le:+Inf"
        )
        longest = next((bound * 1000 for bound, n in bounds if n >= count), None)
        delta[generation] = {
            "count": count,
            "ms": round((now.get("seconds", 0.0) - was.get("seconds", 0.0)) * 1000, 1),
            "longest_under_ms": (
                None
                if not count
                else longest
                if longest is not None
                else f"> {bounds[-1][0] * 1000:g}"
            ),
        }
    return delta


def run_dir(prefix: str, *, keep: bool, cleanup: contextlib.ExitStack) -> Path:
    """A temp dir for one run, with `logs/` for its child processes; removed by `cleanup`
    unless `keep` (then its path is printed at the end)."""
    tmp = Path(tempfile.mkdtemp(prefix=prefix))
    if keep:
        cleanup.callback(lambda: log(f"kept {tmp}"))
    else:
        cleanup.callback(shutil.rmtree, tmp, True)
    (tmp / "logs").mkdir()
    return tmp
