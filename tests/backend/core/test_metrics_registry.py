"""Every metric family is declared with a closed set of values for each of its labels, and the
domain enums the code labels with fit those sets."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from arq.worker import Function
from prometheus_client import REGISTRY

import flashmart.app  # registers every family the API's modules define
import flashmart.worker  # noqa: F401 - and the worker's
from flashmart.core import metrics
from flashmart.core.errors import ErrorCode
from flashmart.core.settings import Settings
from flashmart.graphql.extensions import INVALID, META_FIELDS, MULTIPLE
from flashmart.graphql.schema import build_schema
from flashmart.orders import state
from flashmart.payments.errors import WebhookRejection
from flashmart.seckill.errors import REFUSALS
from flashmart.seckill.persist import PersistOutcome
from flashmart.seckill.store import ReserveCode
from flashmart.worker import FUNCTIONS


def registered_label_names() -> dict[str, tuple[str, ...]]:
    """{family name as exposed (counters with _total): its label names}, from the registry."""
    found: dict[str, tuple[str, ...]] = {}
    for collector in list(REGISTRY._collector_to_names):
        names = REGISTRY._collector_to_names[collector]
        if not any(n.startswith("flashmart_") for n in names):
            continue
        labels = tuple(getattr(collector, "_labelnames", ()))
        family = getattr(collector, "_name", names[0])
        if isinstance(collector, metrics.Counter):
            family = f"{family}_total"
        found[family] = labels
    return found


def operation_labels(settings: Settings) -> set[str]:
    schema = build_schema(settings)._schema
    roots = [schema.query_type, schema.mutation_type, schema.subscription_type]
    fields = {name for root in roots if root is not None for name in root.fields}
    return fields | {INVALID, MULTIPLE} | set(META_FIELDS)


SAMPLE = re.compile(r"^(flashmart_[a-z0-9_]+)(?:\{(.*)\})? ")
LABEL = re.compile(r'(\w+)="((?:[^"\\]|\\.)*)"')
SUFFIXES = ("_total", "_created", "_bucket", "_count", "_sum")


def _declared(sample: str) -> dict[str, tuple[str, ...] | None] | None:
    bases = [sample] + [sample.removesuffix(s) for s in SUFFIXES if sample.endswith(s)]
    for base in bases:
        for name in (base, f"{base}_total"):
            if name in metrics.CLOSED_LABELS:
                return metrics.CLOSED_LABELS[name]
    return None


def assert_closed_labels(
    exposition: str, settings: Settings, *, known: frozenset[str] = frozenset()
) -> int:
    """Every flashmart_ sample of `exposition` (but the series in `known`, as `name{labels}`)
    carries only declared label values; returns the samples checked."""
    operations = operation_labels(settings)
    seen = 0
    for line in exposition.splitlines():
        found = SAMPLE.match(line)
        if found is None or line.rsplit(" ", 1)[0] in known:
            continue
        seen += 1
        labels = dict(LABEL.findall(found[2] or ""))
        labels.pop("le", None)
        declared = _declared(found[1])
        assert declared is not None or not labels, f"{found[1]}: labels without a declaration"
        for label, value in labels.items():
            assert declared is not None and label in declared, (found[1], label)
            allowed = declared[label]
            assert value in (operations if allowed is None else allowed), (found[1], label, value)
    return seen


def test_every_labelled_family_declares_its_label_values() -> None:
    registered = registered_label_names()
    assert "flashmart_seckill_buys_total" in registered
    for family, labels in registered.items():
        declared = metrics.CLOSED_LABELS.get(family)
        if not labels:
            assert declared is None, f"{family} has no labels"
            continue
        assert declared is not None, f"{family}: labels {labels} without a declared closed set"
        assert tuple(declared) == labels, family
        for label, values in declared.items():
            assert values is None or (values and len(values) < 1000), (family, label)
    assert set(metrics.CLOSED_LABELS) <= set(registered)


def test_the_domain_values_fit_the_declared_sets() -> None:
    answered = {error.value for error, _ in REFUSALS.values()}
    assert answered | {ReserveCode.RATE_LIMITED.value, "ok"} <= set(metrics.BUY_OUTCOMES)
    assert {o.value for o in PersistOutcome} == set(metrics.PERSIST_OUTCOMES)
    assert {r.value for r in WebhookRejection} <= set(metrics.WEBHOOK_RESULTS)
    releases = {t.target.value for t in state.TRANSITIONS.values() if t.releases_stock}
    assert releases == set(metrics.RELEASE_STATUSES)
    names = {f.name for f in FUNCTIONS if isinstance(f, Function)}
    assert len(names) == len(FUNCTIONS)
    assert names == set(metrics.JOB_FUNCTIONS)
    for outcome in metrics.CHECKOUT_OUTCOMES:
        assert outcome in ("created", "replayed", "error") or ErrorCode(outcome)
    # the buy service's pre-bound children: one per declared outcome, no other
    assert set(metrics.BUY_OUTCOME) == set(metrics.BUY_OUTCOMES)


def test_a_fresh_process_exposes_only_declared_values(settings: Settings) -> None:
    """A new process's registry (other tests here build breakers and jobs of their own)."""
    code = (
        "import flashmart.app, flashmart.worker, sys; from flashmart.core.metrics import render; "
    )
    code += "sys.stdout.write(render()[0].decode())"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert assert_closed_labels(done.stdout, settings) > 50


def test_an_undeclared_value_is_caught(settings: Settings) -> None:
    exposition = 'flashmart_seckill_buys_total{outcome="SOLD_OUT"} 1.0\n'
    assert assert_closed_labels(exposition, settings) == 1
    with pytest.raises(AssertionError):
        assert_closed_labels('flashmart_seckill_buys_total{outcome="x1"} 1.0\n', settings)
    with pytest.raises(AssertionError):
        assert_closed_labels(
            'flashmart_http_requests_total{route="/abc",status="200"} 1\n', settings
        )
