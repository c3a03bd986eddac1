"""SOLD_OUT answered without Redis for a moment after a reserve call found the sale sold out.

Once a sale's units are gone, nearly every attempt that follows is refused (in `make bench`,
24,474 of 25,000), and each still costs a reserve script call on the one Redis shard that
holds the sale (docs/scaling.md, "One hot sale past one node"). Each API process keeps, per
sale, the moment until which it answers SOLD_OUT itself: `mark` sets it
`SECKILL_SOLD_OUT_MEMO_MS` ahead when the script answers SOLD_OUT with no unit left; until
then `check` answers for the script. After it, the next attempt runs the script again, which
either confirms (and marks again) or, when a unit has come back (an unpaid order expired, a
refund returned it), reserves it. So a process makes a few script calls a second per sold-out
sale instead of one per attempt, and a unit that comes back is on sale to this process's
shoppers at most `SECKILL_SOLD_OUT_MEMO_MS` later.

What the script does besides answering SOLD_OUT is kept where it matters: the attempts the
memo answers are tallied per sale and second, and added to the sale's attempts counter (the
control room's attempts a second) by the next attempt that runs the script. The script's
earlier refusals (rate limits, the sale's window, verified-only sales) are not checked for an
answered attempt: the sale is sold out for everyone, and that answer is final. A sale whose
meta key is flagged sold out answers SOLD_OUT before the per-user check in the script too, so
a shopper who bought gets the same answer with or without the memo.
"""

from __future__ import annotations

import logging
import time
import weakref
from typing import Any

from flashmart.core.runtime import Runtime

logger = logging.getLogger("flashmart.seckill")


class SoldOutMemo:
    """One process's sold-out sales (event id → monotonic time the memo ends) and the
    attempts it answered that the sale's counter has not heard of yet."""

    def __init__(self) -> None:
        self.until: dict[int, float] = {}
        self.tally: dict[int, dict[int, int]] = {}  # event id → unix second → attempts
        self.answered = 0  # attempts answered here (tests and docs read it)

    def check(self, event_id: int) -> bool:
        """True: the sale is sold out for this attempt (counted in the tally)."""
        until = self.until.get(event_id)
        if until is None:
            return False
        if time.monotonic() >= until:
            del self.until[event_id]
            return False
        seconds = self.tally.setdefault(event_id, {})
        second = int(time.time())
        seconds[second] = seconds.get(second, 0) + 1
        self.answered += 1
        return True

    def mark(self, event_id: int, seconds: float) -> None:
        """Answer for the sale's script for `seconds` (0: not at all)."""
        if seconds > 0:
            self.until[event_id] = time.monotonic() + seconds

    def take_tally(self, event_id: int) -> dict[int, int] | None:
        return self.tally.pop(event_id, None)


_memos: weakref.WeakKeyDictionary[Any, SoldOutMemo] = weakref.WeakKeyDictionary()


def sold_out_memo(runtime: Runtime) -> SoldOutMemo:
    """This process's memo (one per Redis client, i.e. per runtime)."""
    found = _memos.get(runtime.redis)
    if found is None:
        found = _memos[runtime.redis] = SoldOutMemo()
    return found


async def add_tally(runtime: Runtime, event_id: int, seconds: dict[int, int]) -> None:
    """The memo's answered attempts into the sale's attempts counter (as reserve.lua counts
    its own: one hash field per unix second, kept an hour). A failure loses the figures,
    never an attempt."""
    key = runtime.keys.event_attempts(event_id)
    try:
        async with runtime.redis.pipeline(transaction=False) as pipe:
            for second, count in seconds.items():
                pipe.hincrby(key, str(second), count)
            pipe.expire(key, 3600)
            await pipe.execute()
    except Exception as exc:  # noqa: BLE001 - statistics only
        logger.debug("sold-out attempts not counted: %r", exc)
