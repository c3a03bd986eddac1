"""The Strawberry ASGI view: builds the typed context and shapes errors."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from cross_web import AsyncHTTPRequestAdapter, HTTPException
from graphql import GraphQLError
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData
from strawberry.http.parse_content_type import parse_content_type
from strawberry.types import ExecutionResult, SubscriptionExecutionResult
from strawberry.types.execution import PreExecutionError
from strawberry.types.unset import UNSET, UnsetType

from flashmart.accounts.revocation import verify_access_token
from flashmart.accounts.tokens import InvalidToken, bearer_token
from flashmart.core.errors import ApiError
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
from flashmart.graphql.trusted_documents import GRAPHIQL_MARKER, Gate, Manifest
from flashmart.graphql.websocket import TransportWSHandler, authenticate
from flashmart.security_headers import ide_policy


@dataclass
class DocumentRequestData(GraphQLRequestData):
    """A request that named its document by `documentId` (graphql/trusted_documents.py)."""

    document_id: object = None


class GraphQLView(GraphQL[Context, None]):
    graphql_transport_ws_handler_class = TransportWSHandler
    event_lane: EventLane | None = None  # seckillEventUpdated from shared snapshots
    gate = Gate(Manifest())  # trusted documents: the app sets the loaded manifest and policy

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

    async def parse_http_body(
        self, request: AsyncHTTPRequestAdapter
    ) -> GraphQLRequestData | list[GraphQLRequestData]:
        """Strawberry's parsing, plus the request's `documentId` (which it does not read)."""
        parsed = await super().parse_http_body(request)
        if isinstance(parsed, list):  # batches are refused by Strawberry (batching is off)
            return parsed
        document_id = await self._document_id(request)
        if document_id is None:
            return parsed
        return DocumentRequestData(**vars(parsed), document_id=document_id)

    async def _document_id(self, request: AsyncHTTPRequestAdapter) -> object:
        if request.method == "GET":
            return request.query_params.get("documentId")
        content_type, _ = parse_content_type(request.content_type or "")
        if content_type == "multipart/form-data":  # the form is parsed once, then cached
            data: object = (await request.get_form_data()).form.get("operations")
            if not isinstance(data, str | bytes) or b"documentId" not in _bytes(data):
                return None
        else:  # JSON, already read (and cached) by Strawberry's parsing
            data = await request.get_body()
            if b'"documentId"' not in _bytes(data):  # no second decoding of a plain request
                return None
        found = self.parse_json(data)
        return found.get("documentId") if isinstance(found, dict) else None

    async def execute_operation(
        self,
        request: Request,
        request_adapter: AsyncHTTPRequestAdapter,
        request_data: GraphQLRequestData | list[GraphQLRequestData],
        context: Context,
        root_value: None,
        sub_response: Response,
    ) -> ExecutionResult | list[ExecutionResult] | SubscriptionExecutionResult:
        """The document a `documentId` names, and TRUSTED_DOCUMENTS_ONLY, before anything runs:
        a refusal is answered like any other error found before execution."""
        if isinstance(request_data, GraphQLRequestData):
            try:
                query = self.gate.resolve(
                    request_data.query, getattr(request_data, "document_id", None)
                )
                self.gate.admit(
                    query,
                    viewer=context.viewer,
                    auth_problem=context.auth_problem,
                    from_graphiql=request.headers.get(GRAPHIQL_MARKER) == "1",
                )
            except ApiError as exc:
                return PreExecutionError(
                    data=None, errors=[GraphQLError(exc.message, original_error=exc)]
                )
            request_data = replace(request_data, query=query)
        return await super().execute_operation(
            request, request_adapter, request_data, context, root_value, sub_response
        )

    async def render_graphql_ide(self, request: Request) -> Response:
        """GraphiQL (GRAPHIQL=true). In development its requests carry GRAPHIQL_MARKER, so it
        may send any document while TRUSTED_DOCUMENTS_ONLY is on. The page has a
        Content-Security-Policy of its own: its CDN and its inline script by hash, allowances
        no other page gets (security_headers.py)."""
        if self.gate.graphiql:
            html = graphiql_with_marker(self.graphql_ide_html)
        else:
            html = self.graphql_ide_html
        response = HTMLResponse(html)
        response.headers["content-security-policy"] = ide_policy(html)
        return response

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


def _bytes(data: str | bytes) -> bytes:
    return data.encode() if isinstance(data, str) else data


def graphiql_with_marker(html: str) -> str:
    """Strawberry's GraphiQL page sending GRAPHIQL_MARKER: a header on every HTTP request and a
    key of its graphql-transport-ws `connection_init` payload."""
    marker = f'{{"{GRAPHIQL_MARKER}": "1"}}'
    marked = html.replace("const defaultHeaders = {};", f"const defaultHeaders = {marker};", 1)
    marked = marked.replace(
        "subscriptionUrl,\n", f"subscriptionUrl,\n        wsConnectionParams: {marker},\n", 1
    )
    if marked.count(GRAPHIQL_MARKER) != 2:
        raise RuntimeError("Strawberry's GraphiQL page changed: cannot mark its requests")
    return marked
