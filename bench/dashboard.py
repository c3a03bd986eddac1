"""The Grafana dashboard's panels over a real benchmark run, drawn without Grafana.

Grafana cannot run on the build machine, so this draws the dashboard itself:

1. starts Debian's `prometheus` binary (`apt-get install prometheus`) with the repository's
   configuration (deploy/prometheus/prometheus.yml: its jobs and alert rules), changed only
   where the compose network does not exist here: targets come from files the benchmark
   writes (`bench/run.py --scrape-targets`: the API's `/metrics` and the worker's, each time a
   stack starts), every second instead of every 5 s (a storm lasts seconds), and the
   storage is a temp dir;
2. runs the benchmark (`bench/run.py`, with the arguments after `--`; its results go to the
   temp dir, not bench/results: Prometheus shares the machine with it meanwhile);
3. evaluates every panel's own PromQL queries of the dashboard JSON over the run through
   Prometheus's HTTP API (`query_range`), and draws the panels where the JSON's grid puts
   them, with their titles, units and legend formats: `docs/screenshots/dashboard.png`.

Usage: `make dashboard` or `bench/dashboard.py [--output PNG] [-- bench arguments]`.
`--keep-data DIR` also writes the queried series as JSON; `--from-data JSON` redraws them.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import re
import shutil
import subprocess
import sys
import textwrap
import time
import urllib.parse
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import matplotlib
import yaml
from procs import BenchError, Processes, free_port, log, run_dir, wait_http_ok

matplotlib.use("Agg")

import matplotlib.pyplot as plt
from matplotlib.axes import Axes
from matplotlib.ticker import FuncFormatter

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
PROMETHEUS_CONFIG = REPO / "deploy/prometheus/prometheus.yml"
DASHBOARD = REPO / "deploy/grafana/dashboards/flashmart-sale.json"
OUTPUT = REPO / "docs/screenshots/dashboard.png"
SCRAPE_INTERVAL = "1s"
POINTS = 400  # samples per series over the run (Grafana's default max data points is about this)

# Grafana's dark theme and its classic palette.
BACKGROUND, PANEL, TEXT, GRID = "#111217", "#181b1f", "#ccccdc", "#2c3235"
PALETTE = ["#73bf69", "#f2cc0c", "#8ab8ff", "#ff780a", "#f2495c", "#5794f2", "#b877d9",
           "#705da0", "#37872d", "#fade2a", "#447ebc", "#c15c17"]  # fmt: skip


# --- 1. Prometheus -----------------------------------------------------------------------------
def prometheus_config(targets: Path) -> dict[str, Any]:
    """The repository's configuration with file targets, a 1 s scrape and absolute rule paths."""
    config: dict[str, Any] = yaml.safe_load(PROMETHEUS_CONFIG.read_text())
    config["global"]["scrape_interval"] = SCRAPE_INTERVAL
    config["global"]["evaluation_interval"] = SCRAPE_INTERVAL
    rules_dir = PROMETHEUS_CONFIG.parent
    config["rule_files"] = [str(rules_dir / Path(f).name) for f in config.get("rule_files", [])]
    for job in config["scrape_configs"]:
        job.pop("dns_sd_configs", None)
        job["file_sd_configs"] = [
            {"files": [str(targets / f"{job['job_name']}.json")], "refresh_interval": "1s"}
        ]
    return config


def start_prometheus(tmp: Path, procs: Processes) -> tuple[int, Path]:
    binary = shutil.which("prometheus")
    if binary is None:
        raise BenchError("no `prometheus` binary on PATH (Debian: apt-get install prometheus)")
    targets = tmp / "targets"
    targets.mkdir()
    config = tmp / "prometheus.yml"
    config.write_text(yaml.safe_dump(prometheus_config(targets), sort_keys=False))
    port = free_port()
    cmd = [
        binary,
        f"--config.file={config}",
        f"--storage.tsdb.path={tmp / 'tsdb'}",
        f"--web.listen-address=127.0.0.1:{port}",
        "--log.level=warn",
    ]
    proc = procs.start("prometheus", cmd, {}, tmp)
    wait_http_ok(port, "/-/ready", proc, "prometheus", procs)
    log(f"prometheus on :{port}, scraping every {SCRAPE_INTERVAL} the targets in {targets}")
    return port, targets


# --- 3. the panels' queries --------------------------------------------------------------------
def query_range(port: int, expr: str, start: float, end: float, step: float) -> list[Any]:
    params = urllib.parse.urlencode({"query": expr, "start": start, "end": end, "step": step})
    url = f"http://127.0.0.1:{port}/api/v1/query_range?{params}"
    with urllib.request.urlopen(url, timeout=60) as response:
        body = json.load(response)
    if body.get("status") != "success":
        raise BenchError(f"query failed: {expr}: {body}")
    result: list[Any] = body["data"]["result"]
    return result


def legend(template: str | None, labels: dict[str, str]) -> str:
    if not template:
        return "{" + ", ".join(f'{k}="{v}"' for k, v in sorted(labels.items())) + "}"
    return re.sub(r"\{\{\s*(\w+)\s*\}\}", lambda m: labels.get(m.group(1), ""), template)


def evaluate(port: int, dashboard: dict[str, Any], start: float, end: float) -> dict[str, Any]:
    """Every panel's queries over [start, end]: {panel id: [{name, times, values}]}."""
    step = max(1.0, (end - start) / POINTS)
    panels: dict[str, Any] = {}
    for panel in dashboard["panels"]:
        series = []
        for target in panel.get("targets", []):
            for found in query_range(port, target["expr"], start, end, step):
                series.append(
                    {
                        "name": legend(target.get("legendFormat"), found["metric"]),
                        "times": [float(t) - start for t, _ in found["values"]],
                        "values": [float(v) for _, v in found["values"]],
                    }
                )
        panels[str(panel["id"])] = series
    return {"start": start, "end": end, "step": step, "panels": panels}


# --- drawing -----------------------------------------------------------------------------------
def format_value(value: float, unit: str | None) -> str:
    if math.isnan(value):
        return "no data"
    if unit == "s":
        if value == 0:
            return "0 s"
        return f"{value * 1000:.3g} ms" if abs(value) < 1 else f"{value:.3g} s"
    suffix = {"reqps": " req/s", "ops": " ops/s"}.get(unit or "", "")
    for size, mark in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= size:
            return f"{value / size:.3g}{mark}{suffix}"
    return f"{value:.3g}{suffix}"


def _panel_axes(fig: Any, grid: dict[str, int], rows: int, top: float) -> Axes:
    """Axes where Grafana's 24-column grid puts the panel, in the figure below `top`."""
    width, height = 1 / 24, top / rows
    left, upper = grid["x"] * width, top - grid["y"] * height
    frame = fig.add_axes(
        (left + 0.002, upper - grid["h"] * height + 0.002, grid["w"] * width - 0.004,
         grid["h"] * height - 0.004)
    )  # fmt: skip
    frame.set_facecolor(PANEL)
    frame.set_xticks([])
    frame.set_yticks([])
    for spine in frame.spines.values():
        spine.set_color(GRID)
    return frame


def _clock(seconds: float, _pos: object = None) -> str:
    return f"{int(seconds // 60)}:{int(seconds % 60):02d}"


def draw(dashboard: dict[str, Any], data: dict[str, Any], path: Path, caption: str) -> None:
    rows = max(p["gridPos"]["y"] + p["gridPos"]["h"] for p in dashboard["panels"])
    fig = plt.figure(figsize=(24, rows * 0.42 + 1.2), facecolor=BACKGROUND)
    header = 1.2 / (rows * 0.42 + 1.2)
    fig.text(0.005, 1 - header * 0.3, dashboard["title"], color=TEXT, fontsize=20,
             fontweight="bold", va="center")  # fmt: skip
    fig.text(0.005, 1 - header * 0.7, textwrap.fill(caption, 230), color="#8e8e8e", fontsize=11,
             va="center")  # fmt: skip
    top = 1 - header
    duration = data["end"] - data["start"]
    for panel in dashboard["panels"]:
        grid = panel["gridPos"]
        if panel["type"] == "row":
            fig.text(grid["x"] / 24 + 0.003, top - (grid["y"] + 0.5) * top / rows, panel["title"],
                     color=TEXT, fontsize=14, fontweight="bold", va="center")  # fmt: skip
            continue
        frame = _panel_axes(fig, grid, rows, top)
        frame.set_title(" " + panel["title"], color=TEXT, fontsize=11, loc="left", y=0.985,
                        pad=-14)  # fmt: skip
        series = data["panels"].get(str(panel["id"]), [])
        unit = panel.get("fieldConfig", {}).get("defaults", {}).get("unit")
        if panel["type"] == "stat":
            _stat(frame, series, unit, duration)
        else:
            _timeseries(frame, series, unit, duration)
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=72, facecolor=BACKGROUND)
    plt.close(fig)


def _last_not_null(values: list[float]) -> float:
    return next((v for v in reversed(values) if not math.isnan(v)), math.nan)


def _stat(frame: Axes, series: list[dict[str, Any]], unit: str | None, duration: float) -> None:
    """Grafana's stat with `lastNotNull`: the value at the end of the run, and its sparkline."""
    value = _last_not_null(series[0]["values"]) if series else math.nan
    frame.text(0.5, 0.55, format_value(value, unit), color="#73bf69", fontsize=30,
               fontweight="bold", ha="center", va="center", transform=frame.transAxes)  # fmt: skip
    if series:
        peak = max((v for v in series[0]["values"] if not math.isnan(v)), default=math.nan)
        frame.text(0.5, 0.3, f"peak {format_value(peak, unit)}", color="#8e8e8e", fontsize=10,
                   ha="center", va="center", transform=frame.transAxes)  # fmt: skip
        spark = frame.inset_axes((0, 0, 1, 0.22))
        spark.fill_between(series[0]["times"], series[0]["values"], color="#73bf69", alpha=0.15)
        spark.plot(series[0]["times"], series[0]["values"], color="#73bf69", linewidth=1)
        spark.set_xlim(0, duration)
        spark.set_ylim(bottom=0)
        spark.axis("off")


def _timeseries(
    frame: Axes, series: list[dict[str, Any]], unit: str | None, duration: float
) -> None:
    columns = min(max(len(series), 1), 4)
    legend_rows = math.ceil(min(len(series), 12) / columns)
    bottom = 0.1 + 0.065 * legend_rows  # room for the legend under the plot
    plot = frame.inset_axes((0.07, bottom, 0.91, 0.86 - bottom))
    plot.set_facecolor(PANEL)
    for spine in plot.spines.values():
        spine.set_visible(False)
    plot.tick_params(colors="#8e8e8e", labelsize=8)
    plot.grid(color=GRID, linewidth=0.6)
    plot.set_xlim(0, duration)
    plot.xaxis.set_major_formatter(FuncFormatter(_clock))
    plot.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: format_value(v, unit)))
    if not series:
        plot.text(0.5, 0.5, "No data", color="#8e8e8e", fontsize=12, ha="center", va="center",
                  transform=plot.transAxes)  # fmt: skip
        plot.set_yticks([])
        return
    for index, found in enumerate(series[:12]):
        plot.plot(found["times"], found["values"], color=PALETTE[index % len(PALETTE)],
                  linewidth=1.2, label=found["name"], marker="." if len(found["values"]) == 1
                  else None)  # fmt: skip
    plot.set_ylim(bottom=0)
    plot.legend(loc="upper left", bbox_to_anchor=(0, -0.1), ncol=columns, fontsize=8,
                frameon=False, labelcolor=TEXT, handlelength=1.2, borderaxespad=0.2,
                labelspacing=0.25)  # fmt: skip


# --- the run -----------------------------------------------------------------------------------
def parse_args(argv: list[str]) -> tuple[argparse.Namespace, list[str]]:
    ours, bench = (
        (argv[: argv.index("--")], argv[argv.index("--") + 1 :]) if "--" in argv else (argv, [])
    )
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument("--keep-data", type=Path, default=None, help="also write the series")
    parser.add_argument("--from-data", type=Path, default=None, help="redraw saved series")
    return parser.parse_args(ours), bench


def caption_for(data: dict[str, Any]) -> str:
    start = datetime.fromtimestamp(data["start"], UTC).strftime("%Y-%m-%d %H:%M:%S")
    minutes = (data["end"] - data["start"]) / 60
    args = " ".join(data.get("bench_args", []))
    run = f"bench/run.py {args}" if args else "`make bench`'s bench/run.py"
    return (
        f"The dashboard's own queries (deploy/grafana/dashboards/{DASHBOARD.name}) evaluated by "
        f"Prometheus over a real benchmark run ({run}), {start} UTC + {minutes:.1f} min "
        f"(scraped every {SCRAPE_INTERVAL}); drawn by bench/dashboard.py (no Grafana on the "
        "build machine). Stat panels: the last value, as Grafana's lastNotNull, and the peak."
    )


def main(argv: list[str] | None = None) -> int:
    cfg, bench_args = parse_args(sys.argv[1:] if argv is None else argv)
    dashboard = json.loads(DASHBOARD.read_text())
    if cfg.from_data is not None:
        data = json.loads(cfg.from_data.read_text())
        draw(dashboard, data, cfg.output, caption_for(data))
        log(f"drew {cfg.output}")
        return 0
    with contextlib.ExitStack() as cleanup:
        tmp = run_dir("fmdash-", keep=False, cleanup=cleanup)
        procs = Processes(tmp / "logs")
        cleanup.callback(procs.stop_all)
        try:
            port, targets = start_prometheus(tmp, procs)
            command = [sys.executable, str(HERE / "run.py"), "--scrape-targets", str(targets),
                       "--results-dir", str(tmp / "results"), *bench_args]  # fmt: skip
            log(f"running the benchmark: {' '.join(command[1:])}")
            start = time.time()
            bench = subprocess.run(command, check=False)
            time.sleep(3)  # the last scrapes
            end = time.time()
            if bench.returncode != 0:
                raise BenchError(f"the benchmark failed (exit {bench.returncode})")
            data = evaluate(port, dashboard, start, end) | {"bench_args": bench_args}
        except BenchError as exc:
            log(f"FAILED: {exc}")
            return 1
        if cfg.keep_data is not None:
            cfg.keep_data.write_text(json.dumps(data))
        draw(dashboard, data, cfg.output, caption_for(data))
        empty = [p["title"] for p in dashboard["panels"]
                 if p["type"] != "row" and not data["panels"][str(p["id"])]]  # fmt: skip
        log(f"drew {cfg.output}; panels without data: {', '.join(empty) or 'none'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
