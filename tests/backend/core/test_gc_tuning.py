"""After start-up the collector leaves start-up objects alone and collects young ones less
often, and still collects garbage made later."""

from __future__ import annotations

import asyncio
import gc
import sys
import weakref
from collections.abc import Iterator
from typing import Any

import pytest
from httpx import ASGITransport, AsyncClient

from flashmart.core.gc_tuning import QUIET_SECONDS, HeapKeeper, settle_heap, time_pauses
from flashmart.graphql.transport import RequestError, decode_json


@pytest.fixture
def restored_gc() -> Iterator[None]:
    thresholds = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*thresholds)


class Node:
    def __init__(self) -> None:
        self.other: Node | None = None


def test_start_up_objects_are_frozen_and_later_cycles_still_collected(restored_gc: None) -> None:
    built_at_start_up = [object() for _ in range(100)]
    settle_heap(5000)
    assert gc.get_threshold()[0] == 5000
    assert gc.get_freeze_count() > 0
    assert not any(o is built_at_start_up for o in gc.get_objects())  # out of the collector's sight
    a, b = Node(), Node()
    a.other, b.other = b, a  # a cycle only the collector can free
    gone = weakref.ref(a)
    del a, b
    gc.collect()
    assert gone() is None


def test_zero_keeps_pythons_defaults(restored_gc: None) -> None:
    before = gc.get_threshold()
    frozen = gc.get_freeze_count()
    settle_heap(0)
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == frozen


async def test_the_app_settles_its_heap_once_started(app_factory: Any, restored_gc: None) -> None:
    app = app_factory(gc_young_threshold=4321)
    async with app.router.lifespan_context(app):
        assert gc.get_threshold()[0] == 4321
        assert gc.get_freeze_count() > 0
        async with AsyncClient(transport=ASGITransport(app=app), base_url="http://t") as client:
            assert (await client.get("/healthz")).status_code == 200


def _full_pauses(text: str) -> float:
    line = next(
        row
        for row in text.splitlines()
        if row.startswith('flashmart_gc_pause_seconds_count{generation="2"}')
    )
    return float(line.rsplit(" ", 1)[1])


async def test_collection_pauses_show_at_metrics(app_factory: Any, restored_gc: None) -> None:
    app = app_factory(gc_young_threshold=4321)
    transport = ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        AsyncClient(transport=transport, base_url="http://t") as client,
    ):
        before = _full_pauses((await client.get("/metrics")).text)
        gc.collect()
        gc.collect()
        after = _full_pauses((await client.get("/metrics")).text)
    assert after - before == 2


def test_the_keeper_freezes_survivors_only_in_a_quiet_moment(restored_gc: None) -> None:
    settle_heap(5000)
    busy = HeapKeeper(interval=1, full_every=3600, idle=lambda: 0.0)
    quiet = HeapKeeper(interval=1, full_every=3600, idle=lambda: 60.0)
    survivors = [Node() for _ in range(1000)]  # young, alive: what a burst leaves behind
    frozen = gc.get_freeze_count()
    assert not busy.tidy()
    assert gc.get_freeze_count() == frozen
    assert any(o is survivors[0] for o in gc.get_objects())  # still walked by collections
    assert quiet.tidy()
    assert gc.get_freeze_count() >= frozen + len(survivors)
    assert not any(o is survivors[0] for o in gc.get_objects())  # out of the collector's sight


def test_the_keepers_full_pass_frees_cycles_that_died_frozen(restored_gc: None) -> None:
    settle_heap(5000)
    keeper = HeapKeeper(interval=1, full_every=3600, idle=lambda: 60.0)
    a, b = Node(), Node()
    a.other, b.other = b, a
    gone = weakref.ref(a)
    keeper.tidy()  # the pair is frozen while alive
    del a, b  # now a cycle among frozen objects: only a full pass with unfreeze frees it
    gc.collect()
    assert gone() is not None
    keeper.full_every = 0  # due
    assert keeper.tidy() and keeper.full_passes == 1
    assert gone() is None


async def test_the_app_runs_the_keeper_between_requests(
    app_factory: Any, restored_gc: None
) -> None:
    app = app_factory(gc_young_threshold=5000, gc_keeper_interval_seconds=0.05)
    async with (
        app.router.lifespan_context(app),
        AsyncClient(transport=ASGITransport(app=app), base_url="http://t") as client,
    ):
        keeper = app.state.heap_keeper
        assert (await client.get("/healthz")).status_code == 200
        await asyncio.sleep(0.2)
        assert keeper.passes == 0  # a request started less than QUIET_SECONDS ago
        await asyncio.sleep(QUIET_SECONDS + 0.2)
        assert keeper.passes >= 1


def test_a_collection_at_the_recursion_limit_raises_nothing_out_of_the_clock(
    restored_gc: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A body nested 100,000 deep drives the JSON decoder to the recursion limit; collections
    that start there run the pause clock with no frames to spare. The body is refused with a
    400, and nothing escapes the collector as an unraisable exception."""
    unraisable: list[BaseException | None] = []
    monkeypatch.setattr(sys, "unraisablehook", lambda hook: unraisable.append(hook.exc_value))
    time_pauses()
    gc.set_threshold(1)  # a collection at nearly every allocation, at every depth
    body = '{"x": ' + "[" * 100_000 + "]" * 100_000 + "}"
    for _ in range(5):
        with pytest.raises(RequestError) as refused:
            decode_json(body)
        assert refused.value.status_code == 400
    gc.set_threshold(700)
    assert unraisable == []
