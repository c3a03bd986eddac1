"""The room lane answers waitingRoomUpdated with the frames generic execution sends."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from websockets.asyncio.client import ClientConnection, connect

from flashmart.accounts.models import User
from flashmart.core.runtime import Runtime
from flashmart.graphql.ids import encode_id
from flashmart.seckill import room
from flashmart.seckill.models import AdmissionMode
from tests.backend.helpers import token_for
from tests.backend.seckill.factories import relaxed, sale, shoppers, try_buy, warm_sale
from tests.backend.subscriptions.conftest import next_frame, serving_view, ws_url

# The storefront's selection shape, with an alias, a fragment and __typename.
DOCUMENT = """
subscription Room($eventId: ID!) {
  entry: waitingRoomUpdated(eventId: $eventId) { __typename ...Entry place: position }
}
fragment Entry on WaitingRoomEntry {
  arrival position ahead estimatedWaitSeconds state grantExpiresAt
}
"""
ISO = re.compile(r'"grantExpiresAt":"([^"]+)"')


async def _subscribe(
    base_url: str, gid: str, token: str | None, document: str = DOCUMENT
) -> ClientConnection:
    ws = await connect(ws_url(base_url), subprotocols=["graphql-transport-ws"])  # type: ignore[list-item]
    payload = {"authorization": f"Bearer {token}"} if token else {}
    await ws.send(json.dumps({"type": "connection_init", "payload": payload}))
    assert json.loads(await ws.recv())["type"] == "connection_ack"
    await ws.send(json.dumps({
        "id": "1", "type": "subscribe",
        "payload": {"query": document, "variables": {"eventId": gid}, "operationName": "Room"},
    }))  # fmt: skip
    return ws


async def _session(
    app_factory: Callable[..., Any], runtime: Runtime, *, lane: bool
) -> tuple[list[str], int]:
    """The raw frames of one shopper's room subscription: waiting, admitted, grant used."""
    user = await User.create(email=f"room-{'lane' if lane else 'generic'}@example.com",
                             password_hash="x")  # fmt: skip
    event = await warm_sale(
        runtime, 1, starts_in=timedelta(seconds=2), admission_mode=AdmissionMode.WAITING_ROOM,
        lottery_window_seconds=0,
    )  # fmt: skip
    await room.join(
        runtime, event_id=event.id, user_id=user.id, client_ip="10.0.0.1", email_verified=False
    )
    gid = encode_id("SeckillEvent", event.id)
    frames: list[str] = []
    async with serving_view(app_factory, graphql_event_lane=lane, subscription_event_rate=20) as (
        base_url,
        view,
    ):
        ws = await _subscribe(base_url, gid, token_for(user.id))
        try:
            frames.append(await next_frame(ws))  # waiting, no place before the draw
            await asyncio.sleep(2.1)
            await room.tick(runtime)  # the draw, and the one unit's grant
            while '"state":"ADMITTED"' not in (frame := await next_frame(ws)):
                # the watcher may read the room between the draw and the admission
                assert '"position":1,"ahead":0' in frame and '"state":"WAITING"' in frame
            frames.append(frame)
            assert isinstance(await try_buy(runtime, user.id, event.id), str)
            frames.append(await next_frame(ws))  # the grant used: final
            frames.append(await next_frame(ws))  # complete
        finally:
            await ws.close()
        served = view.room_lane.served if view.room_lane is not None else 0
    return [ISO.sub('"grantExpiresAt":"<time>"', f) for f in frames], served


async def test_the_lane_sends_the_frames_generic_execution_sends(
    app_factory: Callable[..., Any], runtime: Runtime
) -> None:
    runtime = relaxed(runtime)
    generic, none = await _session(app_factory, runtime, lane=False)
    fast, served = await _session(app_factory, runtime, lane=True)
    assert (none, served) == (0, 1)
    assert fast == generic
    entries = [json.loads(f)["payload"]["data"]["entry"] for f in generic[:3]]
    assert [(e["state"], e["position"], e["place"], e["ahead"]) for e in entries] == [
        ("WAITING", None, None, None),
        ("ADMITTED", 1, 1, 0),
        ("ADMITTED", 1, 1, 0),
    ]
    assert entries[1]["grantExpiresAt"] == "<time>" and entries[2]["grantExpiresAt"] is None
    assert json.loads(generic[0])["payload"]["data"]["entry"]["__typename"] == "WaitingRoomEntry"
    assert json.loads(generic[3]) == {"id": "1", "type": "complete"}


async def test_the_generic_path_answers_what_the_lane_does_not(
    app_factory: Callable[..., Any], runtime: Runtime
) -> None:
    """A shopper not in the room, an anonymous connection, a sale without a room and another
    selection go to generic execution, which answers them."""
    runtime = relaxed(runtime)
    user, stranger = await shoppers(2)
    event = await warm_sale(
        runtime, 1, starts_in=timedelta(seconds=30), admission_mode=AdmissionMode.WAITING_ROOM,
    )  # fmt: skip
    plain = await sale(1)
    await room.join(
        runtime, event_id=event.id, user_id=user.id, client_ip="10.0.0.1", email_verified=False
    )
    gid = encode_id("SeckillEvent", event.id)
    async with serving_view(app_factory) as (base_url, view):

        async def answer(token: str | None, sale_gid: str, document: str = DOCUMENT) -> Any:
            ws = await _subscribe(base_url, sale_gid, token, document)
            try:
                return json.loads(await next_frame(ws))
            finally:
                await ws.close()

        not_joined = await answer(token_for(stranger.id), gid)
        assert "Join the waiting room first" in not_joined["payload"]["errors"][0]["message"]
        anonymous = await answer(None, gid)
        assert anonymous["type"] == "error"
        assert anonymous["payload"][0]["extensions"]["code"] == "UNAUTHENTICATED"
        no_room = await answer(token_for(user.id), encode_id("SeckillEvent", plain.id))
        assert no_room["payload"]["errors"][0]["message"] == "No such waiting room"
        assert view.room_lane is not None and view.room_lane.served == 1  # the stranger's try
        directive = (
            "subscription Room($eventId: ID!) {"
            " waitingRoomUpdated(eventId: $eventId) { state @include(if: true) arrival } }"
        )
        generic = await answer(token_for(user.id), gid, directive)
        assert generic["payload"]["data"]["waitingRoomUpdated"] == {
            "state": "WAITING",
            "arrival": 1,
        }
        assert view.room_lane.served == 1
