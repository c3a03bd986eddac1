"""Every metric family is declared with a closed set of values for each of its labels, and the
domain enums the code labels with fit those sets."""

from __future__ import annotations

from arq.worker import Function
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families

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


def assert_closed_labels(exposition: str, settings: Settings) -> int:
    """Every sample of `exposition` carries only declared label values; returns samples seen."""
    operations = operation_labels(settings)
    seen = 0
    for family in text_string_to_metric_families(exposition):
        if not family.name.startswith("flashmart_"):
            continue
        base = family.name.removesuffix("_created")  # counters' and histograms' _created
        declared = metrics.CLOSED_LABELS.get(base) or metrics.CLOSED_LABELS.get(f"{base}_total", {})
        for sample in family.samples:
            seen += 1
            for label, value in sample.labels.items():
                if label in ("le", "quantile"):
                    continue
                assert label in declared, (sample.name, label)
                allowed = declared[label]
                assert value in (operations if allowed is None else allowed), (sample.name, value)
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


def test_the_exposition_has_only_declared_values(settings: Settings) -> None:
    from flashmart.core.metrics import render

    body, _ = render()
    assert assert_closed_labels(body.decode(), settings) > 0
