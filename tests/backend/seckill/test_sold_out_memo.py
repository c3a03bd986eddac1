"""SOLD_OUT answered without Redis for a moment after a sell-out (seckill/soldout.py), on
real Redis: exact stock under a concurrent crowd, the attempts still counted, a unit that
comes back on sale again once the memo's moment has passed."""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta

from flashmart.core.errors import ErrorCode
from flashmart.core.runtime import Runtime
from flashmart.orders import services as orders
from flashmart.orders.models import Order
from flashmart.seckill.audit import audit
from flashmart.seckill.buy import _tasks
from flashmart.seckill.soldout import sold_out_memo
from tests.backend.seckill.factories import drain, relaxed, shoppers, try_buy, warm_sale


async def _counted_attempts(runtime: Runtime, event_id: int) -> int:
    await asyncio.gather(*list(_tasks))  # the memo's tallies on their way to Redis
    seconds = await runtime.redis.hgetall(runtime.keys.event_attempts(event_id))
    return sum(int(count) for count in seconds.values())


async def test_a_crowd_sells_exactly_the_stock_and_most_refusals_skip_redis(
    runtime: Runtime,
) -> None:
    runtime = relaxed(runtime, seckill_sold_out_memo_ms=2000)
    users = await shoppers(120)
    event = await warm_sale(runtime, 20)
    memo = sold_out_memo(runtime)
    before = memo.answered

    async def shopper(user_id: int) -> list[ErrorCode | str]:
        return [await try_buy(runtime, user_id, event.id) for _ in range(3)]

    answers = [a for each in await asyncio.gather(*(shopper(u.id) for u in users)) for a in each]
    sold = [a for a in answers if isinstance(a, str)]
    assert len(sold) == 20 and len(set(sold)) == 20  # exactly the stock, one ticket each
    assert all(
        a in (ErrorCode.SOLD_OUT, ErrorCode.ALREADY_PURCHASED) for a in answers if a not in sold
    )
    answered = memo.answered - before
    assert answered > 200  # of 340 refusals, most never reached the script
    # The next attempt that runs the script after the memo's moment adds the tally: every
    # attempt is counted once, answered here or by reserve.lua.
    memo.until.pop(event.id)
    assert await try_buy(runtime, users[0].id, event.id) is ErrorCode.SOLD_OUT
    assert await _counted_attempts(runtime, event.id) == len(answers) + 1
    await drain(runtime)
    report = await audit(runtime, event.id)
    assert report.passed and report.sold == 20 and report.oversold == 0


async def test_a_unit_that_comes_back_sells_once_the_moment_has_passed(runtime: Runtime) -> None:
    # Long enough to outlast the order's persist and expiry below on a busy database.
    runtime = relaxed(runtime, seckill_sold_out_memo_ms=2000)
    first, second = await shoppers(2)
    event = await warm_sale(runtime, 1)
    assert isinstance(await try_buy(runtime, first.id, event.id), str)
    assert await try_buy(runtime, second.id, event.id) is ErrorCode.SOLD_OUT  # marks the memo
    await drain(runtime)
    order = await Order.get(seckill_event_id=event.id)
    await Order.filter(id=order.id).update(expires_at=order.created_at - timedelta(seconds=1))
    assert await orders.expire_order(runtime, order.id)  # the unit is back in Redis
    memo = sold_out_memo(runtime)
    answered = memo.answered
    assert await try_buy(runtime, second.id, event.id) is ErrorCode.SOLD_OUT  # the memo's
    assert memo.answered == answered + 1
    await asyncio.sleep(memo.until[event.id] - time.monotonic() + 0.05)  # the moment passes
    assert isinstance(await try_buy(runtime, second.id, event.id), str)  # the script's
    await drain(runtime)
    report = await audit(runtime, event.id)
    assert report.passed and report.sold == 1 and report.remaining == 0


async def test_units_left_but_too_few_or_a_zero_memo_answer_nothing(runtime: Runtime) -> None:
    runtime = relaxed(runtime, seckill_sold_out_memo_ms=5000)
    a, b, c = await shoppers(3)
    event = await warm_sale(runtime, 2, per_user_limit=3)
    memo = sold_out_memo(runtime)
    assert isinstance(await try_buy(runtime, a.id, event.id), str)
    assert await try_buy(runtime, b.id, event.id, 2) is ErrorCode.SOLD_OUT  # 1 left, wants 2
    assert event.id not in memo.until  # not sold out: nothing remembered
    assert isinstance(await try_buy(runtime, b.id, event.id), str)  # the last unit
    off = relaxed(runtime, seckill_sold_out_memo_ms=0)
    assert await try_buy(off, c.id, event.id) is ErrorCode.SOLD_OUT
    assert event.id not in memo.until  # 0: the memo is never set
    assert await try_buy(runtime, c.id, event.id) is ErrorCode.SOLD_OUT
    assert event.id in memo.until
