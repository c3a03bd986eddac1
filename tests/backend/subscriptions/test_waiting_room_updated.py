"""The waiting room through GraphQL: the admin's sale form, `waitingRoomJoin`, and
`waitingRoomUpdated` over graphql-transport-ws; and the room's subscribers sharing one Redis
read per tick of the sale's watcher, however many wait."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

from flashmart.accounts.models import Role, User
from flashmart.catalog.models import Product
from flashmart.core.runtime import Runtime
from flashmart.graphql.ids import decode_id, encode_id
from flashmart.seckill import live, room
from flashmart.seckill.models import AdmissionMode
from flashmart.seckill.room import EntryView, RoomState, RoomStore
from tests.backend.helpers import Api, token_for
from tests.backend.seckill.factories import relaxed, shoppers, warm_sale
from tests.backend.subscriptions.conftest import Stream, client, request

ERRORS = "userErrors { field message code }"
ROOM_FIELDS = "id startsAt admissionMode roomOpensAt lotteryWindowSeconds grantTtlSeconds admissionFactor drawSeed"
CREATE = f"""mutation($input: SeckillEventInput!) {{
  seckillEventCreate(input: $input) {{ event {{ {ROOM_FIELDS} }} {ERRORS} }}
}}"""
UPDATE = f"""mutation($id: ID!, $input: SeckillEventUpdateInput!) {{
  seckillEventUpdate(id: $id, input: $input) {{ event {{ {ROOM_FIELDS} }} {ERRORS} }}
}}"""
WARM = f"mutation($id: ID!) {{ seckillEventWarmup(id: $id) {{ event {{ id }} {ERRORS} }} }}"
ENTRY = "arrival position ahead estimatedWaitSeconds state grantExpiresAt"
JOIN = f"mutation($id: ID!) {{ waitingRoomJoin(eventId: $id) {{ entry {{ {ENTRY} }} {ERRORS} }} }}"
BUY = f"mutation($id: ID!) {{ seckillBuy(eventId: $id) {{ ticket {{ status }} {ERRORS} }} }}"
SALE = """query($id: ID!) { seckillEvent(id: $id) { drawSeed admissionMode
  waitingRoom { joined inDraw drawn admitted grantsOutstanding missed } } }"""
UPDATED = f"subscription($id: ID!) {{ waitingRoomUpdated(eventId: $id) {{ {ENTRY} }} }}"


STARTS_IN = 6  # seconds from the sale's creation to its start


async def _admin() -> str:
    admin = await User.create(email="boss@example.com", password_hash="x", role=Role.ADMIN)
    return token_for(admin.id, Role.ADMIN)


async def _create(api: Api, admin: str, **fields: Any) -> dict[str, Any]:
    product = await Product.create(
        name="Console", slug=f"console-{time.time_ns()}", price=Decimal("499.00"), stock=10
    )
    starts = datetime.now(UTC) + timedelta(seconds=STARTS_IN)
    body = await api.gql(
        CREATE,
        {
            "input": {
                "productId": encode_id("Product", product.id), "price": "299.00",
                "totalStock": 1, "startsAt": starts.isoformat(),
                "endsAt": (starts + timedelta(hours=1)).isoformat(), **fields,
            }
        },
        token=admin,
    )  # fmt: skip
    payload: dict[str, Any] = body["data"]["seckillEventCreate"]
    return payload


async def test_a_room_sale_from_the_form_to_admission_over_graphql(
    api: Api, ws_server: Callable[..., Any], runtime: Runtime
) -> None:
    admin = await _admin()
    refused = await _create(api, admin, admissionMode="WAITING_ROOM", grantTtlSeconds=0)
    assert refused["event"] is None
    assert refused["userErrors"][0]["code"] == "INVALID"
    assert refused["userErrors"][0]["field"] == ["grantTtlSeconds"]
    plain = (await _create(api, admin))["event"]
    assert plain["admissionMode"] == "FIRST_COME" and plain["drawSeed"] is None
    created = await _create(
        api, admin, admissionMode="WAITING_ROOM", lotteryWindowSeconds=0, grantTtlSeconds=30,
        admissionFactor=1,
    )  # fmt: skip
    assert created["userErrors"] == []
    sale = created["event"]
    assert (sale["admissionMode"], sale["lotteryWindowSeconds"], sale["admissionFactor"]) == (
        "WAITING_ROOM", 0, 1,
    )  # fmt: skip
    changed = await api.gql(
        UPDATE, {"id": sale["id"], "input": {"grantTtlSeconds": 20}}, token=admin
    )
    assert changed["data"]["seckillEventUpdate"]["event"]["grantTtlSeconds"] == 20
    for gid in (sale["id"], plain["id"]):
        await api.gql(WARM, {"id": gid}, token=admin)

    ann = await User.create(email="ann@example.com", password_hash="x")
    bob = await User.create(email="bob@example.com", password_hash="x")
    ann_token, bob_token = token_for(ann.id), token_for(bob.id)
    joined = (await api.gql(JOIN, {"id": sale["id"]}, token=ann_token))["data"]["waitingRoomJoin"]
    assert joined == {
        "entry": {
            "arrival": 1, "position": None, "ahead": None, "estimatedWaitSeconds": None,
            "state": "WAITING", "grantExpiresAt": None,
        },
        "userErrors": [],
    }  # fmt: skip
    again = (await api.gql(JOIN, {"id": sale["id"]}, token=ann_token))["data"]["waitingRoomJoin"]
    assert again["entry"]["arrival"] == 1 and again["userErrors"] == []
    await api.gql(JOIN, {"id": sale["id"]}, token=bob_token)
    wrong = (await api.gql(JOIN, {"id": plain["id"]}, token=ann_token))["data"]["waitingRoomJoin"]
    assert wrong["entry"] is None and wrong["userErrors"][0]["code"] == "NOT_WAITING_ROOM"

    async with (
        ws_server(subscription_event_rate=10) as base_url,
        client(base_url, ann_token) as ann_session,
        client(base_url, bob_token) as bob_session,
    ):
        streams = {
            ann.id: Stream(ann_session, request(UPDATED, id=sale["id"])),
            bob.id: Stream(bob_session, request(UPDATED, id=sale["id"])),
        }
        for stream in streams.values():
            first = await stream.wait_for(lambda _: True)
            assert first["waitingRoomUpdated"]["state"] == "WAITING"
            assert first["waitingRoomUpdated"]["position"] is None
        refused_buy = (await api.gql(BUY, {"id": sale["id"]}, token=ann_token))["data"]
        assert refused_buy["seckillBuy"]["userErrors"][0]["code"] == "NOT_STARTED"

        starts = datetime.fromisoformat(sale["startsAt"])
        await asyncio.sleep((starts - datetime.now(UTC)).total_seconds() + 0.1)  # no lottery
        assert await room.tick(runtime) == {"drawn": 1, "admitted": 1}  # 1 unit x factor 1
        record = await RoomStore.of(runtime).record(decode_id(sale["id"], "SeckillEvent"))
        winner, loser = record.order
        tokens = {ann.id: ann_token, bob.id: bob_token}

        def admitted(item: dict[str, Any]) -> bool:
            return item["waitingRoomUpdated"]["state"] == "ADMITTED"

        granted = (await streams[winner].wait_for(admitted))["waitingRoomUpdated"]
        assert granted["position"] == 1 and granted["grantExpiresAt"] is not None
        waiting = await streams[loser].wait_for(  # (a state between the draw and admission
            lambda item: (
                item["waitingRoomUpdated"]["position"] == 2  # has 1 ahead)
                and item["waitingRoomUpdated"]["ahead"] == 0
            )
        )
        assert waiting["waitingRoomUpdated"]["state"] == "WAITING"
        assert waiting["waitingRoomUpdated"]["ahead"] == 0
        not_yet = (await api.gql(BUY, {"id": sale["id"]}, token=tokens[loser]))["data"]
        assert not_yet["seckillBuy"]["userErrors"][0]["code"] == "NOT_ADMITTED"
        bought = (await api.gql(BUY, {"id": sale["id"]}, token=tokens[winner]))["data"]
        assert bought["seckillBuy"]["ticket"]["status"] == "QUEUED"
        sold_out = await streams[loser].wait_for(
            lambda item: item["waitingRoomUpdated"]["state"] == "SOLD_OUT", timeout=10
        )
        assert sold_out["waitingRoomUpdated"]["grantExpiresAt"] is None
        for stream in streams.values():
            await stream.close()

    seen = (await api.gql(SALE, {"id": sale["id"]}, token=admin))["data"]["seckillEvent"]
    assert seen["drawSeed"] == record.seed
    assert seen["waitingRoom"] == {
        "joined": 2, "inDraw": 2, "drawn": True, "admitted": 1, "grantsOutstanding": 0,
        "missed": 0,
    }  # fmt: skip
    shopper_view = await api.gql(SALE, {"id": sale["id"]}, token=ann_token)
    assert shopper_view["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert shopper_view["data"]["seckillEvent"]["drawSeed"] == record.seed  # public


SUBSCRIBERS = 300
UNITS = 5


@pytest.mark.slow
async def test_hundreds_waiting_cost_one_read_per_tick_and_each_knows_its_place(
    runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    runtime = relaxed(runtime)
    users = [u.id for u in await shoppers(SUBSCRIBERS)]
    event = await warm_sale(
        runtime, UNITS, starts_in=timedelta(seconds=1), admission_mode=AdmissionMode.WAITING_ROOM,
        lottery_window_seconds=0, grant_ttl_seconds=1, admission_factor=1,
    )  # fmt: skip
    for user_id in users:
        await room.join(
            runtime, event_id=event.id, user_id=user_id, client_ip="10.0.0.2", email_verified=False
        )
    await asyncio.sleep(1.1)
    await room.tick(runtime)  # the draw, and the first UNITS admitted

    reads: list[int | None] = []  # the user each RoomStore.read was for (None: the room's)
    real_read = RoomStore.read

    async def counted(self: RoomStore, event_id: int, user_id: int | None = None) -> Any:
        reads.append(user_id)
        return await real_read(self, event_id, user_id)

    monkeypatch.setattr(RoomStore, "read", counted)
    rate = 4.0
    last: dict[int, EntryView] = {}
    async with Runtime.open(runtime.settings, broker=True) as api_runtime:

        async def follow(user_id: int) -> None:
            async for view in live.room_updates(api_runtime, event.id, user_id, rate=rate):
                last[user_id] = view

        tasks = [asyncio.create_task(follow(u)) for u in users]
        try:
            deadline = time.monotonic() + 20
            while len(last) < SUBSCRIBERS and time.monotonic() < deadline:
                await asyncio.sleep(0.05)
            assert len(last) == SUBSCRIBERS
            reads.clear()
            started = time.monotonic()
            for _ in range(3):  # grants expire unused each second: UNITS more admitted each time
                await asyncio.sleep(1.05)
                await room.tick(runtime)
            await asyncio.sleep(0.5)
            elapsed = time.monotonic() - started
        finally:
            for task in tasks:
                task.cancel()
            for task in tasks:
                with contextlib.suppress(asyncio.CancelledError):
                    await task
    shared = reads.count(None)
    own = len(reads) - shared
    assert shared <= elapsed * rate + 2  # the watcher's reads: by time, not by subscribers
    # a subscriber reads its own entry only when its turn comes and when its grant runs out
    _, counters, _ = await RoomStore.of(runtime).read(event.id)
    assert counters is not None and counters.admitted == 4 * UNITS
    assert own <= 2 * 4 * UNITS
    # every waiting subscriber's last push agrees with a fresh read of its own entry
    record = await RoomStore.of(runtime).record(event.id)
    for position, user_id in enumerate(record.order, start=1):
        view = last[user_id]
        assert view.position == position
        if position > counters.admitted:
            assert view.state is RoomState.WAITING
            assert view.ahead == position - counters.admitted - 1
            assert view.estimated_wait_seconds is not None and view.estimated_wait_seconds > 0


async def test_joins_before_the_draw_wake_nobody_and_the_draw_places_everyone_in_one_read(
    runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Before the draw no entry's view changes however many join, so the room's subscribers
    sleep through the joins; the draw makes every entry stale at once, and the watcher reads
    them all in one round trip (`RoomStore.members`) instead of one read per subscriber."""
    runtime = relaxed(runtime)
    following, late = 150, 150
    users = [u.id for u in await shoppers(following + late)]
    event = await warm_sale(
        runtime, UNITS, starts_in=timedelta(seconds=8), admission_mode=AdmissionMode.WAITING_ROOM,
        lottery_window_seconds=0,
    )  # fmt: skip  # the start (the sale's status changes, news for all) after the joins

    async def join(user_id: int) -> None:
        await room.join(
            runtime, event_id=event.id, user_id=user_id, client_ip="10.0.0.3", email_verified=False
        )

    for user_id in users[:following]:
        await join(user_id)
    own_reads: list[int] = []
    batched: list[int] = []  # shoppers per RoomStore.members call
    views = 0
    real_read, real_members, real_view = RoomStore.read, RoomStore.members, live.entry_view

    async def counted_read(self: RoomStore, event_id: int, user_id: int | None = None) -> Any:
        if user_id is not None:
            own_reads.append(user_id)
        return await real_read(self, event_id, user_id)

    async def counted_members(self: RoomStore, event_id: int, user_ids: list[int]) -> Any:
        batched.append(len(user_ids))
        return await real_members(self, event_id, user_ids)

    def counted_view(*args: Any, **kwargs: Any) -> EntryView:
        nonlocal views
        views += 1
        return real_view(*args, **kwargs)

    monkeypatch.setattr(RoomStore, "read", counted_read)
    monkeypatch.setattr(RoomStore, "members", counted_members)
    monkeypatch.setattr(live, "entry_view", counted_view)
    last: dict[int, EntryView] = {}
    async with Runtime.open(runtime.settings, broker=True) as api_runtime:

        async def follow(user_id: int) -> None:
            async for view in live.room_updates(api_runtime, event.id, user_id, rate=10.0):
                last[user_id] = view

        tasks = [asyncio.create_task(follow(u)) for u in users[:following]]
        try:
            deadline = time.monotonic() + 20
            while len(last) < following and time.monotonic() < deadline:
                await asyncio.sleep(0.05)
            assert len(last) == following
            assert all(v.position is None and v.state is RoomState.WAITING for v in last.values())
            assert len(own_reads) == following
            await asyncio.sleep(0.3)
            # Each computed its view once (some twice: woken by the first state's fan-out
            # after reading it themselves).
            before = views
            assert following <= before < 2 * following
            for i, user_id in enumerate(users[following:]):  # joins over more than 10 ticks
                await join(user_id)
                if i % 10 == 0:
                    await asyncio.sleep(0.1)
            _, counters, _ = await RoomStore.of(runtime).read(event.id)
            assert counters is not None and counters.closes_ms / 1000 > time.time()  # not begun
            assert views == before  # nobody woke for the joins
            own_reads.clear()
            await asyncio.sleep(max(0.0, counters.closes_ms / 1000 - time.time()) + 0.05)
            await room.tick(runtime)  # the draw, and the first UNITS admitted
            # The draw is announced before the admission is written: a view may show its place
            # as WAITING first and ADMITTED on a later read. Wait for the final views.
            record = await RoomStore.of(runtime).record(event.id)
            places = {user_id: position for position, user_id in enumerate(record.order, start=1)}
            _, counters, _ = await real_read(RoomStore.of(runtime), event.id)
            assert counters is not None and counters.admitted > 0

            def expected(user_id: int) -> tuple[int, RoomState]:
                place = places[user_id]
                admitted = place <= counters.admitted
                return place, RoomState.ADMITTED if admitted else RoomState.WAITING

            def settled() -> bool:
                return all((v.position, v.state) == expected(u) for u, v in last.items())

            deadline = time.monotonic() + 20
            while not settled() and time.monotonic() < deadline:
                await asyncio.sleep(0.05)
        finally:
            for task in tasks:
                task.cancel()
            for task in tasks:
                with contextlib.suppress(asyncio.CancelledError):
                    await task
    assert own_reads == []  # no subscriber read its own entry for the draw
    assert 1 <= len(batched) <= 3 and batched[0] == following
    assert len(record.order) == following + late
    for user_id, view in last.items():
        assert (view.position, view.state) == expected(user_id)
