"""The Strawberry ASGI view: builds the typed context and shapes errors."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse
from strawberry.types import ExecutionResult

from flashmart.accounts.tokens import InvalidToken, bearer_token, decode_access_token
from flashmart.core.logging import request_id_var
from flashmart.graphql.context import Context, Services
from flashmart.graphql.error_mapping import format_error
from flashmart.graphql.loaders import Loaders


class GraphQLView(GraphQL[Context, None]):
    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> Context:
        services: Services = request.app.state.services
        context = Context(
            request=request,
            services=services,
            loaders=Loaders(),
            request_id=request_id_var.get() or "",
        )
        token = bearer_token(request.headers.get("authorization"))
        if token is not None:
            try:
                context.viewer = decode_access_token(token, secret=services.settings.jwt_secret)
            except InvalidToken:
                context.auth_problem = "Invalid or expired access token"
        return context

    async def process_result(
        self, request: Request | WebSocket, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        data: dict[str, Any] = {"data": result.data}
        if result.errors:
            data["errors"] = [format_error(e) for e in result.errors]
        if result.extensions:
            data["extensions"] = result.extensions
        return data  # type: ignore[return-value]
