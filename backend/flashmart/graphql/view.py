"""The Strawberry ASGI view: builds the typed context and shapes errors."""

from __future__ import annotations

from typing import Any

from cross_web import AsyncHTTPRequestAdapter, HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse
from strawberry.types import ExecutionResult
from strawberry.types.unset import UNSET, UnsetType

from flashmart.accounts.revocation import verify_access_token
from flashmart.accounts.tokens import InvalidToken, bearer_token
from flashmart.core.logging import request_id_var
from flashmart.core.runtime import Runtime
from flashmart.graphql.context import Context
from flashmart.graphql.error_mapping import (
    format_error,
    outage_retry_after,
    retry_after_header,
    unavailable_error,
)
from flashmart.graphql.eventlane import EventLane
from flashmart.graphql.loaders import Loaders
from flashmart.graphql.websocket import TransportWSHandler, authenticate
from flashmart.security_headers import ide_policy


class GraphQLView(GraphQL[Context, None]):
    graphql_transport_ws_handler_class = TransportWSHandler
    event_lane: EventLane | None = None  # seckillEventUpdated from shared snapshots
    _ide_policy: str | None = None

    async def render_graphql_ide(self, request: Request) -> Response:
        """GraphiQL (GRAPHIQL=true) with a Content-Security-Policy of its own: its CDN and its
        inline script by hash, allowances no other page gets (security_headers.py)."""
        response = await super().render_graphql_ide(request)
        if self._ide_policy is None:
            self._ide_policy = ide_policy(self.graphql_ide_html)
        response.headers["content-security-policy"] = self._ide_policy
        return response

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

    async def run(  # type: ignore[override]  # one signature for both overloads
        self,
        request: Request | WebSocket,
        context: Context | UnsetType = UNSET,
        root_value: UnsetType | None = UNSET,
    ) -> Response | WebSocket:
        """An outage met before execution (the token check in `get_context`) answers the
        retryable SERVICE_UNAVAILABLE like one met by a resolver, never a bare HTTP 500."""
        try:
            return await super().run(request, context, root_value)  # type: ignore[arg-type]
        except Exception as exc:
            retry_after = outage_retry_after(exc)
            if retry_after is None or isinstance(request, WebSocket):
                raise
            return JSONResponse(
                {"data": None, "errors": [unavailable_error(retry_after)]},
                headers={"retry-after": str(retry_after)},
            )

    def create_response(
        self, response_data: GraphQLHTTPResponse | list[GraphQLHTTPResponse], sub_response: Response
    ) -> Response:
        response = super().create_response(response_data, sub_response)
        errors = response_data.get("errors") if isinstance(response_data, dict) else None
        if errors and (wait := retry_after_header(errors)) is not None:  # type: ignore[arg-type]
            response.headers["retry-after"] = wait
        return response

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
