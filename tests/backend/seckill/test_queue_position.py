"""A QUEUED ticket's place in its sale's persistence queue: read by `queuePosition`, and
pushed by `seckillTicketUpdated` as the reservations ahead of it are written."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from flashmart.core.runtime import Runtime
from flashmart.graphql.ids import decode_ticket_id, encode_id
from flashmart.seckill.buy import TicketView, ticket_updates
from flashmart.seckill.models import TicketStatus
from flashmart.seckill.persist import persist_reservation
from flashmart.seckill.store import SaleStore
from tests.backend.helpers import Api, token_for
from tests.backend.seckill.factories import relaxed, shoppers, try_buy, warm_sale

BUY = "mutation($e: ID!) { seckillBuy(eventId: $e) { ticket { id status } userErrors { code } } }"
TICKET = "query($id: ID!) { seckillTicket(id: $id) { status queuePosition } }"


async def _queue_order(runtime: Runtime, event_id: int) -> list[str]:
    """The sale's reservations in the persistence queue's order (reserved ms, then id)."""
    ledger = await SaleStore.of(runtime).ledger(event_id)
    return [e.ticket_id for e in sorted(ledger, key=lambda e: (e.reserved_ms, e.ticket_id))]


async def _persist(runtime: Runtime, event_id: int, ticket_id: str) -> None:
    entry = await SaleStore.of(runtime).ledger_entry(event_id, ticket_id)
    assert entry is not None
    await persist_reservation(
        runtime, event_id=event_id, ticket_id=ticket_id, user_id=entry.user_id,
        quantity=entry.quantity, reserved_ms=entry.reserved_ms,
    )  # fmt: skip


async def test_queue_position_counts_the_reservations_not_written_before_it(
    api: Api, runtime: Runtime
) -> None:
    runtime = relaxed(runtime)
    users = await shoppers(3)
    event = await warm_sale(runtime, 5)
    tickets: list[tuple[str, str]] = []  # (graphql id, token)
    for user in users:
        token = token_for(user.id)
        body = await api.gql(BUY, {"e": encode_id("SeckillEvent", event.id)}, token=token)
        ticket = body["data"]["seckillBuy"]["ticket"]
        assert ticket["status"] == "QUEUED"
        tickets.append((ticket["id"], token))

    async def positions() -> list[tuple[str, int | None]]:
        found = []
        for gid, token in tickets:
            seen = (await api.gql(TICKET, {"id": gid}, token=token))["data"]["seckillTicket"]
            found.append((seen["status"], seen["queuePosition"]))
        return found

    order = await _queue_order(runtime, event.id)
    ids = [decode_ticket_id(gid) for gid, _ in tickets]
    assert await positions() == [("QUEUED", order.index(i) + 1) for i in ids]
    await _persist(runtime, event.id, order[0])
    assert await positions() == [
        ("SUCCEEDED", None) if i == order[0] else ("QUEUED", order.index(i)) for i in ids
    ]


async def test_the_ticket_subscription_pushes_the_place_as_it_moves(runtime: Runtime) -> None:
    runtime = relaxed(runtime)
    users = await shoppers(4)
    event = await warm_sale(runtime, 5)
    for user in users:
        assert isinstance(await try_buy(runtime, user.id, event.id), str)
    order = await _queue_order(runtime, event.id)
    last_id = order[-1]
    entry = await SaleStore.of(runtime).ledger_entry(event.id, last_id)
    assert entry is not None
    seen: list[TicketView | None] = []

    def place() -> int | None:
        return seen[-1].queue_position if seen and seen[-1] is not None else None

    async with Runtime.open(runtime.settings, broker=True) as api_runtime:

        async def follow() -> None:
            updates = ticket_updates(api_runtime, ticket_id=last_id, user_id=entry.user_id, rate=20)
            async for view in updates:
                seen.append(view)
                if view is None or view.status is not TicketStatus.QUEUED:
                    return

        task = asyncio.create_task(follow())
        try:
            await _until(lambda: place() == 4)
            for written, ticket_id in enumerate(order[:3], start=1):  # those ahead, one by one
                await _persist(runtime, event.id, ticket_id)
                await _until(lambda left=4 - written: place() == left)
            await _persist(runtime, event.id, last_id)
            await asyncio.wait_for(task, timeout=10)
        finally:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
    places = [v.queue_position for v in seen if v is not None and v.status is TicketStatus.QUEUED]
    assert places == [4, 3, 2, 1]
    last = seen[-1]
    assert last is not None and last.status is TicketStatus.SUCCEEDED
    assert last.queue_position is None


async def _until(check: Any, within: float = 10) -> None:
    async with asyncio.timeout(within):
        while not check():
            await asyncio.sleep(0.01)
