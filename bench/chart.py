"""The benchmark's chart: latency histograms and throughput over time (matplotlib, Agg)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt


def draw(results: dict[str, Any], samples: dict[str, dict[str, list[float]]], path: Path) -> None:
    """`samples[name]` holds `latencies` (s) of a phase; `results` the figures of the run.
    With the crowds, a second row compares the three storms and shows the subscribers."""
    crowds = any(key in results for key in ("cold_crowd", "live_crowd", "room"))
    fig, axes = plt.subplots(
        2 if crowds else 1,
        3,
        figsize=(17, 10.4 if crowds else 5.2),
        gridspec_kw={"width_ratios": [1.2, 1.2, 0.8]},
        squeeze=False,
    )
    hist, timeline, bars = axes[0]
    colours = {
        "seckillBuy": "#2563eb",
        "transport": "#059669",
        "naive": "#db2777",
        "cold crowd": "#d97706",
        "live crowd": "#dc2626",
        "tracing off": "#0891b2",  # the tracing scenario's storms (bench/run.py, TRACING_SETTINGS)
        "tracing 10% sampled": "#ca8a04",
        "tracing 100% sampled": "#7c3aed",
        "room buys": "#4b5563",  # the waiting room's admitted shoppers
    }

    # 1. latency histograms (log-spaced bins), with seckillBuy's percentiles marked
    all_ms = [v * 1000 for s in samples.values() for v in s["latencies"]]
    if all_ms:
        low, high = max(0.1, min(all_ms)), max(all_ms)
        bins = [low * (high / low) ** (i / 60) for i in range(61)] if high > low else 30
        for name, series in samples.items():
            values = [v * 1000 for v in series["latencies"]]
            if values:
                hist.hist(
                    values,
                    bins=bins,
                    histtype="step",
                    linewidth=1.6,
                    color=colours.get(name.split(" #")[0]),
                    label=f"{name} ({len(values):,} requests)",
                )
        hist.set_xscale("log")
    seckill = results.get("seckill", {}).get("latency_ms", {})
    for label, style in (("p50", ":"), ("p95", "--"), ("p99", "-")):
        if label in seckill:
            hist.axvline(
                seckill[label],
                color="#1e3a8a",
                linestyle=style,
                linewidth=1,
                label=f"seckillBuy {label} {seckill[label]:.1f} ms",
            )
    hist.set_xlabel("latency (ms, log scale)")
    hist.set_ylabel("requests")
    hist.set_title("Latency at the load generator")
    hist.legend(fontsize=8)

    # 2. throughput per second of the seckillBuy run, and orders persisted per second
    per_second = results.get("seckill", {}).get("per_second", {})
    seconds = list(range(len(per_second.get("completed", []))))
    if seconds:
        timeline.bar(
            seconds, per_second["completed"], color="#93c5fd", label="seckillBuy answered/s"
        )
        timeline.bar(seconds, per_second["ok"], color="#1d4ed8", label="of which QUEUED tickets/s")
    persisted = results.get("drain", {}).get("persisted_per_second", [])
    if persisted:
        timeline.plot(
            range(len(persisted)),
            persisted,
            color="#ea580c",
            marker="o",
            markersize=3,
            label="orders persisted/s (worker)",
        )
    timeline.set_xlabel("seconds since the buy phase started")
    timeline.set_ylabel("per second")
    timeline.set_title("Throughput and p99 latency over time")
    handles, labels = timeline.get_legend_handles_labels()
    p99 = per_second.get("p99_ms", [])
    if p99:
        latency_axis = timeline.twinx()
        (line,) = latency_axis.plot(
            range(len(p99)),
            p99,
            color="#7c3aed",
            marker="s",
            markersize=3,
            label="p99 latency (ms)",
        )
        latency_axis.set_ylabel("p99 latency of the second (ms)")
        latency_axis.set_ylim(bottom=0)
        handles, labels = [*handles, line], [*labels, "p99 latency (ms)"]
    timeline.legend(handles, labels, fontsize=8)

    # 3. the run's figure next to the ceilings and the baseline
    names, values, bar_colours = [], [], []
    for label, key, colour in (
        ("Redis script\n(pipelined)", ("redis_ceiling", "pipelined_per_s"), "#64748b"),
        ("bare Starlette\n+ same Redis", ("transport", "requests_per_s"), colours["transport"]),
        ("seckillBuy\n(GraphQL)", ("seckill", "requests_per_s"), colours["seckillBuy"]),
        ("naive DB\n(GraphQL)", ("naive", "requests_per_s"), colours["naive"]),
        ("cold crowd\n(GraphQL)", ("cold_crowd", "requests_per_s"), colours["cold crowd"]),
        ("live crowd\n(GraphQL)", ("live_crowd", "requests_per_s"), colours["live crowd"]),
    ):
        value = results.get(key[0], {}).get(key[1])
        if value:
            names.append(label)
            values.append(value)
            bar_colours.append(colour)
    if values:
        rects = bars.bar(names, values, color=bar_colours)
        bars.set_yscale("log")
        for rect, value in zip(rects, values, strict=True):
            bars.annotate(
                f"{value:,.0f}/s",
                (rect.get_x() + rect.get_width() / 2, value),
                ha="center",
                va="bottom",
                fontsize=8,
            )
        bars.tick_params(axis="x", labelsize=8)
    bars.set_title("Requests/s on this machine (log scale)")

    if crowds:
        _crowd_row(results, samples, axes[1], colours)

    machine = results.get("machine", {})
    other = results.get("seckill", {}).get("cpu", {}).get("other_processes_cores")
    shared = f", other processes used {other:.2f} cores meanwhile" if other is not None else ""
    fig.suptitle(
        f"make bench — {results.get('timestamp', '')} — {machine.get('nproc', '?')} cores, "
        f"Python {machine.get('python', '?')}, {machine.get('database', '?')}{shared}",
        fontsize=11,
    )
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _crowd_row(
    results: dict[str, Any],
    samples: dict[str, dict[str, list[float]]],
    axes: Any,
    colours: dict[str, str],
) -> None:
    """The warm pass and the crowds' p99 per second; when subscribers saw SOLD_OUT."""
    storms, sold_out, text = axes
    for label, key, colour in (
        ("warm pass (seckillBuy)", "seckill", colours["seckillBuy"]),
        ("cold crowd", "cold_crowd", colours["cold crowd"]),
        ("live crowd", "live_crowd", colours["live crowd"]),
    ):
        p99 = results.get(key, {}).get("per_second", {}).get("p99_ms", [])
        if p99:
            p99_all = results[key]["latency_ms"]["p99"]
            storms.plot(
                range(len(p99)),
                p99,
                color=colour,
                marker="o",
                markersize=3,
                label=f"{label}: {results[key]['requests_per_s']:,.0f}/s, p99 {p99_all:.0f} ms",
            )
    storms.set_yscale("log")
    storms.set_xlabel("seconds since the storm started")
    storms.set_ylabel("p99 latency of the second (ms, log scale)")
    storms.set_title("The same buy storm: warm, cold, with subscribers")
    storms.legend(fontsize=8)

    live = results.get("live_crowd", {})
    delays = samples.get("live crowd", {}).get("sold_out_delays", [])
    subs = live.get("subscribers", {})
    if delays:
        sold_out.plot(
            sorted(delays),
            [(i + 1) / len(delays) * 100 for i in range(len(delays))],
            color=colours["live crowd"],
        )
        sold_out.set_xlim(left=0)
    positions = samples.get("room buys", {}).get("time_to_position", [])
    if positions:  # the waiting room: when each entrant first had its position
        sold_out.plot(
            positions,
            [(i + 1) / len(positions) * 100 for i in range(len(positions))],
            color=colours["room buys"],
            label="waiting room: position, after the draw",
        )
        sold_out.set_xlim(left=0)
    if positions:
        if delays:
            sold_out.plot([], [], color=colours["live crowd"], label="live crowd: SOLD_OUT")
        sold_out.legend(fontsize=8)
    sold_out.set_xlabel(
        "seconds from the last unit sold (ledger) to SOLD_OUT at the subscriber"
        if not positions
        else "seconds: last unit sold to SOLD_OUT / draw to position, at the subscriber"
    )
    sold_out.set_ylabel("% of subscribers")
    sold_out.set_title(
        "When the subscribers learned the sale had sold out"
        if not positions
        else "When the subscribers heard: SOLD_OUT, or their place"
    )

    text.axis("off")
    if subs:
        msgs, delay = subs["messages_per_subscriber"], subs["sold_out_delay_s"]
        lines = [
            f"subscribers: {subs['requested']:,}",
            f"connected: {subs['connected']:,} in {subs['connect_seconds']:.1f} s",
            f"subscribed before the start: {subs['subscribed_before_start']}",
            f"held to the end: {subs['held_at_end']:,}",
            f"dropped: {subs['dropped']:,}",
            f"messages each: min {msgs['min']}, median {msgs['median']}, max {msgs['max']}",
            f"SOLD_OUT p50 / p99 / max: {delay['p50']} / {delay['p99']} / {delay['max']} s",
            f"never saw SOLD_OUT: {subs['never_saw_sold_out']:,}",
            f"buys/s vs cold crowd: {live.get('requests_per_s_vs_cold')}",
            f"client CPU: {subs['client_cpu_seconds']['total']:.2f} s",
        ]
        text.text(0.0, 1.0, "\n".join(lines), va="top", family="monospace", fontsize=9)
        text.set_title("The live crowd's subscribers")
    elif "room" in results:  # the waiting room's figures where the subscribers' would be
        room = results["room"]
        ttp, buys = room["positions"]["time_to_position_s"], room["buys"]
        lines = [
            f"entrants: {room['entrants']:,}",
            f"joined: {room['joins']['outcomes'].get('joined', 0):,}",
            f"in the draw: {room['room_counters']['in_draw']:,}",
            f"position p50 / p99 / max: {ttp['p50']} / {ttp['p99']} / {ttp['max']} s",
            f"within 1 s: {room['positions']['within_1s']:,} of {room['positions']['entrants']:,}",
            f"admitted: {room['admission']['admitted']:,}",
            f"buys: {buys['requests_per_s']:,.0f}/s, p99 {buys['latency_ms']['p99']} ms",
            f"QUEUED: {buys['ok']:,}",
        ]
        text.text(0.0, 1.0, "\n".join(lines), va="top", family="monospace", fontsize=9)
        text.set_title("The waiting room")
