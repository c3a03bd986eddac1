"""Who may subscribe: the token in `connection_init`, owners, close codes and limits."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from gql.transport.exceptions import TransportConnectionFailed, TransportQueryError

from flashmart.accounts.models import Role
from flashmart.accounts.tokens import issue_access_token
from flashmart.core.runtime import Runtime
from flashmart.graphql.ids import encode_id
from tests.backend.helpers import TEST_SECRET, token_for
from tests.backend.payments.factories import placed_order, shopper
from tests.backend.subscriptions.conftest import Stream, client, request

ORDER_UPDATED = "subscription($id: ID!) { orderUpdated(id: $id) { id status } }"
EVENT_UPDATED = "subscription($id: ID!) { seckillEventUpdated(id: $id) { id remainingStock } }"


def _close_code(exc: BaseException) -> int | None:
    cause = exc.__cause__
    received = getattr(cause, "rcvd", None)
    return getattr(received, "code", None)


async def _refused(session: Any, document: str, **variables: Any) -> list[dict[str, Any]]:
    with pytest.raises(TransportQueryError) as caught:
        async for _ in session.subscribe(request(document, **variables)):
            pytest.fail("a refused subscription sent data")
    errors: list[dict[str, Any]] = caught.value.errors or []
    return errors


async def test_anonymous_subscription_to_an_order_is_refused(
    ws_server: Callable[..., Any], runtime: Runtime
) -> None:
    order = await placed_order(runtime, await shopper())
    async with ws_server() as base_url, client(base_url) as session:
        errors = await _refused(session, ORDER_UPDATED, id=encode_id("Order", order.id))
    assert errors[0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_someone_elses_order_is_refused(
    ws_server: Callable[..., Any], runtime: Runtime
) -> None:
    order = await placed_order(runtime, await shopper())
    intruder = await shopper()
    async with ws_server() as base_url, client(base_url, token_for(intruder.id)) as session:
        errors = await _refused(session, ORDER_UPDATED, id=encode_id("Order", order.id))
    assert errors[0]["extensions"]["code"] == "FORBIDDEN"


@pytest.mark.parametrize("token", ["not-a-jwt", "Basic abc"])
async def test_a_bad_token_closes_the_socket_with_4403(
    ws_server: Callable[..., Any], db: None, token: str
) -> None:
    async with ws_server() as base_url:
        transport_client = client(base_url)
        transport_client.transport.init_payload = {"authorization": f"Bearer {token}"}  # type: ignore[attr-defined]
        if token.startswith("Basic"):
            transport_client.transport.init_payload = {"authorization": token}  # type: ignore[attr-defined]
        with pytest.raises(TransportConnectionFailed) as caught:
            async with transport_client:
                pass
    assert _close_code(caught.value) == 4403


async def test_an_expired_token_closes_the_socket_with_4403(
    ws_server: Callable[..., Any], db: None
) -> None:
    user = await shopper()
    expired = issue_access_token(
        user_id=user.id, role=Role.CUSTOMER, secret=TEST_SECRET, ttl=timedelta(seconds=-5)
    )
    async with ws_server() as base_url:
        with pytest.raises(TransportConnectionFailed) as caught:
            async with client(base_url, expired):
                pass
    assert _close_code(caught.value) == 4403


async def test_the_socket_closes_with_4403_when_the_token_expires(
    ws_server: Callable[..., Any], runtime: Runtime
) -> None:
    user = await shopper()
    order = await placed_order(runtime, user)
    short = issue_access_token(
        user_id=user.id, role=Role.CUSTOMER, secret=TEST_SECRET, ttl=timedelta(seconds=2)
    )
    async with ws_server() as base_url, client(base_url, short) as session:
        stream = Stream(session, request(ORDER_UPDATED, id=encode_id("Order", order.id)))
        await stream.wait_count(1)
        await asyncio.wait_for(stream.done.wait(), timeout=10)
    assert isinstance(stream.error, TransportConnectionFailed)
    assert _close_code(stream.error) == 4403


async def test_subscriptions_per_connection_are_capped(
    ws_server: Callable[..., Any], runtime: Runtime
) -> None:
    from tests.backend.seckill.factories import sale

    event = await sale(5)
    gid = encode_id("SeckillEvent", event.id)
    async with ws_server(subscription_max_per_connection=2) as base_url, client(base_url) as s:
        streams = [Stream(s, request(EVENT_UPDATED, id=gid)) for _ in range(2)]
        for stream in streams:
            await stream.wait_count(1)
        errors = await _refused(s, EVENT_UPDATED, id=gid)
        assert errors[0]["message"] == "Subscription limit reached"
        for stream in streams:
            await stream.close()


async def test_anonymous_connections_per_client_address_are_capped(
    ws_server: Callable[..., Any], runtime: Runtime
) -> None:
    async with ws_server(subscription_max_anonymous_per_address=2) as base_url:
        async with client(base_url), client(base_url):
            with pytest.raises(TransportConnectionFailed) as caught:
                async with client(base_url):
                    pass
            assert _close_code(caught.value) == 4403
            # A signed-in shopper from the same address is counted apart.
            user = await shopper()
            async with client(base_url, token_for(user.id)):
                pass
            holders = await runtime.redis.zcard(runtime.keys.ws_anonymous_connections("127.0.0.1"))
            assert holders == 2
        # Closing a socket frees its slot.
        async with client(base_url), client(base_url):
            pass
    assert await runtime.redis.zcard(runtime.keys.ws_anonymous_connections("127.0.0.1")) == 0


async def test_connections_per_user_are_capped(ws_server: Callable[..., Any], db: None) -> None:
    user = await shopper()
    token = token_for(user.id)
    async with ws_server(subscription_max_connections_per_user=2) as base_url:
        async with client(base_url, token), client(base_url, token):
            with pytest.raises(TransportConnectionFailed) as caught:
                async with client(base_url, token):
                    pass
            assert _close_code(caught.value) == 4403
        # Closing a socket frees its slot.
        async with client(base_url, token), client(base_url, token):
            pass
