"""An API process's copy of the token stamps it read, kept in step with Redis over pub/sub.

What a stamp is, who changes it and how a request is checked against it is the accounts
domain's (accounts/revocation.py, whose docstring describes when the copy may be used). This
module holds the copy itself: `Runtime.open(..., broker=True)` creates one per API process and
`follow`s the stamp channel with it; a writer calls `forget_in_process` so that a change made
in this process is seen here at once, before pub/sub brings it back.
"""

from __future__ import annotations

import contextlib
import time
import weakref
from collections.abc import AsyncIterator, Callable

from flashmart.core.keys import Keys
from flashmart.core.pubsub import RECONNECTED, Broker


class StampCache:
    """This process's copy of recently read stamps (see the module docstring)."""

    def __init__(self, *, ttl: float, maxsize: int = 100_000) -> None:
        self.ttl = ttl
        self.maxsize = maxsize
        self.live: Callable[[], bool] = lambda: False  # set by `follow`: pub/sub is connected
        self.generation = 0  # bumped by every invalidation
        self._entries: dict[int, tuple[bytes, float]] = {}
        _caches.add(self)

    def get(self, user_id: int) -> bytes | None:
        if not self.live():
            return None
        found = self._entries.get(user_id)
        if found is None:
            return None
        if found[1] <= time.monotonic():
            del self._entries[user_id]
            return None
        return found[0]

    def put(self, user_id: int, value: bytes, *, generation: int) -> None:
        """Keep `value`, read when the generation was `generation`, unless a change came since."""
        if self.ttl <= 0 or generation != self.generation or not self.live():
            return
        if len(self._entries) >= self.maxsize and user_id not in self._entries:
            del self._entries[next(iter(self._entries))]  # the oldest entry
        self._entries[user_id] = (value, time.monotonic() + self.ttl)

    def forget(self, user_id: int) -> None:
        self.generation += 1
        self._entries.pop(user_id, None)

    def clear(self) -> None:
        self.generation += 1
        self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)

    def on_message(self, message: bytes) -> None:
        if message == RECONNECTED:
            self.clear()
            return
        try:
            self.forget(int(message))
        except ValueError:
            self.clear()  # not a user id: trust nothing


_caches: weakref.WeakSet[StampCache] = weakref.WeakSet()


def forget_in_process(user_id: int) -> None:
    """Drop `user_id`'s entry from every copy in this process (the others hear it by pub/sub)."""
    for cache in list(_caches):
        cache.forget(user_id)


@contextlib.asynccontextmanager
async def follow(broker: Broker, keys: Keys, cache: StampCache) -> AsyncIterator[StampCache]:
    """Keep `cache` in step with every process's stamp changes while the block runs."""
    async with broker.listen(keys.token_stamps_channel, cache.on_message):
        cache.clear()  # nothing read before the subscription can be trusted
        cache.live = broker.connected.is_set
        try:
            yield cache
        finally:
            cache.live = lambda: False
            cache.clear()
