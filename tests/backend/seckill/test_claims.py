"""claim.lua and the batch settle script on real Redis: who may persist which reservation."""

from __future__ import annotations

import asyncio

from flashmart.core.runtime import Runtime
from flashmart.seckill import store
from flashmart.seckill.buy import buy
from flashmart.seckill.events import warm_up
from flashmart.seckill.persist import PersistOutcome, persist_batch
from flashmart.seckill.store import ClaimCode, SaleStore
from tests.backend.seckill.factories import relaxed, sale, shoppers

LIFETIME_MS = 60_000


async def _reserved(runtime: Runtime, n: int) -> tuple[int, list[str]]:
    users = await shoppers(n)
    event = await sale(n)
    await warm_up(runtime, event.id)
    tickets = []
    for user in users:  # one by one: the pending set's order is the reservation order
        ticket = await buy(
            runtime, user_id=user.id, event_id=event.id, quantity=1, client_ip="10.3.0.1"
        )
        tickets.append(ticket.id)
        await asyncio.sleep(0.002)
    return event.id, tickets


async def _claim(
    runtime: Runtime,
    event_id: int,
    own: str | None,
    *,
    batch: int = 3,
    lifetime_ms: int = LIFETIME_MS,
    token: str = "t",
    reserved_until_ms: int | None = None,
    defer_jobs: bool = False,
) -> store.Claim:
    return await SaleStore.of(runtime).claim(event_id=event_id, ticket_id=own, batch=batch,
        lifetime_ms=lifetime_ms, token=token, reserved_until_ms=reserved_until_ms,
        defer_jobs=defer_jobs,
    )  # fmt: skip


async def test_a_claim_takes_its_own_ticket_then_the_oldest_free_ones(runtime: Runtime) -> None:
    runtime = relaxed(runtime)
    event_id, tickets = await _reserved(runtime, 7)

    first = await _claim(runtime, event_id, tickets[5], token="a")
    assert first.code is ClaimCode.CLAIMED
    assert [e.ticket_id for e in first.entries] == [tickets[5], tickets[0], tickets[1]]
    assert all(e.state == "reserved" and e.quantity == 1 for e in first.entries)

    # A second claimer skips what the first holds; its own ticket, if held, answers HELD.
    held = await _claim(runtime, event_id, tickets[0], token="b")
    assert held.code is ClaimCode.HELD and 0 < held.held_ms <= LIFETIME_MS
    second = await _claim(runtime, event_id, None, batch=10, token="b")
    assert [e.ticket_id for e in second.entries] == [tickets[2], tickets[3], tickets[4], tickets[6]]
    assert (await _claim(runtime, event_id, None, token="c")).entries == []
    claims = await runtime.redis.hgetall(runtime.keys.event_claims(event_id))
    assert {v.decode().split(":")[1] for v in claims.values()} == {"a", "b"}

    # Settling drops entries from pending and claims; a settled own ticket has nothing to do.
    changed = await SaleStore.of(runtime).settle(event_id=event_id,
        states={tickets[5]: "persisted", tickets[0]: "failed", "unknown": "persisted"},
    )  # fmt: skip
    assert changed == 2
    assert (await _claim(runtime, event_id, tickets[5])).code is ClaimCode.SETTLED
    assert (await _claim(runtime, event_id, tickets[0])).code is ClaimCode.SETTLED
    assert (await _claim(runtime, event_id, "never-reserved")).code is ClaimCode.MISSING
    assert await SaleStore.of(runtime).pending_count(event_id) == 5
    assert await runtime.redis.hlen(runtime.keys.event_claims(event_id)) == 5
    states = {e.ticket_id: e.state for e in await SaleStore.of(runtime).ledger(event_id)}
    assert (states[tickets[5]], states[tickets[0]], states[tickets[1]]) == (
        "persisted", "failed", "reserved",
    )  # fmt: skip


async def test_a_lapsed_claim_is_taken_over_and_old_entries_only_on_request(
    runtime: Runtime,
) -> None:
    runtime = relaxed(runtime)
    event_id, tickets = await _reserved(runtime, 4)
    dead = await _claim(runtime, event_id, None, batch=2, lifetime_ms=100, token="dead")
    assert [e.ticket_id for e in dead.entries] == tickets[:2]
    assert (await _claim(runtime, event_id, tickets[0], lifetime_ms=100)).code is ClaimCode.HELD
    await asyncio.sleep(0.15)
    taken = await _claim(runtime, event_id, tickets[1], batch=2, lifetime_ms=100, token="new")
    assert [e.ticket_id for e in taken.entries] == [tickets[1], tickets[0]]

    # The reconciler asks only for entries reserved at or before a moment.
    entries = {e.ticket_id: e for e in await SaleStore.of(runtime).ledger(event_id)}
    until = entries[tickets[2]].reserved_ms
    stale = await _claim(runtime, event_id, None, batch=10, reserved_until_ms=until)
    assert [e.ticket_id for e in stale.entries] == [tickets[2]]


async def test_claimed_jobs_wait_for_the_claim_and_leave_the_queue_once_settled(
    runtime: Runtime,
) -> None:
    runtime = relaxed(runtime)
    event_id, tickets = await _reserved(runtime, 3)
    queue = runtime.keys.queue
    before = {t: await runtime.redis.zscore(queue, t) for t in tickets}
    claim = await _claim(runtime, event_id, tickets[0], token="a", defer_jobs=True)
    assert len(claim.entries) == 3
    claimed_ms = int(
        (await runtime.redis.hget(runtime.keys.event_claims(event_id), tickets[1])).split(b":")[0]
    )
    assert await runtime.redis.zscore(queue, tickets[0]) == before[tickets[0]]  # running: untouched
    for other in tickets[1:]:
        assert await runtime.redis.zscore(queue, other) == claimed_ms + LIFETIME_MS

    outcomes = await persist_batch(
        runtime, event_id=event_id, entries=claim.entries, own_ticket=tickets[0]
    )
    assert set(outcomes.values()) == {PersistOutcome.CREATED}
    assert await runtime.redis.zscore(queue, tickets[0]) is not None  # arq finishes its own
    for other in tickets[1:]:
        assert await runtime.redis.zscore(queue, other) is None
        ttl = await runtime.redis.pttl(runtime.keys.arq_job(other))
        assert 0 < ttl <= store.DROPPED_JOB_TTL_MS  # a worker that just started it still can
    assert await SaleStore.of(runtime).pending_count(event_id) == 0
    assert await runtime.redis.hlen(runtime.keys.event_claims(event_id)) == 0
