"""Waiting rooms on real Redis: the draw (fair, reproducible from its seed), joins, grants in
the reserve script, expiry passing the turn on, and a crowd joining and buying at once."""

from __future__ import annotations

import asyncio
import hashlib
import os
import random
import sys
import time
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from flashmart.accounts.models import User
from flashmart.core import metrics
from flashmart.core.errors import ApiError, DomainFailure, ErrorCode
from flashmart.core.runtime import Runtime
from flashmart.core.settings import Settings
from flashmart.orders.models import Order
from flashmart.seckill import room
from flashmart.seckill.audit import audit, verify_draw
from flashmart.seckill.draw import admission_order, shuffled
from flashmart.seckill.events import EventInput, update_event
from flashmart.seckill.models import AdmissionMode, SeckillEvent, SeckillTicket, TicketStatus
from flashmart.seckill.room import RoomState, RoomStore
from tests.backend.helpers import TEST_SECRET
from tests.backend.seckill.factories import (
    drain,
    eventually,
    relaxed,
    running_worker,
    sale,
    shoppers,
    try_buy,
    warm_sale,
)

ROOM = AdmissionMode.WAITING_ROOM

# --- the draw -------------------------------------------------------------------------------

DRAWS = 200  # seeds sha256("fairness-<i>")[:32] for i < DRAWS: fixed, so the test is exact
ENTRANTS = 50
# Under a uniform shuffle a draw's Spearman rho has mean 0 and standard deviation
# 1/sqrt(ENTRANTS - 1) = 0.143; the mean of DRAWS of them 0.0101. Tolerance: 5 of those.
MEAN_RHO_TOLERANCE = 0.05
# Share of draws with |rho| above the two-sided 1% critical value for n = 50 (0.364): about 1%
# expected; more than 4% would say the order leans on the join order.
RHO_CRITICAL, RHO_OUTLIERS_MAX = 0.364, 0.04
# Per-position uniformity: each entrant's place in deciles of the order, over all draws: a
# 50 x 10 table of counts, 20 expected per cell; chi-square with 49 x 9 = 441 degrees of
# freedom has mean 441 and standard deviation 29.7: tolerance mean + 4 standard deviations.
DECILES, CHI2_MAX = 10, 441 + 4 * 29.7


def _seed(i: int) -> str:
    return hashlib.sha256(f"fairness-{i}".encode()).hexdigest()[:32]


def _spearman(order: list[int]) -> float:
    """Rank correlation of join order (the entrant's id, 0..n-1) with admission order."""
    n = len(order)
    d2 = sum((position - entrant) ** 2 for position, entrant in enumerate(order))
    return 1 - 6 * d2 / (n * (n * n - 1))


async def _draw_in_redis(
    runtime: Runtime, event_id: int, entrants: list[int], seed: str
) -> list[int]:
    """A room whose lottery window has closed with `entrants` in it, drawn by draw.lua."""
    keys = runtime.keys
    await runtime.redis.hset(keys.room(event_id), mapping={"closes": 0, "window": len(entrants)})
    if entrants:
        await runtime.redis.rpush(keys.room_joined(event_id), *entrants)
    result = await RoomStore.of(runtime).draw(event_id, seed)
    assert result.code is room.DrawCode.DRAWN and result.seed == seed
    return [int(u) for u in await runtime.redis.lrange(keys.room_order(event_id), 0, -1)]


async def test_the_draw_is_uncorrelated_with_join_order_and_its_seed_reproduces_it(
    runtime: Runtime,
) -> None:
    entrants = list(range(ENTRANTS))
    rhos: list[float] = []
    cells: Counter[tuple[int, int]] = Counter()
    for i in range(DRAWS):
        seed = _seed(i)
        order = await _draw_in_redis(runtime, 9_000_000 + i, entrants, seed)
        assert order == shuffled(entrants, seed)  # the published seed reproduces the draw
        assert sorted(order) == entrants
        rhos.append(_spearman(order))
        for position, entrant in enumerate(order):
            cells[entrant, position * DECILES // ENTRANTS] += 1
    mean = sum(rhos) / len(rhos)
    assert abs(mean) < MEAN_RHO_TOLERANCE, mean
    outliers = sum(abs(r) > RHO_CRITICAL for r in rhos) / len(rhos)
    assert outliers <= RHO_OUTLIERS_MAX, outliers
    expected = DRAWS / DECILES
    chi2 = sum((cells[e, d] - expected) ** 2 / expected for e in entrants for d in range(DECILES))
    assert chi2 < CHI2_MAX, chi2
    # the statistics can fail: the identity order (no shuffle at all) is caught
    assert abs(_spearman(entrants)) > MEAN_RHO_TOLERANCE


async def test_a_drawn_room_keeps_its_draw_and_small_rooms_draw(runtime: Runtime) -> None:
    assert await _draw_in_redis(runtime, 9_100_001, [], _seed(1)) == []
    assert await _draw_in_redis(runtime, 9_100_002, [7], _seed(2)) == [7]
    first = await _draw_in_redis(runtime, 9_100_003, [1, 2, 3, 4, 5, 6], _seed(3))
    again = await RoomStore.of(runtime).draw(9_100_003, _seed(4))  # a second draw: no change
    assert again.seed == _seed(3)
    order = await runtime.redis.lrange(runtime.keys.room_order(9_100_003), 0, -1)
    assert [int(u) for u in order] == first == shuffled([1, 2, 3, 4, 5, 6], _seed(3))
    assert admission_order([1, 2, 3, 4, 5, 6, 7, 8], 6, _seed(3)) == [*first, 7, 8]


# --- joining -------------------------------------------------------------------------------


async def _join(runtime: Runtime, user_id: int, event_id: int, *, verified: bool = False) -> object:
    """The entry, or the refusal's code."""
    try:
        return await room.join(
            runtime, event_id=event_id, user_id=user_id, client_ip="10.0.0.9",
            email_verified=verified,
        )  # fmt: skip
    except DomainFailure as failure:
        return failure.errors[0].code


async def test_joining_one_entry_per_account_within_the_window(runtime: Runtime) -> None:
    runtime = relaxed(runtime)
    users = await shoppers(3)
    event = await warm_sale(runtime, 5, starts_in=timedelta(hours=1), admission_mode=ROOM)
    first = await _join(runtime, users[0].id, event.id)
    assert isinstance(first, room.EntryView)
    assert (first.arrival, first.position, first.state) == (1, None, RoomState.WAITING)
    again = await _join(runtime, users[0].id, event.id)  # not an error: the same entry
    assert isinstance(again, room.EntryView) and again.arrival == 1
    second = await _join(runtime, users[1].id, event.id)
    assert isinstance(second, room.EntryView) and second.arrival == 2
    # a buy before the start is refused as before; after it, only with a grant
    assert await try_buy(runtime, users[0].id, event.id) is ErrorCode.NOT_STARTED

    plain = await warm_sale(runtime, 5)
    assert await _join(runtime, users[0].id, plain.id) is ErrorCode.NOT_WAITING_ROOM
    later = await warm_sale(
        runtime, 5, starts_in=timedelta(hours=1), admission_mode=ROOM,
        room_opens_at=datetime.now(UTC) + timedelta(minutes=30),
    )  # fmt: skip
    assert await _join(runtime, users[0].id, later.id) is ErrorCode.NOT_IN_JOIN_WINDOW
    cold = await sale(5, starts_in=timedelta(hours=1), admission_mode=ROOM)
    assert await _join(runtime, users[0].id, cold.id) is ErrorCode.NOT_IN_JOIN_WINDOW
    assert await _join(runtime, users[0].id, 987_654) is ErrorCode.NOT_FOUND
    verified = await warm_sale(
        runtime, 5, starts_in=timedelta(hours=1), admission_mode=ROOM, verified_only=True
    )
    assert await _join(runtime, users[2].id, verified.id) is ErrorCode.EMAIL_NOT_VERIFIED
    assert isinstance(await _join(runtime, users[2].id, verified.id, verified=True), room.EntryView)
    # nothing was written by the refusals
    _, counters, member = await RoomStore.of(runtime).read(later.id, users[0].id)
    assert counters is not None and counters.joined == 0 and member is None


async def test_joins_are_rate_limited(runtime: Runtime) -> None:
    runtime = relaxed(runtime, seckill_room_joins_per_user_minute=2)
    (user,) = await shoppers(1)
    event = await warm_sale(runtime, 5, starts_in=timedelta(hours=1), admission_mode=ROOM)
    await _join(runtime, user.id, event.id)
    await _join(runtime, user.id, event.id)
    with pytest.raises(ApiError) as limited:
        await _join(runtime, user.id, event.id)
    assert limited.value.code.value == "RATE_LIMITED"
    assert limited.value.extra["retryAfter"] >= 1


async def test_room_settings_are_validated_and_fixed_once_live(runtime: Runtime) -> None:
    for field, value in [
        ("lottery_window_seconds", -1), ("grant_ttl_seconds", 0), ("admission_factor", 101),
        ("room_opens_at", datetime.now(UTC) + timedelta(hours=2)),
    ]:  # fmt: skip
        with pytest.raises(DomainFailure) as refused:
            await sale(5, starts_in=timedelta(hours=1), admission_mode=ROOM, **{field: value})
        assert refused.value.errors[0].code is ErrorCode.INVALID
    event = await warm_sale(runtime, 5, starts_in=timedelta(hours=1))
    with pytest.raises(DomainFailure) as fixed:
        await update_event(runtime, event.id, EventInput(admission_mode=ROOM))
    assert fixed.value.errors[0].code is ErrorCode.INVALID_STATE
    cold = await sale(5, starts_in=timedelta(hours=1))
    changed = await update_event(
        runtime, cold.id, EventInput(admission_mode=ROOM, grant_ttl_seconds=30)
    )
    assert (changed.admission_mode, changed.grant_ttl_seconds) == (ROOM, 30)


# --- grants ----------------------------------------------------------------------------------


async def _wait_until(moment: datetime) -> None:
    await asyncio.sleep(max(0.0, (moment - datetime.now(UTC)).total_seconds()) + 0.05)


async def test_only_granted_shoppers_buy_each_grant_once_and_expired_grants_pass_on(
    runtime: Runtime,
) -> None:
    runtime = relaxed(runtime)
    users = await shoppers(5)
    event = await warm_sale(
        runtime, 2, starts_in=timedelta(seconds=1.5), admission_mode=ROOM,
        lottery_window_seconds=0, grant_ttl_seconds=1, admission_factor=1,
    )  # fmt: skip
    for user in users[:3]:
        await _join(runtime, user.id, event.id)
    assert (await room.tick(runtime))["drawn"] == 0  # the lottery window is still open
    await _wait_until(event.starts_at)
    late = await _join(runtime, users[3].id, event.id)  # after the window: behind the draw
    assert isinstance(late, room.EntryView) and late.arrival == 4

    assert await room.tick(runtime) == {"drawn": 1, "admitted": 2}  # 2 units x factor 1
    record = await RoomStore.of(runtime).record(event.id)
    drawn = shuffled([u.id for u in users[:3]], record.seed or "")
    assert record.order == drawn and record.admitted == drawn[:2]
    assert (await SeckillEvent.get(id=event.id)).draw_seed == record.seed  # published
    first, second, third = drawn
    assert await try_buy(runtime, third, event.id) is ErrorCode.NOT_ADMITTED
    assert await try_buy(runtime, users[3].id, event.id) is ErrorCode.NOT_ADMITTED
    assert isinstance(await try_buy(runtime, second, event.id), str)
    assert await try_buy(runtime, second, event.id) is ErrorCode.ALREADY_PURCHASED
    entry = await room.entry(runtime, event_id=event.id, user_id=first)
    assert entry is not None and entry.state is RoomState.ADMITTED
    assert entry.grant_expires_at is not None
    waiting = await room.entry(runtime, event_id=event.id, user_id=users[3].id)
    assert waiting is not None and (waiting.position, waiting.ahead) == (4, 1)  # `third` first
    assert waiting.state is RoomState.WAITING

    # `first` lets the grant run out: the turn passes to `third`, then to the late joiner
    await asyncio.sleep(1.1)
    assert await try_buy(runtime, first, event.id) is ErrorCode.NOT_ADMITTED
    assert (await room.tick(runtime))["admitted"] == 1
    missed = await room.entry(runtime, event_id=event.id, user_id=first)
    assert missed is not None and missed.state is RoomState.MISSED
    assert isinstance(await try_buy(runtime, third, event.id), str)  # the last unit
    assert (await room.tick(runtime))["admitted"] == 0  # nothing left to admit for
    sold_out = await room.entry(runtime, event_id=event.id, user_id=users[3].id)
    assert sold_out is not None and sold_out.state is RoomState.SOLD_OUT
    assert await _join(runtime, users[4].id, event.id) is ErrorCode.SOLD_OUT

    await drain(runtime)
    report = await audit(runtime, event.id)
    assert report.passed, report.checks
    assert {c.name for c in report.checks} >= {
        "no reservation without a grant", "no grant used twice",
        "admitted order equals the published draw",
    }  # fmt: skip
    assert {c.key for c in report.checks} == set(metrics.AUDIT_CHECKS) - {"error"}
    assert (await verify_draw(runtime, event.id)).passed


async def _verify_draw_command(settings: Settings, event_id: int) -> tuple[int, str]:
    """`flashmart seckill verify-draw ID` in a process of its own: (exit code, output)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("REDIS_", "DATABASE_"))}
    env.update(
        DATABASE_URL=settings.database_url, REDIS_URL=settings.redis_url or "",
        REDIS_PREFIX=settings.redis_prefix, JWT_SECRET=TEST_SECRET,
        PAYMENT_WEBHOOK_SECRET=TEST_SECRET, LOG_LEVEL="WARNING",
    )  # fmt: skip
    command = [sys.executable, "-m", "flashmart", "seckill", "verify-draw", str(event_id)]
    process = await asyncio.create_subprocess_exec(
        *command, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT
    )
    output, _ = await asyncio.wait_for(process.communicate(), timeout=60)
    return await process.wait(), output.decode()


async def test_verify_draw_re_runs_the_published_draw(runtime: Runtime, settings: Settings) -> None:
    runtime = relaxed(runtime)
    users = await shoppers(6)
    event = await warm_sale(
        runtime, 3, starts_in=timedelta(seconds=1), admission_mode=ROOM, lottery_window_seconds=0
    )
    for user in users:
        await _join(runtime, user.id, event.id)
    await _wait_until(event.starts_at)
    await room.tick(runtime)
    code, output = await _verify_draw_command(settings, event.id)
    assert code == 0 and "[PASS]" in output, output
    # a draw that is not the published seed's: two entrants swapped in Redis
    order = runtime.keys.room_order(event.id)
    first, second = await runtime.redis.lrange(order, 0, 1)
    await runtime.redis.lset(order, 0, second)
    await runtime.redis.lset(order, 1, first)
    code, output = await _verify_draw_command(settings, event.id)
    assert code == 1 and "[FAIL]" in output, output


async def test_the_audit_catches_a_reservation_without_a_grant(runtime: Runtime) -> None:
    runtime = relaxed(runtime)
    (user,) = await shoppers(1)
    event = await warm_sale(runtime, 2, admission_mode=ROOM, lottery_window_seconds=0)
    # A buy that went round the room (as a FIRST_COME sale's buy would): the meta's room flag
    # off for one call.
    meta = runtime.keys.event_meta(event.id)
    await runtime.redis.hset(meta, "room", "0")
    assert isinstance(await try_buy(runtime, user.id, event.id), str)
    await runtime.redis.hset(meta, "room", "1")
    report = await audit(runtime, event.id)
    failed = {c.name for c in report.checks if not c.passed}
    assert "no reservation without a grant" in failed


async def test_first_come_sales_ask_for_no_grant(runtime: Runtime) -> None:
    runtime = relaxed(runtime)
    (user,) = await shoppers(1)
    event = await warm_sale(runtime, 2)
    assert isinstance(await try_buy(runtime, user.id, event.id), str)
    assert await runtime.redis.exists(runtime.keys.room(event.id)) == 0


# --- the worker's cron --------------------------------------------------------------------


async def test_the_worker_draws_publishes_the_seed_and_admits(runtime: Runtime) -> None:
    runtime = relaxed(runtime)
    users = await shoppers(5)
    event = await warm_sale(
        runtime, 2, starts_in=timedelta(seconds=1), admission_mode=ROOM, lottery_window_seconds=0
    )
    for user in users:
        await _join(runtime, user.id, event.id)
    async with running_worker(runtime):

        async def seeded() -> bool:
            found = await SeckillEvent.get(id=event.id)
            return found.draw_seed is not None

        await eventually(seeded, within=30)

        async def admitted() -> bool:  # 2 units x factor 3 = 6 grants > 5 entrants: all 5
            return len((await RoomStore.of(runtime).record(event.id)).admitted) == 5

        await eventually(admitted, within=10)
        record = await RoomStore.of(runtime).record(event.id)
        assert record.seed == (await SeckillEvent.get(id=event.id)).draw_seed
        assert record.admitted == shuffled([u.id for u in users], record.seed or "")


# --- a crowd -----------------------------------------------------------------------------------

CROWD = 2000
EARLY = 1600  # join before the start (drawn); the others join during the sale
UNITS = 150
LIMIT = 2


@pytest.mark.slow
async def test_thousands_join_and_buy_at_once_exact_stock_only_to_admitted_shoppers(
    runtime: Runtime,
) -> None:
    runtime = relaxed(runtime)
    users = [u.id for u in await shoppers(CROWD)]
    rng = random.Random(11)
    idle = set(rng.sample(users, CROWD // 2))  # admitted, never buy: their grants expire
    event = await warm_sale(
        runtime, UNITS, per_user_limit=LIMIT, starts_in=timedelta(seconds=8), admission_mode=ROOM,
        lottery_window_seconds=0, grant_ttl_seconds=2, admission_factor=1,
    )  # fmt: skip
    joined = await asyncio.gather(*(_join(runtime, u, event.id) for u in users[:EARLY]))
    assert all(isinstance(j, room.EntryView) for j in joined)
    assert {j.arrival for j in joined if isinstance(j, room.EntryView)} == set(range(1, EARLY + 1))
    await _wait_until(event.starts_at)

    bought: dict[int, list[str]] = {}
    refused: Counter[object] = Counter()

    async def shopper(user_id: int) -> None:
        """Tries to buy about every second until it buys or it is sold out."""
        if user_id in idle:
            return
        quantity = 1 + user_id % LIMIT
        while True:
            result = await try_buy(runtime, user_id, event.id, quantity)
            if isinstance(result, str):
                bought.setdefault(user_id, []).append(result)
                return
            refused[result] += 1
            if result is ErrorCode.SOLD_OUT and quantity == 1:
                return
            if result is ErrorCode.SOLD_OUT:
                quantity = 1  # one unit may still be left
            await asyncio.sleep(0.5 + rng.random())

    async def admissions() -> None:
        while True:
            await room.tick(runtime)
            await asyncio.sleep(0.25)

    ticker = asyncio.create_task(admissions())
    deadline = time.monotonic() + 120
    try:
        late_joins = asyncio.gather(*(_join(runtime, u, event.id) for u in users[EARLY:]))
        buyers = [asyncio.create_task(shopper(u)) for u in users]
        assert all(isinstance(j, room.EntryView) for j in await late_joins)
        while time.monotonic() < deadline and not all(b.done() for b in buyers):
            remaining = int(await runtime.redis.get(runtime.keys.event_stock(event.id)))
            if remaining == 0:
                break
            await asyncio.sleep(0.2)
        for task in buyers:
            task.cancel()
        await asyncio.gather(*buyers, return_exceptions=True)
    finally:
        ticker.cancel()
    assert int(await runtime.redis.get(runtime.keys.event_stock(event.id))) == 0

    record = await RoomStore.of(runtime).record(event.id)
    admitted = set(record.admitted)
    assert set(bought) <= admitted  # only admitted shoppers bought
    assert all(len(tickets) == 1 for tickets in bought.values())  # each grant once
    assert refused[ErrorCode.NOT_ADMITTED] > 0  # the waiting were refused meanwhile
    assert admitted & idle  # idle shoppers were admitted ...
    _, counters, _ = await RoomStore.of(runtime).read(event.id)
    assert counters is not None and counters.missed > 0  # ... and missed: turns passed on
    assert counters.admitted > UNITS  # more admitted than units (a grant may go unused)
    await drain(runtime)
    tickets = await SeckillTicket.filter(event_id=event.id, status=TicketStatus.SUCCEEDED)
    assert sum(t.quantity for t in tickets) == UNITS  # exactly the stock
    assert await Order.filter(seckill_event_id=event.id).count() == len(tickets)
    per_user = Counter[int]()
    for ticket in tickets:
        per_user[ticket.user_id] += ticket.quantity
    assert max(per_user.values()) <= LIMIT
    assert set(per_user) <= admitted
    report = await audit(runtime, event.id)
    assert report.passed, report.checks
    # admitted in the draw's order: the early joiners first, then the late ones by arrival
    assert (
        record.admitted
        == admission_order(record.joined, EARLY, record.seed or "")[: len(record.admitted)]
    )
    assert await User.filter(id__in=list(admitted)).count() == len(admitted)
