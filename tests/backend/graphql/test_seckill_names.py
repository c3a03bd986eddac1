"""A name for each flash sale: set by admins, shown in lists, the product's name by default."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from flashmart.accounts.models import Role
from flashmart.catalog.models import Product
from flashmart.graphql.ids import encode_id
from flashmart.seckill.models import SeckillEvent
from tests.backend.helpers import Api, token_for

ADMIN = token_for(1, Role.ADMIN)
ERRORS = "userErrors { field code }"
CREATE = f"""mutation($input: SeckillEventInput!) {{
  seckillEventCreate(input: $input) {{ event {{ id name }} {ERRORS} }}
}}"""
UPDATE = f"""mutation($id: ID!, $input: SeckillEventUpdateInput!) {{
  seckillEventUpdate(id: $id, input: $input) {{ event {{ name }} {ERRORS} }}
}}"""
LIST = "{ seckillEvents(first: 10) { edges { node { name product { name } } } } }"


async def _create(api: Api, product: Product, **extra: Any) -> dict[str, Any]:
    starts = datetime.now(UTC) + timedelta(hours=1)
    variables = {
        "input": {
            "productId": encode_id("Product", product.id),
            "price": "5.00",
            "totalStock": 1,
            "startsAt": starts.isoformat(),
            "endsAt": (starts + timedelta(hours=1)).isoformat(),
            **extra,
        }
    }
    payload: dict[str, Any] = (await api.gql(CREATE, variables, token=ADMIN))["data"][
        "seckillEventCreate"
    ]
    return payload


async def test_sales_show_their_name_or_their_products(api: Api) -> None:
    lamp = await Product.create(name="Lamp", slug="lamp", price=Decimal("10.00"), stock=5)
    named = await _create(api, lamp, name="  Singles' Day lamp  ")
    plain = await _create(api, lamp)
    assert named == {
        "event": {"id": named["event"]["id"], "name": "Singles' Day lamp"},
        "userErrors": [],
    }
    assert plain["event"]["name"] == "Lamp"
    listed = (await api.gql(LIST))["data"]["seckillEvents"]["edges"]
    assert sorted(e["node"]["name"] for e in listed) == ["Lamp", "Singles' Day lamp"]

    renamed = await api.gql(
        UPDATE, {"id": plain["event"]["id"], "input": {"name": "Night lamp"}}, token=ADMIN
    )
    assert renamed["data"]["seckillEventUpdate"] == {
        "event": {"name": "Night lamp"},
        "userErrors": [],
    }
    cleared = await api.gql(
        UPDATE, {"id": named["event"]["id"], "input": {"name": ""}}, token=ADMIN
    )
    assert cleared["data"]["seckillEventUpdate"]["event"] == {"name": "Lamp"}
    kept = await api.gql(
        UPDATE, {"id": plain["event"]["id"], "input": {"price": "4.00"}}, token=ADMIN
    )
    assert kept["data"]["seckillEventUpdate"]["event"] == {"name": "Night lamp"}


async def test_a_name_too_long_is_refused_and_nothing_changes(api: Api) -> None:
    lamp = await Product.create(name="Lamp", slug="lamp", price=Decimal("10.00"), stock=5)
    refused = await _create(api, lamp, name="x" * 121)
    assert refused == {"event": None, "userErrors": [{"field": ["name"], "code": "INVALID"}]}
    assert await SeckillEvent.all().count() == 0
    created = await _create(api, lamp, name="x" * 120)
    update = {"id": created["event"]["id"], "input": {"name": "y" * 121}}
    body = await api.gql(UPDATE, update, token=ADMIN)
    assert body["data"]["seckillEventUpdate"]["userErrors"] == [
        {"field": ["name"], "code": "INVALID"}
    ]
    assert (await SeckillEvent.get()).name == "x" * 120
