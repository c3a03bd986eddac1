"""The Strawberry ASGI view: builds the typed context and shapes errors."""

from __future__ import annotations

from typing import Any

from cross_web import AsyncHTTPRequestAdapter, HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse
from strawberry.types import ExecutionResult
from strawberry.types.unset import UnsetType

from flashmart.accounts.revocation import verify_access_token
from flashmart.accounts.tokens import InvalidToken, bearer_token
from flashmart.core.logging import request_id_var
from flashmart.core.runtime import Runtime
from flashmart.graphql.context import Context
from flashmart.graphql.error_mapping import format_error
from flashmart.graphql.eventlane import EventLane
from flashmart.graphql.loaders import Loaders
from flashmart.graphql.websocket import TransportWSHandler, authenticate


class GraphQLView(GraphQL[Context, None]):
    graphql_transport_ws_handler_class = TransportWSHandler
    event_lane: EventLane | None = None  # seckillEventUpdated from shared snapshots

    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> Context:
        runtime: Runtime = request.app.state.runtime
        context = Context(
            request=request,
            runtime=runtime,
            loaders=Loaders(),
            request_id=request_id_var.get() or "",
        )
        token = bearer_token(request.headers.get("authorization"))
        if token is not None:
            try:  # signature, expiry, issuer, audience, then the user's revocation stamp
                context.viewer = await verify_access_token(runtime, token)
            except InvalidToken:
                context.auth_problem = "Invalid or expired access token"
        return context

    async def on_ws_connect(self, context: Context) -> UnsetType:
        """graphql-transport-ws `connection_init`: auth and limits (graphql/websocket.py)."""
        await authenticate(context)
        return UnsetType()  # the singleton UNSET: acknowledge with no payload

    async def process_result(
        self, request: Request | WebSocket, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        data: dict[str, Any] = {"data": result.data}
        if result.errors:
            data["errors"] = [format_error(e) for e in result.errors]
        if result.extensions:
            data["extensions"] = result.extensions
        return data  # type: ignore[return-value]

    # CSRF: multipart/form-data is a "simple" content type that any web page may POST across
    # sites without a CORS preflight, so an upload must also carry a header no plain form can
    # set (JSON requests are safe already: their content type forces a preflight).
    async def parse_multipart(self, request: AsyncHTTPRequestAdapter) -> dict[str, str]:
        if not any(request.headers.get(name) for name in UPLOAD_CSRF_HEADERS):
            raise HTTPException(
                400, "Multipart requests need the header `x-flashmart-upload: 1` (CSRF protection)"
            )
        return await super().parse_multipart(request)


UPLOAD_CSRF_HEADERS = ("x-flashmart-upload", "apollo-require-preflight")
