"""The client address behind the per-address limits, through a real `flashmart serve`.

uvicorn takes the address from `X-Forwarded-For` only when the peer is one of
FORWARDED_ALLOW_IPS. docker-compose.yml trusts exactly the nginx proxy (deploy/nginx.conf
replaces any header a client sent), so a client that reaches an API process itself, or any
other untrusted peer, cannot choose the address its buys are rate limited by.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from flashmart.core.runtime import Runtime
from flashmart.graphql.ids import encode_id
from tests.backend.helpers import token_for
from tests.backend.payments.factories import shopper
from tests.backend.seckill.factories import warm_sale

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
BUY = "mutation($e: ID!) { seckillBuy(eventId: $e) { ticket { status } userErrors { code } } }"
SPOOFED = "203.0.113.7"  # a documentation address: only ever a header value here
PEER = "127.0.0.1"  # where the test's requests really come from


def compose_forwarded_allow_ips() -> str:
    """FORWARDED_ALLOW_IPS of the compose stack, with `${VAR:-default}` resolved to its default."""
    compose = yaml.safe_load((REPO / "docker-compose.yml").read_text())
    raw = str(compose["services"]["api"]["environment"]["FORWARDED_ALLOW_IPS"])
    return re.sub(r"\$\{[A-Z_0-9]+:-([^}]*)\}", r"\1", raw)


async def _buy_as(url: str, token: str, event_gid: str, forwarded_for: str) -> None:
    async with httpx.AsyncClient(base_url=url, timeout=10) as http:
        response = await http.post(
            "/graphql",
            json={"query": BUY, "variables": {"e": event_gid}},
            headers={"authorization": f"Bearer {token}", "x-forwarded-for": forwarded_for},
        )
    assert response.json()["data"]["seckillBuy"]["ticket"]["status"] == "QUEUED"


async def _limited_addresses(runtime: Runtime, event_id: int) -> set[str]:
    """The client addresses the sale's per-address rate limiter has counted."""
    prefix = runtime.keys.event_rate_ip(event_id, "")
    found = [k async for k in runtime.redis.scan_iter(match=f"{prefix}*", count=1000)]
    return {(k.decode() if isinstance(k, bytes) else k).removeprefix(prefix) for k in found}


async def test_compose_trusts_only_its_proxy_not_this_peer() -> None:
    trusted = compose_forwarded_allow_ips()
    assert "*" not in trusted
    assert PEER not in {part.strip() for part in trusted.split(",")}


@pytest.mark.parametrize(
    ("forwarded_allow_ips", "trusted"),
    [
        (compose_forwarded_allow_ips(), False),  # an untrusted peer: its headers are ignored
        (PEER, True),  # the peer is the trusted proxy: the headers name the client and scheme
    ],
    ids=["untrusted-peer", "trusted-proxy"],
)
async def test_the_rate_limiter_sees_the_peer_unless_the_peer_is_a_trusted_proxy(
    api_processes: Callable[..., Any], runtime: Runtime, forwarded_allow_ips: str, trusted: bool
) -> None:
    event = await warm_sale(runtime, 5)
    token = token_for((await shopper()).id)
    gid = encode_id("SeckillEvent", event.id)
    async with api_processes(1, FORWARDED_ALLOW_IPS=forwarded_allow_ips) as [url]:
        await _buy_as(url, token, gid, forwarded_for=SPOOFED)
        async with httpx.AsyncClient(base_url=url, timeout=10) as http:
            health = await http.get("/healthz", headers={"x-forwarded-proto": "https"})
    assert await _limited_addresses(runtime, event.id) == {SPOOFED if trusted else PEER}
    # HSTS only for a request that arrived over HTTPS, as a trusted proxy says it did.
    assert ("strict-transport-security" in health.headers) is trusted
