"""Transport ceiling: the buy path's Redis work behind a bare Starlette route (no GraphQL).

POST /buy {"eventId": 1, "quantity": 1} with `Authorization: Bearer <JWT>`: decode the access
token, then ONE EVALSHA of the product's reserve script through `SaleStore.reserve`
(rate limits, window, per-user limit, stock, ledger and the arq job, as `seckillBuy` does),
except for a sale the script found sold out less than SECKILL_SOLD_OUT_MEMO_MS ago, which is
answered from the product's own `SoldOutMemo` as `seckillBuy` answers it (seckill/soldout.py).
Served by `bench/serve_app.py` with the same uvicorn options as `flashmart serve`.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import AsyncIterator

from redis.asyncio import Redis
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from flashmart.accounts.tokens import InvalidToken, bearer_token, decode_access_token
from flashmart.core.gc_tuning import settle_heap
from flashmart.core.keys import Keys
from flashmart.core.redis import create_redis
from flashmart.core.settings import Settings
from flashmart.seckill.soldout import SoldOutMemo
from flashmart.seckill.store import ReserveCode, SaleStore


def create_app() -> Starlette:
    settings = Settings()
    keys = Keys(settings.redis_prefix)
    clients: dict[str, Redis] = {}
    memo = SoldOutMemo()
    memo_seconds = settings.seckill_sold_out_memo_ms / 1000

    async def buy(request: Request) -> Response:
        try:
            claims = decode_access_token(
                bearer_token(request.headers.get("authorization")) or "",
                secret=settings.jwt_secret,
            )
        except InvalidToken:
            return JSONResponse({"code": "UNAUTHENTICATED"}, status_code=401)
        data = await request.json()
        event_id = int(data["eventId"])
        if memo.check(event_id):
            return JSONResponse({"code": ReserveCode.SOLD_OUT.value, "value": 0})
        result = await SaleStore(clients["redis"], keys).reserve(
            event_id=event_id,
            user_id=claims.user_id,
            quantity=int(data.get("quantity", 1)),
            ticket_id=uuid.uuid4().hex,
            client_ip=request.client.host if request.client else "unknown",
            user_rate=settings.seckill_user_rate,
            user_burst=settings.seckill_user_burst,
            ip_rate=settings.seckill_ip_rate,
            ip_burst=settings.seckill_ip_burst,
            enqueue=settings.enqueues_in_script,
        )
        if result.code is ReserveCode.SOLD_OUT and result.value <= 0:
            memo.mark(event_id, memo_seconds)
        return JSONResponse({"code": result.code.value, "value": result.value})

    async def readyz(request: Request) -> Response:
        await clients["redis"].ping()
        return JSONResponse({"status": "ok"})

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        assert settings.redis_url, "REDIS_URL must be set"
        clients["redis"] = create_redis(settings.redis_url, multiplex=settings.redis_multiplex)
        try:
            settle_heap(settings.gc_young_threshold)  # as the product's app does
            yield
        finally:
            await clients["redis"].aclose()

    return Starlette(
        routes=[Route("/buy", buy, methods=["POST"]), Route("/readyz", readyz)],
        lifespan=lifespan,
    )
