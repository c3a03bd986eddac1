"""Naive baseline: the same purchase done through the database only, behind the same GraphQL
stack as the product (Strawberry schema class and extensions, FlashMart's GraphQL view with
JWT verification, the request middleware), but no Redis reservation and no queue.

    mutation Buy($productId: ID!) { naiveBuy(productId: $productId) { ok userErrors { code } } }

Per request, one transaction: a conditional UPDATE (`stock = stock - 1 WHERE stock >= 1`,
the product's own `catalog.decrement_stock`) and an INSERT of the purchase, whose primary key
(product, user) enforces one unit per shopper. Never part of the product's schema.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

import strawberry
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route
from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from flashmart.app import RequestContextMiddleware
from flashmart.catalog.services import decrement_stock
from flashmart.core.db import close_db, init_db, ping_db
from flashmart.core.errors import DomainError, ErrorCode
from flashmart.core.gc_tuning import settle_heap
from flashmart.core.logging import configure_logging
from flashmart.core.runtime import Runtime
from flashmart.core.settings import Settings
from flashmart.graphql.context import Info
from flashmart.graphql.errors import UserError
from flashmart.graphql.permissions import IsAuthenticated
from flashmart.graphql.schema import FlashMartSchema
from flashmart.graphql.schema import build_schema as build_product_schema
from flashmart.graphql.view import GraphQLView

TABLE = "bench_naive_purchase"
CREATE_TABLE = (
    f"CREATE TABLE IF NOT EXISTS {TABLE} (product_id BIGINT NOT NULL, user_id BIGINT NOT NULL, "
    "PRIMARY KEY (product_id, user_id))"
)


def insert_sql(is_sqlite: bool) -> str:
    values = "?, ?" if is_sqlite else "$1, $2"
    return f"INSERT INTO {TABLE} (product_id, user_id) VALUES ({values})"


@strawberry.type
class NaiveBuyPayload:
    ok: bool
    user_errors: list[UserError]


def _refused(code: ErrorCode, message: str) -> NaiveBuyPayload:
    return NaiveBuyPayload(
        ok=False, user_errors=[UserError.from_domain(DomainError(code, message, ("productId",)))]
    )


@strawberry.type
class Query:
    @strawberry.field
    def ping(self) -> str:
        return "pong"


def build_schema(settings: Settings) -> strawberry.Schema:
    insert = insert_sql(settings.is_sqlite)

    @strawberry.type
    class Mutation:
        @strawberry.mutation(permission_classes=[IsAuthenticated])  # type: ignore[untyped-decorator]
        async def naive_buy(
            self, info: Info, product_id: strawberry.ID, quantity: int = 1
        ) -> NaiveBuyPayload:
            viewer = info.context.viewer
            assert viewer is not None
            try:
                async with in_transaction() as conn:
                    if not await decrement_stock(int(product_id), quantity):
                        return _refused(ErrorCode.SOLD_OUT, "Sold out")
                    await conn.execute_query(insert, [int(product_id), viewer.user_id])
            except IntegrityError:  # the (product, user) key: this shopper already bought
                return _refused(ErrorCode.ALREADY_PURCHASED, "Already purchased")
            return NaiveBuyPayload(ok=True, user_errors=[])

    # The product's own extension list (input limits and the document cache, auth gate,
    # metrics), taken from the schema it builds, so the baseline follows any change to it.
    extensions = list(build_product_schema(settings).extensions)
    return FlashMartSchema(query=Query, mutation=Mutation, extensions=extensions)


def create_app() -> Starlette:
    settings = Settings()
    configure_logging(settings.log_level, json_lines=settings.log_json)
    graphql_app = GraphQLView(build_schema(settings), graphql_ide=None)

    async def readyz(request: Request) -> Response:
        await ping_db()
        return JSONResponse({"status": "ok"})

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        assert settings.redis_url, "REDIS_URL must be set"
        await init_db(settings.database_url, pool_size=settings.database_pool_size)
        try:
            async with Runtime.open(settings) as runtime:
                app.state.runtime = runtime
                settle_heap(settings.gc_young_threshold)  # as the product's app does
                yield
        finally:
            await close_db()

    return Starlette(
        routes=[Route("/graphql", graphql_app, methods=["POST"]), Route("/readyz", readyz)],
        middleware=[
            Middleware(
                RequestContextMiddleware,
                max_body_bytes=settings.max_body_bytes,
                max_upload_bytes=settings.media_max_upload_bytes,
            )
        ],
        lifespan=lifespan,
    )
