"""graphql-transport-ws sessions: authentication from `connection_init`, limits, token expiry.

- The access token travels in the `connection_init` payload as
  `{"authorization": "Bearer <token>"}` and is checked by the same function as an HTTP request
  (`verify_access_token`: signature, expiry, revocation). A missing token makes an anonymous
  session (public subscriptions only); an invalid, expired or revoked one closes the socket with
  **4403 Forbidden**, as does going over the per-user connection limit.
- When the token that opened the session expires, the server closes the socket with **4403**:
  the client refreshes its token and reconnects (subscriptions send the current state first).
- Connections per user are counted per API process (a dict here, no Redis round trip and
  nothing to leak when a process dies); with N processes a user may hold up to N times
  SUBSCRIPTION_MAX_CONNECTIONS_PER_USER sockets. Subscriptions per connection are capped by
  Strawberry (`max_subscriptions_per_connection`): one more is answered with an `error` message.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import Counter

from strawberry.exceptions import ConnectionRejectionError
from strawberry.subscriptions.protocols.graphql_transport_ws.handlers import (
    BaseGraphQLTransportWSHandler,
)
from strawberry.subscriptions.protocols.graphql_transport_ws.types import ConnectionInitMessage

from flashmart.accounts.revocation import verify_access_token
from flashmart.accounts.tokens import InvalidToken, bearer_token
from flashmart.graphql.context import Context

FORBIDDEN = 4403  # what Strawberry sends for a ConnectionRejectionError
_SLOT = "ws-connection-slot"


class ConnectionLimits:
    """Open authenticated sockets per user in this process."""

    def __init__(self) -> None:
        self._open: Counter[int] = Counter()

    def acquire(self, user_id: int, maximum: int) -> bool:
        if self._open[user_id] >= maximum:
            return False
        self._open[user_id] += 1
        return True

    def release(self, user_id: int) -> None:
        self._open[user_id] -= 1
        if self._open[user_id] <= 0:
            del self._open[user_id]

    def count(self, user_id: int) -> int:
        return self._open[user_id]


async def authenticate(context: Context, limits: ConnectionLimits) -> None:
    """Set `context.viewer` from the `connection_init` payload, or refuse the connection."""
    params = context.connection_params or {}
    raw = params.get("authorization") or params.get("Authorization")
    token = bearer_token(raw) if isinstance(raw, str) else None
    if raw is not None and token is None:
        raise ConnectionRejectionError({"message": "Malformed authorization"})
    if token is None:
        context.viewer = None  # anonymous: only public subscriptions
        context.auth_problem = None
        return
    try:
        context.viewer = await verify_access_token(context.services, token)
    except InvalidToken as exc:
        raise ConnectionRejectionError({"message": "Invalid or expired access token"}) from exc
    context.auth_problem = None
    maximum = context.settings.subscription_max_connections_per_user
    if not limits.acquire(context.viewer.user_id, maximum):
        context.viewer = None
        raise ConnectionRejectionError({"message": "Too many connections"})
    context.extra[_SLOT] = True


class TransportWSHandler(BaseGraphQLTransportWSHandler[Context, None]):
    """Strawberry's handler plus: close at token expiry, release the connection slot."""

    _expiry: asyncio.Task[None] | None = None

    async def handle_connection_init(self, message: ConnectionInitMessage) -> None:
        await super().handle_connection_init(message)
        viewer = self.context.viewer
        if self.connection_acknowledged and viewer is not None and self._expiry is None:
            self._expiry = asyncio.create_task(self._close_at(viewer.expires_at))

    async def _close_at(self, expires_at: float) -> None:
        await asyncio.sleep(max(0.0, expires_at - time.time()))
        with contextlib.suppress(Exception):  # already closed by the client
            await self.websocket.close(code=FORBIDDEN, reason="Access token expired")

    async def shutdown(self) -> None:
        if self._expiry is not None:
            self._expiry.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._expiry
        if self.context.extra.pop(_SLOT, False) and self.context.viewer is not None:
            limits: ConnectionLimits = getattr(self.view, "connection_limits", ConnectionLimits())
            limits.release(self.context.viewer.user_id)
        await super().shutdown()
