"""The Strawberry ASGI view: builds the typed context, speaks GraphQL over HTTP
(`transport.py`: media types, request parameters, status codes) and shapes errors."""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass, replace
from typing import Any, cast

from cross_web import AsyncHTTPRequestAdapter, HTTPException, StarletteRequestAdapter
from graphql import GraphQLError
from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse, GraphQLRequestData
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.types import ExecutionResult, SubscriptionExecutionResult
from strawberry.types.execution import PreExecutionError
from strawberry.types.graphql import OperationType
from strawberry.types.unset import UNSET, UnsetType

from flashmart.accounts.revocation import verify_access_token
from flashmart.accounts.tokens import InvalidToken, bearer_token
from flashmart.core.errors import ApiError
from flashmart.core.i18n import language_var, parse_accept_language
from flashmart.core.logging import request_id_var
from flashmart.core.runtime import Runtime
from flashmart.graphql import transport
from flashmart.graphql.context import Context
from flashmart.graphql.error_mapping import format_error, outage_retry_after, unavailable_error
from flashmart.graphql.eventlane import EventLane
from flashmart.graphql.loaders import Loaders
from flashmart.graphql.roomlane import RoomLane
from flashmart.graphql.transport import MediaType, RequestError
from flashmart.graphql.trusted_documents import GRAPHIQL_MARKER, Gate, Manifest
from flashmart.graphql.websocket import TransportWSHandler, authenticate
from flashmart.security_headers import ide_policy


@dataclass
class DocumentRequestData(GraphQLRequestData):
    """A request that named its document by `documentId` (graphql/trusted_documents.py)."""

    document_id: object = None


# What each method may execute over HTTP; subscriptions are served over WebSocket only.
HTTP_OPERATIONS = {
    "GET": frozenset({OperationType.QUERY}),
    "POST": frozenset({OperationType.QUERY, OperationType.MUTATION}),
}
# The media type negotiated for the HTTP request being answered (None on WebSockets).
_media: ContextVar[MediaType | None] = ContextVar("graphql_media", default=None)


def _send(reply: transport.Reply) -> Response:
    response = Response(reply.body, status_code=reply.status)
    response.raw_headers = list(reply.headers)
    return response


class GraphQLView(GraphQL[Context, None]):
    graphql_transport_ws_handler_class = TransportWSHandler
    event_lane: EventLane | None = None  # seckillEventUpdated from shared snapshots
    room_lane: RoomLane | None = None  # waitingRoomUpdated encoded without generic execution
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
        """HTTP: the media type is negotiated first (406 when neither is acceptable, unless a
        browser gets GraphiQL); a malformed request is answered with its 4xx status; an outage
        met before execution (the token check in `get_context`) answers the retryable
        SERVICE_UNAVAILABLE like one met by a resolver, never a bare HTTP 500.

        Messages for people (`userErrors`, our BAD_USER_INPUT) are written in the language of
        `Accept-Language` (core/i18n.py), for a socket that of its upgrade request."""
        language = language_var.set(parse_accept_language(request.headers.get("accept-language")))
        try:
            if isinstance(request, WebSocket):
                return await super().run(request, context, root_value)  # type: ignore[arg-type]
            return await self._run_http(request, context, root_value)
        finally:
            language_var.reset(language)

    async def _run_http(
        self, request: Request, context: Context | UnsetType, root_value: UnsetType | None
    ) -> Response:
        media = transport.negotiate(request.headers.get("accept"))
        token = _media.set(media)
        try:
            if media is None and not self.should_render_graphql_ide(
                StarletteRequestAdapter(request)
            ):
                raise transport.not_acceptable()
            return await super().run(request, context, root_value)  # type: ignore[arg-type]
        except HTTPException as exc:
            return _send(transport.refusal(exc, media))
        except Exception as exc:
            retry_after = outage_retry_after(exc)
            if retry_after is None:
                raise
            body = {"data": None, "errors": [unavailable_error(retry_after)]}
            media = media or transport.APPLICATION_JSON
            return _send(transport.reply(transport.shaped(body, media, request_error=True), media))
        finally:
            _media.reset(token)

    async def parse_http_body(self, request: AsyncHTTPRequestAdapter) -> GraphQLRequestData:
        if request.method == "GET":
            data: Any = transport.query_params(
                cast(QueryParams, request.query_params).multi_items()
            )
        elif transport.body_kind(request.content_type, multipart=True) == "json":
            data = transport.decode_json(await request.get_body())
        else:
            data = await self.parse_multipart(request)
        params = transport.request_params(data)
        return DocumentRequestData(
            query=params.query,
            variables=params.variables,
            operation_name=params.operation_name,
            extensions=params.extensions,
            protocol="http",
            document_id=params.document_id,
        )

    def parse_json(self, data: str | bytes) -> Any:
        return transport.decode_json(data)

    async def execute_single(  # Strawberry's signature
        self,
        request: Request,
        request_adapter: AsyncHTTPRequestAdapter,
        sub_response: Response,
        context: Context,
        root_value: None,
        request_data: GraphQLRequestData,
    ) -> ExecutionResult:
        method = request_adapter.method
        try:
            return await self.schema.execute(
                request_data.query,
                root_value=root_value,
                variable_values=request_data.variables,
                context_value=context,
                operation_name=request_data.operation_name,
                allowed_operation_types=HTTP_OPERATIONS[method],
                operation_extensions=request_data.extensions,
            )
        except InvalidOperationTypeError as exc:
            if exc.operation_type is OperationType.SUBSCRIPTION:
                return transport.request_error_result(
                    "Subscriptions are served over WebSocket (graphql-transport-ws) at /graphql"
                )
            raise RequestError(
                405, "Mutations need POST (GET is for queries)", headers={"Allow": "POST"}
            ) from exc
        except CannotGetOperationTypeError as exc:
            return transport.request_error_result(exc.as_http_error_reason())

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
        media = _media.get() or transport.APPLICATION_JSON
        if isinstance(response_data, list):  # batching is off: never reached
            raise RequestError(400, "Batched requests are not supported")
        return _send(transport.reply(cast(dict[str, Any], response_data), media))

    async def process_result(
        self, request: Request | WebSocket, result: ExecutionResult
    ) -> GraphQLHTTPResponse:
        data: dict[str, Any] = {"data": result.data}
        if result.errors:
            data["errors"] = [format_error(e) for e in result.errors]
        if result.extensions:
            data["extensions"] = result.extensions
        media = _media.get()
        if media is not None:
            data = transport.shaped(data, media, request_error=transport.is_request_error(result))
        return data  # type: ignore[return-value]

    # CSRF: multipart/form-data is a "simple" content type that any web page may POST across
    # sites without a CORS preflight, so an upload must also carry a header no plain form can
    # set (JSON requests are safe already: their content type forces a preflight).
    async def parse_multipart(self, request: AsyncHTTPRequestAdapter) -> dict[str, str]:
        if not any(request.headers.get(name) for name in UPLOAD_CSRF_HEADERS):
            raise HTTPException(
                400, "Multipart requests need the header `x-flashmart-upload: 1` (CSRF protection)"
            )
        try:
            return await super().parse_multipart(request)
        except (TypeError, AttributeError, IndexError, ValueError) as exc:
            # `operations` and `map` that are JSON but not the multipart request spec's shapes
            raise RequestError(400, "Malformed multipart `operations` or `map`") from exc


UPLOAD_CSRF_HEADERS = ("x-flashmart-upload", "apollo-require-preflight")


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
