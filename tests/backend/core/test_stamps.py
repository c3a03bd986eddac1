"""The API process's copy of token stamps: reused while it cannot be stale, dropped on change."""

from __future__ import annotations

import time

from flashmart.core.pubsub import RECONNECTED
from flashmart.core.stamps import StampCache


def _live_cache(ttl: float = 60) -> StampCache:
    cache = StampCache(ttl=ttl)
    cache.live = lambda: True
    return cache


def test_a_read_racing_a_change_is_not_kept() -> None:
    cache = _live_cache()
    generation = cache.generation
    cache.forget(7)  # a change lands while the read of user 7's stamp is on its way
    cache.put(7, b"0", generation=generation)
    assert cache.get(7) is None
    cache.put(7, b"1.5", generation=cache.generation)
    assert cache.get(7) == b"1.5"


def test_entries_expire_and_messages_drop_them() -> None:
    cache = _live_cache(ttl=0.05)
    cache.put(1, b"0", generation=cache.generation)
    cache.put(2, b"0", generation=cache.generation)
    cache.on_message(b"1")
    assert cache.get(1) is None and cache.get(2) == b"0"
    time.sleep(0.06)
    assert cache.get(2) is None
    cache = _live_cache()
    cache.put(3, b"0", generation=cache.generation)
    cache.on_message(RECONNECTED)  # messages may have been missed: trust nothing
    assert len(cache) == 0
    cache.put(4, b"0", generation=cache.generation)
    cache.on_message(b"garbage")
    assert len(cache) == 0


def test_nothing_is_used_or_kept_while_pub_sub_is_down() -> None:
    cache = _live_cache()
    cache.put(1, b"0", generation=cache.generation)
    cache.live = lambda: False
    assert cache.get(1) is None
    cache.put(2, b"0", generation=cache.generation)
    cache.live = lambda: True
    assert cache.get(2) is None and cache.get(1) == b"0"
    off = StampCache(ttl=0)
    off.live = lambda: True
    off.put(1, b"0", generation=off.generation)
    assert off.get(1) is None
