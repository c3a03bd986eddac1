"""graphql-transport-ws sessions: authentication from `connection_init`, limits, keep-alive.

- The access token travels in the `connection_init` payload as
  `{"authorization": "Bearer <token>"}` and is checked by the same function as an HTTP request
  (`verify_access_token`: signature, expiry, revocation). A missing token makes an anonymous
  session (public subscriptions only); an invalid, expired or revoked one closes the socket with
  **4403 Forbidden**, as does going over the per-user connection limit, or for anonymous
  sessions over the per-client-address limit (`SUBSCRIPTION_MAX_ANONYMOUS_PER_ADDRESS`).
- Before `connection_init`, a socket counts in a set of its own per client address, capped at
  the same `SUBSCRIPTION_MAX_ANONYMOUS_PER_ADDRESS`: one over is closed with **4403** at once,
  and one that sends no `connection_init` within `SUBSCRIPTION_INIT_TIMEOUT_SECONDS` with
  **4408** (Strawberry). The message moves the socket out of that set (into its user's or its
  address's), so a signed-in shopper's limit is the per-user one whatever their address.
- When the token that opened the session expires, the server closes it with **4403**: the
  client refreshes its token and reconnects (subscriptions send the current state first).
- Connections per user, and anonymous ones per client address, are counted across every API
  process in Redis (`ws_limits`: a sorted set of connection ids with heartbeat scores, so a
  dead process's sockets free themselves).
  Subscriptions per connection are capped by Strawberry (`max_subscriptions_per_connection`):
  one more is answered with an `error` message.
- Keep-alive: Strawberry's graphql-transport-ws handler only answers the client's `ping`; here
  the server also sends a protocol `ping` every `SUBSCRIPTION_PING_INTERVAL_SECONDS` once the
  connection is acknowledged (idle proxies see traffic), and closes with **1008** a socket
  whose peer did not answer with `pong` before the next one was due (a dead peer). Pings and
  slot heartbeats of every socket of the process are one clock's work (`ws_clock.py`).
- A `subscribe` message whose query is over MAX_QUERY_LENGTH characters is answered with the
  protocol's `error` message (`QUERY_TOO_LARGE`, graphql/limits.py) before anything parses it.
- Cross-site pages are refused at the handshake (HTTP 403) by Strawberry's origin check: a
  browser's `Origin` must be the host the request was sent to or one of `CORS_ORIGINS`.
- A `subscribe` payload may name its document by `documentId`; it is resolved, and checked
  against TRUSTED_DOCUMENTS_ONLY, before the operation starts (graphql/trusted_documents.py):
  a refusal is the operation's `error` message, with the code in `extensions.code`.
- Messages for people (errors, userErrors) are written in the language the `connection_init`
  payload names (`{"language": "zh-CN"}`: the storefront sends the language the page is shown
  in), else in that of the upgrade request's `Accept-Language` (the browser's), core/i18n.py.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import uuid
from collections.abc import Awaitable
from dataclasses import dataclass
from typing import Any, cast

from graphql import GraphQLError, GraphQLFormattedError
from redis.exceptions import RedisError
from starlette.websockets import WebSocketDisconnect
from strawberry.asgi import ASGIWebSocketAdapter
from strawberry.exceptions import ConnectionRejectionError
from strawberry.http.exceptions import WebSocketDisconnected
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
    Operation,
)
from strawberry.subscriptions.protocols.graphql_transport_ws.types import (
    ConnectionInitMessage,
    ErrorMessage,
    NextMessagePayload,
    PongMessage,
    SubscribeMessage,
)
from strawberry.types import ExecutionResult

from flashmart.accounts.revocation import verify_access_token
from flashmart.accounts.tokens import InvalidToken, bearer_token
from flashmart.core.errors import ApiError
from flashmart.core.i18n import language_var, parse_accept_language
from flashmart.core.metrics import GENERIC_MESSAGE, LIVE_MESSAGE, WS_CONNECTIONS
from flashmart.graphql.context import Context
from flashmart.graphql.error_mapping import format_error, outage_retry_after, unavailable_error
from flashmart.graphql.eventlane import EventLane, encoded, next_head, next_message
from flashmart.graphql.limits import query_too_large
from flashmart.graphql.plans import Plan
from flashmart.graphql.roomlane import RoomLane
from flashmart.graphql.roomlane import encoded as room_encoded
from flashmart.graphql.trusted_documents import GRAPHIQL_MARKER, Gate
from flashmart.graphql.ws_clock import FORBIDDEN, ConnectionClock, Entry
from flashmart.graphql.ws_limits import ConnectionSlots
from flashmart.graphql.wsdirect import Direct
from flashmart.seckill.events import SeckillStatus
from flashmart.seckill.live import EventSnapshot

logger = logging.getLogger("flashmart.subscriptions")

_SLOT = "ws-connection-slot"  # context.extra: the `Slot` this connection holds
_ANSWERED: Any = object()  # `_lane_lookup`: the operation was answered (an outage's error)


@dataclass(frozen=True)
class Slot:
    """The connection's entry in its holder's set (a user's, or an address's)."""

    key: str
    connection_id: str
    maximum: int


def slots(context: Context) -> ConnectionSlots:
    runtime = context.runtime
    return ConnectionSlots(
        runtime.redis,
        heartbeat_seconds=runtime.settings.subscription_heartbeat_seconds,
    )


async def authenticate(context: Context) -> None:
    """Set `context.viewer` from the `connection_init` payload, or refuse the connection."""
    params = context.connection_params or {}
    raw = params.get("authorization") or params.get("Authorization")
    token = bearer_token(raw) if isinstance(raw, str) else None
    if raw is not None and token is None:
        raise ConnectionRejectionError({"message": "Malformed authorization"})
    settings = context.settings
    if token is None:
        context.viewer = None  # anonymous: only public subscriptions
        context.auth_problem = None
        key = context.runtime.keys.ws_anonymous_connections(context.client_ip)
        await _take_slot(context, key, settings.subscription_max_anonymous_per_address)
        return
    try:
        context.viewer = await verify_access_token(context.runtime, token)
    except InvalidToken as exc:
        raise ConnectionRejectionError({"message": "Invalid or expired access token"}) from exc
    except Exception as exc:  # an outage (the check fell back to the database): as a lost slot
        if outage_retry_after(exc) is None:
            raise
        raise ConnectionRejectionError({"message": "Try again later"}) from exc
    context.auth_problem = None
    key = context.runtime.keys.ws_connections(context.viewer.user_id)
    try:
        await _take_slot(context, key, settings.subscription_max_connections_per_user)
    except ConnectionRejectionError:
        context.viewer = None
        raise


async def _take_slot(context: Context, key: str, maximum: int) -> None:
    slot = Slot(key=key, connection_id=uuid.uuid4().hex, maximum=maximum)
    try:
        held = await slots(context).acquire(key, slot.connection_id, maximum=maximum)
    except RedisError as exc:
        raise ConnectionRejectionError({"message": "Try again later"}) from exc
    if not held:
        raise ConnectionRejectionError({"message": "Too many connections"})
    context.extra[_SLOT] = slot


def error_message(operation_id: str, *errors: dict[str, Any]) -> ErrorMessage:
    """The protocol's `error` message of one operation, with errors already shaped
    (`error_mapping.format_error`, `unavailable_error`)."""
    payload = [cast(GraphQLFormattedError, error) for error in errors]
    return {"id": operation_id, "type": "error", "payload": payload}


class ShapedOperation(Operation[Context, None]):
    """An operation whose errors are shaped as over HTTP (`error_mapping.format_error`: a code
    on every error, no internals in the message); Strawberry's sends graphql-core's own."""

    __slots__ = ()

    async def send_initial_errors(self, errors: list[GraphQLError]) -> None:
        await self.send_operation_message(error_message(self.id, *map(format_error, errors)))

    async def send_next(self, execution_result: ExecutionResult) -> None:
        payload: NextMessagePayload = {"data": execution_result.data}
        if execution_result.errors:
            payload["errors"] = [
                cast(GraphQLFormattedError, format_error(e)) for e in execution_result.errors
            ]
        if execution_result.extensions:
            payload["extensions"] = execution_result.extensions
        await self.send_operation_message({"id": self.id, "type": "next", "payload": payload})
        GENERIC_MESSAGE.inc()


class TransportWSHandler(BaseGraphQLTransportWSHandler[Context, None]):
    """Strawberry's handler plus: the pending-socket cap, server pings, slot heartbeats, close
    at token expiry, and errors shaped as over HTTP (`ShapedOperation`)."""

    _tasks: list[asyncio.Task[None]] | None = None
    _on_clock: Entry | None = None  # pings and heartbeats (ws_clock.py) once acknowledged
    _direct: Direct | None = None  # the socket's direct frame writer, once acknowledged
    pong_due = False  # a ping went out and its pong has not come back yet
    _pending: Slot | None = None  # held from the handshake until `connection_init`

    async def handle(self) -> None:
        context = self.context
        maximum = context.settings.subscription_max_anonymous_per_address
        pending = Slot(
            key=context.runtime.keys.ws_pending_connections(context.client_ip),
            connection_id=uuid.uuid4().hex,
            maximum=maximum,
        )
        try:
            held = await slots(context).acquire(pending.key, pending.connection_id, maximum=maximum)
        except RedisError:
            await self._close(FORBIDDEN, "Try again later")
            return
        if not held:
            await self._close(FORBIDDEN, "Too many connections")
            return
        self._pending = pending
        WS_CONNECTIONS.inc()
        try:
            await super().handle()
        finally:
            WS_CONNECTIONS.dec()
            await self._release_pending()

    async def _release_pending(self) -> None:
        pending, self._pending = self._pending, None
        if pending is not None:
            with contextlib.suppress(RedisError):  # else the entry goes stale by itself
                await slots(self.context).release(pending.key, pending.connection_id)

    async def handle_subscribe(self, message: SubscribeMessage) -> None:
        """Strawberry's, with the payload's document resolved and admitted first
        (graphql/trusted_documents.py; a refusal is the operation's `error` message) and
        `ShapedOperation` for its operations."""
        if not self.connection_acknowledged:
            await self.websocket.close(code=4401, reason="Unauthorized")
            return
        if message["id"] in self.operations:
            await self.websocket.close(
                code=4409, reason=f"Subscriber for {message['id']} already exists"
            )
            return
        payload = message["payload"]
        gate: Gate | None = getattr(self.view, "gate", None)
        if gate is not None and isinstance(payload, dict):
            params = self.context.connection_params or {}
            try:
                query = gate.resolve(payload.get("query"), payload.get("documentId"))
                gate.admit(
                    query,
                    viewer=self.context.viewer,
                    auth_problem=self.context.auth_problem,
                    from_graphiql=params.get(GRAPHIQL_MARKER) == "1",
                )
            except ApiError as exc:
                refusal = GraphQLError(exc.message, original_error=exc)
                await self.send_message(error_message(message["id"], format_error(refusal)))
                return
            payload["query"] = query
        limit = self.max_subscriptions_per_connection
        if limit is not None and len(self.operations) >= limit:
            error = format_error(GraphQLError("Subscription limit reached"))
            await self.send_message(error_message(message["id"], error))
            return
        operation = ShapedOperation(
            self,
            message["id"],
            payload["query"],
            payload.get("variables"),
            payload.get("operationName"),
        )
        operation.task = asyncio.create_task(self.run_operation(operation))
        operation.task.add_done_callback(self._task_done)
        self.operations[message["id"]] = operation

    async def handle_task_exception(self, error: Exception) -> None:
        # A client that goes away while an update is being sent is the normal end of a
        # subscription, not a server fault worth a traceback.
        if isinstance(error, WebSocketDisconnected):
            logger.debug("subscriber went away while an update was sent")
            return
        await super().handle_task_exception(error)

    async def handle_connection_init(self, message: ConnectionInitMessage) -> None:
        await self._release_pending()  # counted as a user's or an anonymous socket from now on
        payload = message.get("payload")
        chosen = payload.get("language") if isinstance(payload, dict) else None
        if isinstance(chosen, str):  # the page's language: for the rest of this socket
            language_var.set(parse_accept_language(chosen))
        await super().handle_connection_init(message)
        if not self.connection_acknowledged or self._tasks is not None:
            return
        self._tasks = []
        viewer = self.context.viewer
        slot: Slot | None = self.context.extra.get(_SLOT)
        if viewer is not None:
            self._tasks.append(asyncio.create_task(self._close_at(viewer.expires_at)))
        held = None if slot is None else (slot.key, slot.connection_id, slot.maximum)
        self._direct = Direct.of(cast(ASGIWebSocketAdapter, self.websocket).ws)
        self._on_clock = self._clock().add(self, self._direct, held)

    def _clock(self) -> ConnectionClock:
        """The app's one clock for every socket's pings and heartbeats (ws_clock.py)."""
        clock: ConnectionClock | None = getattr(self.view, "ws_clock", None)
        if clock is None:
            settings = self.context.settings
            ping = self.view.encode_json({"type": "ping"})  # the bytes send_message sends
            clock = ConnectionClock(
                slots(self.context),
                ping_every=settings.subscription_ping_interval_seconds,
                beat_every=settings.subscription_heartbeat_seconds,
                ping_text=ping if isinstance(ping, str) else ping.decode(),
            )
            self.view.ws_clock = clock  # type: ignore[attr-defined]
        return clock

    def close_soon(self, code: int, reason: str) -> None:
        """The clock's close (no pong, a lost slot), in a task of its own."""
        self._clock().spawn(self._close(code, reason))

    def ping_soon(self) -> None:
        """The clock's ping through the ASGI send, for a socket it cannot write to directly."""
        self._clock().spawn(self._send_ping())

    async def _send_ping(self) -> None:
        with contextlib.suppress(Exception):  # the socket is gone; shutdown() follows
            await self.send_message({"type": "ping"})

    async def run_operation(self, operation: Operation[Context, None]) -> None:
        """A query text over MAX_QUERY_LENGTH refused before anything parses it;
        `seckillEventUpdated` through the live-sale lane and `waitingRoomUpdated` through the
        room lane when they qualify (eventlane.py, roomlane.py), everything else through
        Strawberry's generic execution."""
        query = operation.query
        limit = self.context.settings.max_query_length
        if isinstance(query, str) and len(query) > limit:
            too_large = query_too_large(len(query), limit)
            shaped = format_error(GraphQLError(too_large.message, original_error=too_large))
            await operation.send_operation_message(error_message(operation.id, shaped))
            return
        if isinstance(query, str):
            runtime = self.context.runtime
            args = (runtime, query, operation.variables, operation.operation_name)
            event_lane: EventLane | None = getattr(self.view, "event_lane", None)
            if event_lane is not None:
                found = await self._lane_lookup(operation, event_lane.event_id(*args))
                if found is _ANSWERED:
                    return
                if found is not None:
                    plan, event_id = found
                    await self._serve_event(operation, event_lane, plan, event_id)
                    return
            room_lane: RoomLane | None = getattr(self.view, "room_lane", None)
            viewer = self.context.viewer
            if room_lane is not None and viewer is not None:
                found = await self._lane_lookup(operation, room_lane.event_id(*args))
                if found is _ANSWERED:
                    return
                if found is not None:
                    plan, event_id = found
                    await self._serve_room(operation, room_lane, plan, event_id, viewer.user_id)
                    return
        await super().run_operation(operation)

    @staticmethod
    async def _lane_lookup(
        operation: Operation[Context, None], lookup: Awaitable[tuple[Plan, int] | None]
    ) -> Any:
        """A lane's (plan, sale) for the operation, None, or _ANSWERED when an outage was
        answered with the protocol's retryable `error`."""
        try:
            return await lookup
        except Exception as exc:
            retry_after = outage_retry_after(exc)
            if retry_after is None:
                raise
            unavailable = error_message(operation.id, unavailable_error(retry_after))
            await operation.send_operation_message(unavailable)
            return _ANSWERED

    async def _serve_event(
        self, operation: Operation[Context, None], lane: EventLane, plan: Plan, event_id: int
    ) -> None:
        query, operation_id = operation.query, operation.id
        head = next_head(operation_id)
        direct = self._direct  # operations start only once the connection is acknowledged
        try:
            async with lane.feed(self.context.runtime, event_id) as feed:

                def push(snap: EventSnapshot) -> bool:
                    """While this task sleeps: the watcher's new state written straight onto
                    the socket (wsdirect.py), or False to wake the task for it instead."""
                    if snap.status is SeckillStatus.ENDED or direct is None:
                        return False  # the last state goes with `complete`, from the task
                    if not direct.write(f"{head}{encoded(snap, plan, query)}}}"):
                        return False
                    feed.seen = snap
                    lane.pushed += 1
                    return True

                snap = await feed.next()  # the current state, once the watcher has read it
                while snap is not None:
                    payload = encoded(snap, plan, query)
                    await self._send_text(next_message(operation_id, payload))
                    LIVE_MESSAGE.inc()
                    while (snap := feed.poll()) is None and not feed.over:
                        feed.seat.push = push
                        try:
                            await feed.waiter()  # no coroutine per wait: see LiveFeed
                        finally:
                            feed.seat.push = None
            await operation.send_operation_message({"id": operation_id, "type": "complete"})
        except WebSocketDisconnected:
            return  # the subscriber left; shutdown() follows
        except Exception as error:
            await self._lane_failed(operation, error)
            raise

    async def _serve_room(
        self,
        operation: Operation[Context, None],
        lane: RoomLane,
        plan: Plan,
        event_id: int,
        user_id: int,
    ) -> None:
        sent = False
        try:
            views = lane.views(self.context.runtime, event_id, user_id)
            try:
                async for view in views:
                    sent = True
                    await self._send_text(next_message(operation.id, room_encoded(view, plan)))
                    LIVE_MESSAGE.inc()
            finally:
                await views.aclose()
            if not sent:  # not in the room: generic execution answers why
                await super().run_operation(operation)
                return
            await operation.send_operation_message({"id": operation.id, "type": "complete"})
        except WebSocketDisconnected:
            return
        except Exception as error:
            if not sent and outage_retry_after(error) is not None:
                await super().run_operation(operation)  # answers the outage as it always does
                return
            await self._lane_failed(operation, error)
            raise

    async def _lane_failed(self, operation: Operation[Context, None], error: Exception) -> None:
        await self.handle_task_exception(error)  # as Strawberry's run_operation does
        with contextlib.suppress(Exception):
            await operation.send_operation_message({"id": operation.id, "type": "complete"})
        self.operations.pop(operation.id, None)

    async def _send_text(self, text: str) -> None:
        """A message already encoded (the lane's), on the socket Strawberry's adapter holds."""
        adapter = cast(ASGIWebSocketAdapter, self.websocket)
        try:
            await adapter.ws.send_text(text)
        except WebSocketDisconnect as exc:
            raise WebSocketDisconnected from exc

    async def handle_pong(self, message: PongMessage) -> None:
        self.pong_due = False

    async def _close(self, code: int, reason: str) -> None:
        with contextlib.suppress(Exception):  # already closed by the client
            await self.websocket.close(code=code, reason=reason)

    async def _close_at(self, expires_at: float) -> None:
        await asyncio.sleep(max(0.0, expires_at - time.time()))
        await self._close(FORBIDDEN, "Access token expired")

    async def shutdown(self) -> None:
        if self._on_clock is not None:
            self._clock().remove(self._on_clock)
        for task in self._tasks or ():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        slot: Slot | None = self.context.extra.pop(_SLOT, None)
        if slot is not None:
            with contextlib.suppress(RedisError):  # else the entry goes stale by itself
                await slots(self.context).release(slot.key, slot.connection_id)
        await super().shutdown()
