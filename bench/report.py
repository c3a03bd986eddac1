"""Figures from the load generator's records, machine facts and the printed summary."""

from __future__ import annotations

import contextlib
import os
import platform
from collections import Counter
from importlib import metadata
from pathlib import Path
from typing import Any

import redis as redis_sync

TARGET_RPS = 2500
TARGET_P99_MS = 100.0
# Tracing on with the compose file's sampler (10% of new traces) keeps at least this share of
# the buys/s with tracing off (docs/observability.md, "Cost").
TARGET_TRACING_RATIO = 0.9
COMMAND = "make bench"


def percentile(sorted_values: list[float], q: float) -> float:
    """Nearest-rank percentile of an ascending list."""
    if not sorted_values:
        return 0.0
    rank = max(1, -(-len(sorted_values) * q // 100))  # ceil(n * q / 100)
    return sorted_values[int(min(rank, len(sorted_values))) - 1]


def summarize(phase: dict[str, Any], names: list[str]) -> dict[str, Any]:
    """Throughput, latency percentiles, outcomes and a per-second series of one phase."""
    latencies = sorted(phase["latencies"])
    counts = Counter(names[i] for i in phase["outcomes"])
    duration = phase["duration"] or 1e-9
    completed: list[int] = []
    ok: list[int] = []
    by_second: list[list[float]] = []  # latencies of the requests answered in each second
    ok_index = names.index("ok")
    for offset, latency, outcome in zip(
        phase["send_offsets"], phase["latencies"], phase["outcomes"], strict=True
    ):
        second = int(offset + latency)
        while len(completed) <= second:
            completed.append(0)
            ok.append(0)
            by_second.append([])
        completed[second] += 1
        ok[second] += outcome == ok_index
        by_second[second].append(latency)
    whole_seconds = completed[:-1] if len(completed) > 1 else completed
    ok_done = [
        offset + latency
        for offset, latency, outcome in zip(
            phase["send_offsets"], phase["latencies"], phase["outcomes"], strict=True
        )
        if outcome == ok_index
    ]
    return {
        "requests": len(latencies),
        "duration_s": round(duration, 3),
        "requests_per_s": round(len(latencies) / duration, 1),
        "best_second_per_s": max(whole_seconds, default=0),
        "median_second_per_s": sorted(whole_seconds)[len(whole_seconds) // 2]
        if whole_seconds
        else 0,
        # when the last unit was sold, from the start of the phase (the selling window)
        "last_success_after_s": round(max(ok_done), 3) if ok_done else None,
        "latency_ms": {
            "p50": round(percentile(latencies, 50) * 1000, 2),
            "p95": round(percentile(latencies, 95) * 1000, 2),
            "p99": round(percentile(latencies, 99) * 1000, 2),
            "max": round((latencies[-1] if latencies else 0) * 1000, 2),
            "mean": round(sum(latencies) / max(1, len(latencies)) * 1000, 2),
        },
        "outcomes": dict(sorted(counts.items())),
        "errors": counts.get("error", 0),
        "error_samples": phase.get("error_samples", []),
        "timed_out": phase.get("timed_out", False),
        "per_second": {
            "completed": completed,
            "ok": ok,
            "p99_ms": [round(percentile(sorted(v), 99) * 1000, 1) if v else 0 for v in by_second],
        },
    }


def crowd_figures(
    outs: list[dict[str, Any]],
    requested: int,
    last_unit_epoch: float | None,
    hold: dict[str, Any],
) -> tuple[dict[str, Any], list[float]]:
    """The live crowd's subscribers, from the results of its client processes: connections
    held and dropped, messages each, and when each saw SOLD_OUT after the last unit sold
    (also returned one by one, for the chart)."""
    per = [p for out in outs for p in out["per_subscriber"]]
    connected = sum(out["connected"] for out in outs)
    held = sum(out["held_at_end"] for out in outs)
    messages = sorted(p["messages"] for p in per)
    delays = (
        sorted(p["sold_out_at"] - last_unit_epoch for p in per if p["sold_out_at"] is not None)
        if last_unit_epoch is not None
        else []
    )
    problems = Counter(p["error"] for p in per if p["error"])
    failures: Counter[str] = Counter()
    for out in outs:
        failures.update(out["connect_failures"])
    cpu: dict[str, float] = {}
    for out in outs:
        for stage, seconds in out["cpu_seconds"].items():
            cpu[stage] = round(cpu.get(stage, 0.0) + seconds, 2)
    cpu["total"] = round(sum(out["total_cpu_seconds"] for out in outs), 2)
    figures: dict[str, Any] = {
        "requested": requested,
        "client_processes": len(outs),
        "connected": connected,
        "connect_failures": dict(failures.most_common(5)),
        "connect_seconds": round(max(out["connect_seconds"] for out in outs), 2),
        "subscribe_seconds": hold.get("subscribe_seconds"),
        "subscribed_before_start": hold.get("subscribed_before_start"),
        "waited_for_start_s": hold.get("waited_s"),
        "saw_active": sum(1 for p in per if p["active_at"] is not None),
        "held_at_end": held,
        "dropped": connected - held,
        "drop_reasons": dict(problems.most_common(5)),
        "messages_per_subscriber": {
            "min": messages[0] if messages else 0,
            "median": messages[len(messages) // 2] if messages else 0,
            "max": messages[-1] if messages else 0,
            "total": sum(messages),
        },
        "pings_answered": sum(p["pings"] for p in per),
        "saw_sold_out": len(delays),
        "never_saw_sold_out": connected - len(delays),
        "sold_out_delay_s": {
            "p50": round(percentile(delays, 50), 3) if delays else None,
            "p99": round(percentile(delays, 99), 3) if delays else None,
            "max": round(delays[-1], 3) if delays else None,
        },
        "client_cpu_seconds": cpu,
    }
    if "cpu" in hold:
        figures["while_waiting_for_start"] = hold["cpu"]
    return figures, delays


def _spread(values: list[float], scale: float = 1.0, digits: int = 3) -> dict[str, Any]:
    """p50 / p99 / max of an ascending list (None when empty), times `scale`."""
    if not values:
        return {"p50": None, "p99": None, "max": None}
    return {
        "p50": round(percentile(values, 50) * scale, digits),
        "p99": round(percentile(values, 99) * scale, digits),
        "max": round(values[-1] * scale, digits),
    }


def room_figures(
    outs: list[dict[str, Any]],
    requested: int,
    draw_epoch: float,
    cursor: list[tuple[float, int]],
    units: int,
) -> dict[str, Any]:
    """The waiting-room scenario's figures from its client processes' records (bench/room.py)
    and the room's cursor as polled in Redis: joins, when each entrant first had its position
    after the draw, messages per entrant, admissions, and the admitted shoppers' buys."""
    per = [p for out in outs for p in out["per_entrant"]]
    joins = sorted(p["join"][1] - p["join"][0] for p in per if "join" in p)
    join_outcomes = Counter(p["join"][2] for p in per if "join" in p)
    followed = [p for p in per if p.get("updates")]
    # time to position: the entrants who were following their entry when the draw came
    before_draw = [p for p in followed if p["updates"][0][0] < draw_epoch]
    to_position: list[float] = []
    for p in before_draw:
        seen = next((t for t, _, pos in p["updates"] if pos is not None and t >= draw_epoch), None)
        if seen is None:  # read within the 10 ms between the draw and the poll that saw it
            seen = next((t for t, _, pos in p["updates"] if pos is not None), None)
        if seen is not None:
            to_position.append(max(0.0, seen - draw_epoch))
    to_position.sort()
    messages = sorted(len(p["updates"]) for p in followed)
    after_draw = sorted(sum(1 for t, _, _ in p["updates"] if t >= draw_epoch) for p in followed)
    admitted_at = sorted(p["admitted_at"] - draw_epoch for p in per if p.get("admitted_at"))
    final_states = Counter(p["updates"][-1][1] for p in followed)
    bought = [p for p in per if "buy" in p]
    latencies = sorted(p["buy"][1] - p["buy"][0] for p in bought)
    since_admitted = sorted(p["buy"][1] - p["admitted_at"] for p in bought)
    outcomes = Counter(p["buy"][2] for p in bought)
    first_sent = min((p["buy"][0] for p in bought), default=None)
    last_done = max((p["buy"][1] for p in bought), default=None)
    span = (last_done - first_sent) if first_sent is not None and last_done is not None else 0.0
    admission_span = admitted_at[-1] if admitted_at else 0.0
    problems = Counter(p.get("error") or p.get("dropped") for p in per)
    problems.pop(None, None)
    cpu: dict[str, float] = {}
    for out in outs:
        for stage, seconds in out["cpu_seconds"].items():
            cpu[stage] = round(cpu.get(stage, 0.0) + seconds, 2)
    cpu["total"] = round(sum(out["total_cpu_seconds"] for out in outs), 2)
    return {
        "entrants": requested,
        "client_processes": len(outs),
        "units": units,
        "joins": {
            "outcomes": dict(sorted(join_outcomes.items())),
            "not_joined_by_the_end": requested - sum(join_outcomes.values()),
            "latency_ms": _spread(joins, 1000, 1),
        },
        "subscribed": len(followed),
        "held_at_end": sum(out["held_at_end"] for out in outs),
        "problems": dict(problems.most_common(5)),
        "positions": {
            "entrants": len(before_draw),
            "followed_only_after_the_draw": len(followed) - len(before_draw),
            "with_position": len(to_position),
            "time_to_position_s": _spread(to_position),
            "within_1s": sum(1 for t in to_position if t <= 1.0),
        },
        "messages_per_entrant": {
            "min": messages[0] if messages else 0,
            "median": messages[len(messages) // 2] if messages else 0,
            "max": messages[-1] if messages else 0,
            "mean": round(sum(messages) / len(messages), 2) if messages else 0,
            "after_draw_mean": round(sum(after_draw) / len(after_draw), 2) if after_draw else 0,
            "after_draw_max": after_draw[-1] if after_draw else 0,
        },
        "final_states": dict(sorted(final_states.items())),
        "admission": {
            "admitted": len(admitted_at),
            "cursor_final": cursor[-1][1] if cursor else 0,
            # each move of the cursor as polled: (seconds after the draw, positions admitted)
            "cursor_moves": [[round(t - draw_epoch, 3), n] for t, n in cursor],
            "admitted_heard_s": _spread(admitted_at),
            "per_s": round(len(admitted_at) / admission_span, 1) if admission_span > 0 else 0.0,
        },
        "buys": {
            "requests": len(bought),
            "ok": outcomes.get("ok", 0),
            "outcomes": dict(sorted(outcomes.items())),
            "first_sent_epoch": first_sent,
            "duration_s": round(span, 3),
            "requests_per_s": round(len(bought) / span, 1) if span > 0 else 0.0,
            "latency_ms": _spread(latencies, 1000, 1),
            "admitted_to_answer_ms": _spread(since_admitted, 1000, 1),
        },
        "client_cpu_seconds": cpu,
        "_time_to_position": to_position,
        "_buy_latencies": latencies,
    }


def page_figures(
    out: dict[str, Any], storm: tuple[float, float], per_second: float
) -> dict[str, Any]:
    """The live crowd's first visits of the sale page (bench/pages.py): how many, how long each
    took (all of them, and those started during the buy storm), bytes and requests per visit,
    and the visiting client's CPU."""
    visits = out["page_loads"]
    ok = [v for v in visits if v["error"] is None]
    during = sorted(v["seconds"] for v in ok if storm[0] <= v["started"] <= storm[1])
    times = sorted(v["seconds"] for v in ok)
    sizes = sorted(v["bytes"] for v in ok)
    errors = Counter(v["error"] for v in visits if v["error"])

    def spread(values: list[float]) -> dict[str, float | None]:
        return {
            f"p{q}": round(percentile(values, q) * 1000, 1) if values else None for q in (50, 99)
        } | {"max": round(values[-1] * 1000, 1) if values else None}

    return {
        "per_second_requested": per_second,
        "visits": len(visits),
        "completed": len(ok),
        "during_storm": len(during),
        "visit_ms": spread(times),
        "visit_ms_during_storm": spread(during),
        "bytes_per_visit": sizes[len(sizes) // 2] if sizes else 0,
        "requests_per_visit": ok[0]["requests"] if ok else 0,
        "errors": dict(errors.most_common(5)),
        "client_cpu_seconds": round(out["cpu_seconds"], 2),
    }


def machine_info(database: str, redis_url: str) -> dict[str, Any]:
    cpu = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    client = redis_sync.Redis.from_url(redis_url)
    try:
        info: dict[str, Any] = client.info("server")  # type: ignore[assignment]
        redis_version = info.get("redis_version", "?")
        fsync = client.config_get("appendfsync").get("appendfsync", "?")
    finally:
        client.close()
    versions = {}
    for package in (
        "strawberry-graphql", "graphql-core", "starlette", "uvicorn", "uvloop", "httptools",
        "redis", "hiredis", "arq", "tortoise-orm", "asyncpg", "pyjwt",
    ):  # fmt: skip
        with contextlib.suppress(metadata.PackageNotFoundError):
            versions[package] = metadata.version(package)
    load1, load5, _ = os.getloadavg()
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "memory_gib": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "database": database,
        "redis": f"Redis {redis_version} (embedded, AOF {fsync})",
        "loadavg_at_start": [round(load1, 2), round(load5, 2)],
        "packages": versions,
    }


def ratio(a: float | None, b: float | None) -> float | None:
    return round(a / b, 3) if a and b else None


def _cpu_text(cpu: dict[str, Any]) -> str:
    text = (
        f"server CPU {cpu['server_cpu_ms_per_request']:.2f} ms/request; other processes used "
        f"{cpu['other_processes_cores']:.2f} of {os.cpu_count()} cores, steal "
        f"{cpu['steal_cores']:.2f}"
    )
    pauses = cpu.get("gc_pauses")
    if pauses:
        full, young = pauses.get("2", {}), [pauses.get(g, {}) for g in ("0", "1")]
        text += (
            f"; API GC: {full.get('count', 0):.0f} full collections "
            f"({full.get('ms', 0)} ms, longest < {full.get('longest_under_ms') or '-'} ms), "
            f"{sum(y.get('count', 0) for y in young):.0f} young "
            f"({sum(y.get('ms', 0) for y in young):.1f} ms)"
        )
    return text


def _last(summary: dict[str, Any]) -> str:
    last = summary.get("last_success_after_s")
    return f"{last:.2f} s" if last is not None else "-"


def _audit_text(audit: dict[str, Any]) -> str:
    failed = [c["name"] for c in audit["checks"] if not c["passed"]]
    checks = f"FAILED: {'; '.join(failed)}" if failed else f"all {len(audit['checks'])} checks pass"
    return f"oversold {audit['oversold']} / undersold {audit['undersold']}; {checks}"


def _times(value: float | None, digits: int = 2) -> str:
    return f"{value:.{digits}f}x" if value is not None else "-"


def _storm_rows(title: str, c: dict[str, Any]) -> list[tuple[str, str]]:
    lat = c["latency_ms"]
    p99s = c["per_second"]["p99_ms"]
    done = c["per_second"]["completed"]
    # "-": a second in which no answer arrived
    seconds = ", ".join(f"{v:.0f}" if n else "-" for v, n in zip(p99s[:10], done, strict=False))
    if len(p99s) > 10:  # the JSON has them all
        answered = sorted(v for v, n in zip(p99s, done, strict=False) if n)
        seconds += (
            f", ... ({len(p99s)} s, {len(p99s) - len(answered)} without an answer; median "
            f"{answered[len(answered) // 2]:.0f}, max {answered[-1]:.0f})"
        )
    return [
        (
            f"{title} buys/s",
            f"{c['requests_per_s']:,.0f}  ({c['requests']:,} requests in {c['duration_s']:.2f} s; "
            f"{c['outcomes'].get('ok', 0):,} QUEUED, the last {_last(c)} after the start)"
            + (" (time-boxed)" if c["timed_out"] else ""),
        ),
        (
            f"{title} p50 / p95 / p99",
            f"{lat['p50']:.1f} / {lat['p95']:.1f} / {lat['p99']:.1f} ms (max {lat['max']:.1f}); "
            f"p99 of each second {seconds} ms",
        ),
        (f"{title} CPU", _cpu_text(c["cpu"])),
    ]


def _crowd_rows(results: dict[str, Any]) -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    cold, live = results.get("cold_crowd"), results.get("live_crowd")
    if cold:
        rows.extend(_storm_rows("cold crowd", cold))
        rows.append(
            (
                "cold ÷ warm",
                f"p99 {_times(cold['p99_vs_warm'])}, "
                f"buys/s {_times(cold['requests_per_s_vs_warm'])} (fresh sale, no warm-up, "
                f"{cold['stamp_keys_deleted']} cached stamps deleted)",
            )
        )
    if live:
        sub = live["subscribers"]
        rows.extend(_storm_rows("live crowd", live))
        rows.append(
            (
                "live ÷ buys only",
                f"buys/s {_times(live['requests_per_s_vs_cold'])} the cold crowd's, "
                f"{_times(live['requests_per_s_vs_warm'])} the warm pass's",
            )
        )
        before = sub["subscribed_before_start"]
        rows.append(
            (
                "subscribers",
                f"{sub['connected']:,} of {sub['requested']:,} connected in "
                f"{sub['connect_seconds']:.1f} s; "
                f"{'-' if before is None else f'{before:,}'} subscribed before the start; "
                f"{sub['held_at_end']:,} held to the end, {sub['dropped']:,} dropped"
                + (f" ({sub['drop_reasons']})" if sub["drop_reasons"] else ""),
            )
        )
        msgs = sub["messages_per_subscriber"]
        rows.append(
            (
                "messages per subscriber",
                f"min {msgs['min']}, median {msgs['median']}, max {msgs['max']} "
                f"({msgs['total']:,} in all; {sub['pings_answered']:,} server pings answered)",
            )
        )
        delay = sub["sold_out_delay_s"]
        rows.append(
            (
                "SOLD_OUT after last unit",
                f"p50 {delay['p50']} / p99 {delay['p99']} / max {delay['max']} s; seen by "
                f"{sub['saw_sold_out']:,}, not within {sub['sold_out_timeout_s']:.0f} s of the "
                f"storm's end by {sub['never_saw_sold_out']:,}",
            )
        )
        pages = live.get("page_loads")
        if pages:
            storm, every = pages["visit_ms_during_storm"], pages["visit_ms"]
            rows.append(
                (
                    "sale page first visits",
                    f"{pages['completed']:,} of {pages['visits']:,} at "
                    f"{pages['per_second_requested']:g}/s ({pages['during_storm']:,} during the "
                    f"storm: p50 {storm['p50']} / p99 {storm['p99']} / max {storm['max']} ms; all: "
                    f"p50 {every['p50']} / p99 {every['p99']} ms); {pages['requests_per_visit']} "
                    f"requests, {pages['bytes_per_visit'] / 1024:,.0f} KiB each"
                    + (f"; errors {pages['errors']}" if pages["errors"] else ""),
                )
            )
        cpu = sub["client_cpu_seconds"]
        waiting = sub.get("while_waiting_for_start")
        api_idle = (
            f"; API used {waiting['cpu_seconds'].get('api', 0) / waiting['window_s']:.2f} cores "
            f"while the crowd waited {waiting['window_s']:.1f} s for the start"
            if waiting
            else ""
        )
        rows.append(
            (
                "subscriber client CPU",
                f"{cpu['total']:.2f} s in {sub['client_processes']} processes (connect "
                f"{cpu.get('connect', 0):.2f}, subscribe {cpu.get('subscribe', 0):.2f}, hold "
                f"{cpu.get('hold', 0):.2f}){api_idle}",
            )
        )
    return rows


def _tracing_rows(tracing: dict[str, Any] | None) -> list[tuple[str, str]]:
    if not tracing:
        return []
    rows: list[tuple[str, str]] = []
    for setting, run in tracing["runs"].items():
        t = run["tracing"]
        exported = t["exported"]
        spans = exported["spans"]
        sent = (
            f"; exported {exported['requests']:,} requests, {exported['bytes'] / 1024:,.0f} KiB, "
            f"{'?' if spans is None else f'{spans:,}'} spans (first storm)"
            if t["env"]
            else ""
        )
        storms = tracing.get("storms", {}).get(setting, [run])
        each = " / ".join(f"{r['requests_per_s']:,.0f}" for r in storms)
        rate = tracing.get("requests_per_s", {}).get(setting, run["requests_per_s"])
        p99 = tracing.get("p99_ms", {}).get(setting, run["latency_ms"]["p99"])
        rows.append(
            (
                f"tracing {t['label']}",
                f"{rate:,.0f} req/s"
                + (f" (mean of {each})" if len(storms) > 1 else "")
                + (
                    f" ({_times(tracing['requests_per_s_vs_off'][setting], 3)} off)"
                    if t["env"]
                    else ""
                )
                + f", p99 {p99:.1f} ms{sent}",
            )
        )
    sampled = tracing["requests_per_s_vs_off"].get("sampled")
    rows.append(
        (
            "tracing target",
            f"10% sampled >= {tracing['target_ratio_min']:.0%} of off's buys/s: "
            f"{'-' if sampled is None else f'{sampled:.1%}'}, "
            f"{'MET' if tracing['target_met'] else 'NOT MET'}",
        )
    )
    for setting, run in tracing["runs"].items():
        for i, storm in enumerate(tracing.get("storms", {}).get(setting, [run])):
            label = f"tracing {run['tracing']['label']}" + (f" #{i + 1}" if i else "")
            rows.append((f"{label} audit", _audit_text(storm["drain"]["audit"])))
    return rows


def _room_rows(room: dict[str, Any] | None) -> list[tuple[str, str]]:
    if not room:
        return []
    pos, ttp = room["positions"], room["positions"]["time_to_position_s"]
    adm, buys, msg = room["admission"], room["buys"], room["messages_per_entrant"]
    joins = room["joins"]
    verify = room["verify_draw"]["exit_code"]
    return [
        (
            "room: joins",
            f"{joins['outcomes'].get('joined', 0):,} of {room['entrants']:,} joined over "
            f"{room['join_window_s']:.0f} s"
            + "".join(f", {k} {v:,}" for k, v in joins["outcomes"].items() if k != "joined")
            + f", not joined by the end {joins['not_joined_by_the_end']:,}"
            f" (p50 {joins['latency_ms']['p50']} ms, p99 "
            f"{joins['latency_ms']['p99']} ms); {room['subscribed']:,} following their entry "
            f"over graphql-ws; {room['room_counters']['in_draw']:,} in the draw, drawn "
            f"{room['draw_after_start_s']:.2f} s after the start",
        ),
        (
            "room: time to position",
            f"p50 {ttp['p50']} / p99 {ttp['p99']} / max {ttp['max']} s after the draw; "
            f"{pos['with_position']:,} of {pos['entrants']:,} had one, {pos['within_1s']:,} "
            "within 1 s (target: all)",
        ),
        (
            "room: messages per entrant",
            f"mean {msg['mean']}, median {msg['median']}, max {msg['max']} "
            f"({msg['after_draw_mean']} after the draw on average); final states "
            + ", ".join(f"{k} {v:,}" for k, v in room["final_states"].items()),
        ),
        (
            "room: admission",
            f"{adm['admitted']:,} admitted, heard p50 {adm['admitted_heard_s']['p50']} / max "
            f"{adm['admitted_heard_s']['max']} s after the draw ({adm['per_s']:,.0f}/s); cursor "
            + ", ".join(f"{n:,} at {t:.2f} s" for t, n in adm["cursor_moves"][:6]),
        ),
        (
            "room: buys",
            f"{buys['requests_per_s']:,.0f}/s ({buys['requests']:,} in {buys['duration_s']:.2f} s; "
            + ", ".join(f"{k} {v:,}" for k, v in buys["outcomes"].items())
            + f"); p50 / p99 {buys['latency_ms']['p50']} / {buys['latency_ms']['p99']} ms, "
            f"ADMITTED to answer p99 {buys['admitted_to_answer_ms']['p99']} ms",
        ),
        ("room: CPU", _cpu_text(room["cpu"]).replace("ms/request", "ms per entrant")),
        (
            "room audit",
            _audit_text(room["drain"]["audit"])
            + f"; verify-draw exit {verify}"
            + ("" if room["correct"] else " (FAILED)"),
        ),
    ]


def print_summary(results: dict[str, Any]) -> None:
    s, d = results["seckill"], results["drain"]
    a, lat = d["audit"], s["latency_ms"]
    red, tr, nv = results.get("redis_ceiling"), results.get("transport"), results.get("naive")
    m, cfg = results["machine"], results["config"]
    rows: list[tuple[str, str]] = [
        (
            "machine",
            f"{m['nproc']} cores ({m['cpu']}), Python {m['python']}, {m['database']}, {m['redis']}",
        ),
        (
            "machine speed",
            f"calibration {m['calibration_ms_before']} ms before, "
            f"{m['calibration_ms_after_seckill']} ms after the seckillBuy run"
            + "".join(
                f", {results[name]['calibration_ms_before']} ms before the {label}"
                for name, label in (("cold_crowd", "cold crowd"), ("live_crowd", "live crowd"))
                if (results.get(name) or {}).get("calibration_ms_before") is not None
            )
            + " (pure-Python loop, lower is faster; compare runs with it)",
        ),
        (
            "setup",
            f"{cfg['shoppers']:,} shoppers x {cfg['attempts']} attempts, {cfg['units']} units, "
            f"perUserLimit 1, {cfg['connections']} connections, {cfg['workers']} API workers "
            "+ 1 arq worker",
        ),
        (
            "seckillBuy attempts/s",
            f"{s['requests_per_s']:,.0f}  ({s['requests']:,} requests in {s['duration_s']:.2f} s; "
            f"median second {s['median_second_per_s']:,}, best {s['best_second_per_s']:,})",
        ),
        (
            "latency p50 / p95 / p99",
            f"{lat['p50']:.1f} / {lat['p95']:.1f} / {lat['p99']:.1f} ms (max {lat['max']:.1f})",
        ),
        ("outcomes", ", ".join(f"{k} {v:,}" for k, v in s["outcomes"].items())),
        (
            "successes (QUEUED)",
            f"{s['outcomes'].get('ok', 0):,}, the last {_last(s)} after the buying started",
        ),
        ("oversold / undersold", f"{a['oversold']} / {a['undersold']}"),
        ("queue drained", f"{d['drain_after_load_s']:.2f} s after the load ended"),
        (
            "orders persisted/s",
            f"{d['orders_per_s']:,.0f}  ({d['orders_persisted']} orders in "
            f"{d['persist_window_s']:.2f} s, first reservation to last order)",
        ),
        ("seckillBuy CPU", _cpu_text(s["cpu"])),
    ]
    if red:
        rows.append(
            (
                "(a) Redis ceiling",
                f"{red['pipelined_per_s']:,.0f} reservations/s pipelined (by {red['batch']}); "
                f"{red['single_client_per_s']:,.0f}/s one call at a time; "
                f"{red['server_usec_per_call']} us per call inside Redis",
            )
        )
    if tr:
        rows.append(
            (
                "(b) bare Starlette + Redis",
                f"{tr['requests_per_s']:,.0f} req/s, p50 {tr['latency_ms']['p50']:.1f} ms, p99 "
                f"{tr['latency_ms']['p99']:.1f} ms, sold out after {_last(tr)}; "
                f"{_cpu_text(tr['cpu'])}",
            )
        )
    if nv:
        rows.append(
            (
                "(c) naive DB via GraphQL",
                f"{nv['requests_per_s']:,.0f} req/s, p50 {nv['latency_ms']['p50']:.1f} ms, p99 "
                f"{nv['latency_ms']['p99']:.1f} ms, sold out after {_last(nv)}"
                f"{' (time-boxed)' if nv['timed_out'] else ''}; {_cpu_text(nv['cpu'])}",
            )
        )
    r = results["ratios"]
    parts = []
    if r.get("vs_redis_ceiling") is not None:
        parts.append(f"{r['vs_redis_ceiling'] * 100:.1f}% of (a)")
    if r.get("vs_transport") is not None:
        parts.append(f"{r['vs_transport'] * 100:.1f}% of (b)")
    if r.get("vs_naive") is not None:
        parts.append(f"{r['vs_naive']:.1f}x (c)")
    rows.append(("seckillBuy as a ratio", ", ".join(parts) or "-"))
    t = results["target"]
    rows.append(
        (
            "target",
            f">= {TARGET_RPS:,}/s: {'yes' if t['rps_met'] else 'NO'}; p99 <= {TARGET_P99_MS:.0f} "
            f"ms: {'yes' if t['p99_met'] else 'NO'}; oversold = undersold = 0: "
            f"{'yes' if t['correct'] else 'NO'}",
        )
    )
    rows.extend(_crowd_rows(results))
    fsync = results.get("durability")
    if fsync:
        fast, durable = fsync["runs"]["fast"], fsync["runs"]["durable"]
        rows.append(
            (
                "fsync: fast vs durable",
                f"{fast['requests_per_s']:,.0f} vs {durable['requests_per_s']:,.0f} req/s, p99 "
                f"{fast['latency_ms']['p99']:.1f} vs {durable['latency_ms']['p99']:.1f} ms "
                '(appendfsync everysec vs always; SECKILL_DURABILITY, README "Failures")',
            )
        )
        for name, run in (("fast", fast), ("durable", durable)):
            rows.append((f"{name} fsync audit", _audit_text(run["drain"]["audit"])))
    rows.extend(_room_rows(results.get("room")))
    rows.extend(_tracing_rows(results.get("tracing")))
    for key, title in (("cold_crowd", "cold crowd"), ("live_crowd", "live crowd")):
        if key in results:
            rows.append((f"{title} audit", _audit_text(results[key]["drain"]["audit"])))
    rows.append(("run time", f"{results['run_seconds']:.0f} s"))
    width = max(len(k) for k, _ in rows)
    print("\n" + "=" * 100)
    print("FlashMart benchmark".center(100))
    print("=" * 100)
    for key, value in rows:
        print(f"{key:<{width}}  {value}")
    print("-" * 100)
    print("audit:")
    for check in a["checks"]:
        print(f"  [{'PASS' if check['passed'] else 'FAIL'}] {check['name']}: {check['detail']}")
    print("-" * 100)
    print(f"results: {results['files']['json']}")
    print(f"chart:   {results['files']['png']}")
    print(f"command: {COMMAND}")
    print("=" * 100)
