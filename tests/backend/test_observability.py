"""The alert rules and the Grafana dashboard parse, have the shape Prometheus and Grafana
expect, and name only metrics, labels and label values the application registers."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml
from prometheus_client import REGISTRY

import flashmart.app
import flashmart.worker
from flashmart.core import metrics

REPO = Path(__file__).resolve().parents[2]
ALERTS = REPO / "deploy/prometheus/alerts.yml"
PROMETHEUS = REPO / "deploy/prometheus/prometheus.yml"
RULE_TESTS = REPO / "deploy/prometheus/tests.yml"
COMPOSE = REPO / "docker-compose.yml"
PROMTOOL = shutil.which("promtool")
needs_promtool = pytest.mark.skipif(
    PROMTOOL is None,
    reason="promtool is not on PATH (Debian: apt-get install prometheus; it ships promtool)",
)
DASHBOARDS = sorted((REPO / "deploy/grafana/dashboards").glob("*.json"))
DATASOURCES = REPO / "deploy/grafana/provisioning/datasources/prometheus.yml"

DURATION = re.compile(r"^(\d+(ms|s|m|h|d|w|y))+$")
METRIC = re.compile(r"\b(flashmart_[a-z0-9_]+)")
# A metric's selector: `name{label="value", label=~"a|b", ...}`.
SELECTOR = re.compile(r"\b(flashmart_[a-z0-9_]+)\{([^}]*)\}")
MATCHER = re.compile(r'([a-z_]+)\s*(=~|!~|!=|=)\s*"([^"]*)"')
SUFFIXES = {"counter": ("_total",), "histogram": ("_bucket", "_count", "_sum"), "gauge": ("",)}


def registered_series_names() -> dict[str, str]:
    """{name a query may use: its family as declared in metrics.CLOSED_LABELS}."""
    assert flashmart.app  # imported for its side effect: every module's families registered
    names: dict[str, str] = {}
    for collector in list(REGISTRY._collector_to_names):
        if not isinstance(collector, metrics.Counter | metrics.Gauge | metrics.Histogram):
            continue  # the process and platform collectors
        for family in collector.describe():
            if not family.name.startswith("flashmart_"):
                continue
            declared = family.name + ("_total" if family.type == "counter" else "")
            for suffix in SUFFIXES[family.type]:
                names[family.name + suffix] = declared
    return names


def alert_rules() -> list[dict[str, Any]]:
    groups = yaml.safe_load(ALERTS.read_text())["groups"]
    return [rule for group in groups for rule in group["rules"]]


def dashboard_targets() -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
    return [
        (path.name, panel, target)
        for path in DASHBOARDS
        for panel in json.loads(path.read_text())["panels"]
        for target in panel.get("targets", [])
    ]


def expressions() -> list[tuple[str, str]]:
    found = [(f"alert {r['alert']}", r["expr"]) for r in alert_rules()]
    found += [(f"{name}: {panel['title']}", t["expr"]) for name, panel, t in dashboard_targets()]
    return found


def test_alert_rules_have_prometheus_shape() -> None:
    data = yaml.safe_load(ALERTS.read_text())
    assert set(data) == {"groups"}
    names = set()
    for group in data["groups"]:
        assert set(group) <= {"name", "interval", "rules"} and group["rules"]
        for rule in group["rules"]:
            assert set(rule) <= {"alert", "expr", "for", "labels", "annotations"}, rule
            assert re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", rule["alert"])
            assert rule["alert"] not in names
            names.add(rule["alert"])
            assert isinstance(rule["expr"], str) and rule["expr"].strip()
            assert "for" not in rule or DURATION.match(rule["for"]), rule["for"]
            assert rule["labels"]["severity"] in ("warning", "critical")
            assert rule["annotations"]["summary"]
            assert rule["expr"].count("(") == rule["expr"].count(")")
    assert {"FlashMartWorkerDown", "FlashMartQueueLag", "FlashMartBreakerOpen"} <= names
    assert "FlashMartSaleAuditFailing" in names


def test_prometheus_config_shape() -> None:
    config = yaml.safe_load(PROMETHEUS.read_text())
    assert DURATION.match(config["global"]["scrape_interval"])
    jobs = {job["job_name"] for job in config["scrape_configs"]}
    assert jobs == {"flashmart-api", "flashmart-worker"}
    for rule in alert_rules():
        for job in re.findall(r'\bjob="([^"]+)"', rule["expr"]):
            assert job in jobs, rule["alert"]


def test_dashboards_have_grafana_shape() -> None:
    assert DASHBOARDS, "no dashboard in deploy/grafana/dashboards"
    (source,) = yaml.safe_load(DATASOURCES.read_text())["datasources"]
    for path in DASHBOARDS:
        dashboard = json.loads(path.read_text())
        assert (
            dashboard["uid"] and dashboard["title"] and isinstance(dashboard["schemaVersion"], int)
        )
        ids = [panel["id"] for panel in dashboard["panels"]]
        assert len(ids) == len(set(ids)), "panel ids must be unique"
        for panel in dashboard["panels"]:
            grid = panel["gridPos"]
            assert grid["x"] >= 0 and grid["x"] + grid["w"] <= 24 and grid["h"] > 0
            if panel["type"] == "row":
                continue
            assert panel["type"] in ("timeseries", "stat"), panel["title"]
            assert panel["datasource"] == {"type": "prometheus", "uid": source["uid"]}
            refs = [t["refId"] for t in panel["targets"]]
            assert panel["targets"] and len(refs) == len(set(refs)), panel["title"]
    titles = {p["title"] for p in json.loads(DASHBOARDS[0].read_text())["panels"]}
    assert {"Buy attempts/s by outcome", "seckillBuy latency", "Queue"} <= titles
    assert "Sale audit: ended sales failing each check" in titles


@pytest.mark.parametrize(("where", "expr"), expressions())
def test_every_metric_an_expression_names_is_registered(where: str, expr: str) -> None:
    registered = registered_series_names()
    used = METRIC.findall(expr)
    assert used or re.search(r'\bup\{job="', expr), f"{where} names no metric of ours"
    for name in used:
        assert name in registered, f"{where}: {name} is not a registered series"
    for name, matchers in SELECTOR.findall(expr):
        declared = metrics.CLOSED_LABELS.get(registered[name], {})
        for label, op, value in MATCHER.findall(matchers):
            if label == "le":
                continue
            assert label in declared, f"{where}: {name} has no label {label}"
            allowed = declared[label]
            if allowed is None or op in ("!=", "!~"):
                continue
            options = value.split("|") if op == "=~" else [value]
            for option in options:
                if re.fullmatch(r"[\w/]+", option):  # a literal, not a pattern
                    assert option in allowed, f"{where}: {label}={option!r} never occurs"
                else:
                    assert any(re.fullmatch(option, v) for v in allowed), (where, option)


def test_the_checks_catch_an_unknown_metric() -> None:
    registered = registered_series_names()
    assert "flashmart_seckill_buys_total" in registered
    assert "flashmart_seckill_persist_lag_seconds_bucket" in registered
    assert "flashmart_seckill_buys" not in registered  # a counter is queried with _total
    assert "flashmart_queue_jobs_total" not in registered


def test_every_alert_has_a_unit_test_that_fires_it() -> None:
    """deploy/prometheus/tests.yml (run by promtool below) has, for each alert, a case where
    it must fire and one where it must not."""
    groups = yaml.safe_load(RULE_TESTS.read_text())
    assert groups["rule_files"] == [ALERTS.name]
    cases = [case for group in groups["tests"] for case in group["alert_rule_test"]]
    fired = {case["alertname"] for case in cases if case.get("exp_alerts")}
    quiet = {case["alertname"] for case in cases if not case.get("exp_alerts")}
    names = {rule["alert"] for rule in alert_rules()}
    assert fired == names and quiet == names


def _promtool(*args: str | Path) -> str:
    assert PROMTOOL is not None
    done = subprocess.run([PROMTOOL, *map(str, args)], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


@needs_promtool
def test_promtool_accepts_the_alert_rules_and_the_config(tmp_path: Path) -> None:
    assert f"SUCCESS: {len(alert_rules())} rules found" in _promtool("check", "rules", ALERTS)
    # The config names its rule file where docker-compose.yml mounts deploy/prometheus.
    (mount,) = [
        volume
        for volume in yaml.safe_load(COMPOSE.read_text())["services"]["prometheus"]["volumes"]
        if volume.startswith("./deploy/prometheus:")
    ]
    inside = mount.split(":")[1]
    copy = tmp_path / "prometheus"
    shutil.copytree(PROMETHEUS.parent, copy)
    config = PROMETHEUS.read_text()
    assert f"{inside}/{ALERTS.name}" in config
    (copy / PROMETHEUS.name).write_text(config.replace(inside, str(copy)))
    checked = _promtool("check", "config", copy / PROMETHEUS.name)
    assert "is valid prometheus config file syntax" in checked
    assert f"SUCCESS: {len(alert_rules())} rules found" in checked  # the rule file it loaded


@needs_promtool
def test_the_alerts_fire_on_their_unit_tests() -> None:
    """`promtool test rules`: each alert fires on the series that must fire it, with its
    labels and annotations, and stays quiet on the others (deploy/prometheus/tests.yml)."""
    assert "SUCCESS" in _promtool("test", "rules", RULE_TESTS)


def _bench_dashboard() -> Any:
    """bench/dashboard.py (bench/ is not a package; it needs the `bench` extra: matplotlib)."""
    pytest.importorskip("matplotlib")
    import importlib
    import sys

    sys.path.insert(0, str(REPO / "bench"))
    try:
        return importlib.import_module("dashboard")
    finally:
        sys.path.remove(str(REPO / "bench"))


def test_the_dashboard_script_scrapes_the_repository_jobs_and_rules(tmp_path: Path) -> None:
    """bench/dashboard.py's Prometheus: the repository's jobs and alert rules, file targets
    (bench/run.py --scrape-targets writes <job>.json), a 1 s scrape; promtool accepts it."""
    dashboard = _bench_dashboard()
    config = dashboard.prometheus_config(tmp_path)
    repository = yaml.safe_load(PROMETHEUS.read_text())
    assert [j["job_name"] for j in config["scrape_configs"]] == [
        j["job_name"] for j in repository["scrape_configs"]
    ]
    for job in config["scrape_configs"]:
        assert job["file_sd_configs"][0]["files"] == [str(tmp_path / f"{job['job_name']}.json")]
        assert "dns_sd_configs" not in job
        (tmp_path / f"{job['job_name']}.json").write_text("[]")
    assert config["rule_files"] == [str(ALERTS)]
    assert config["global"]["scrape_interval"] == "1s"
    if PROMTOOL is not None:
        path = tmp_path / "prometheus.yml"
        path.write_text(yaml.safe_dump(config))
        assert "is valid prometheus config file syntax" in _promtool("check", "config", path)


def test_the_dashboard_script_draws_every_panel_where_the_grid_puts_it(tmp_path: Path) -> None:
    dashboard = _bench_dashboard()
    spec = json.loads(DASHBOARDS[0].read_text())
    series = {"name": "ok", "times": [0.0, 1.0, 2.0], "values": [0.0, 5.0, 3.0]}
    data = {
        "start": 0.0,
        "end": 2.0,
        "step": 1.0,
        "panels": {str(p["id"]): [series] for p in spec["panels"]},
    }
    data["panels"][str(spec["panels"][1]["id"])] = []  # a panel without data
    out = tmp_path / "dashboard.png"
    dashboard.draw(spec, data, out, "caption")
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert dashboard.legend("{{function}} {{outcome}}", {"function": "f", "outcome": "ok"}) == (
        "f ok"
    )
    assert dashboard.format_value(0.0123, "s") == "12.3 ms"
    assert dashboard.format_value(6500.0, "reqps") == "6.5k req/s"
