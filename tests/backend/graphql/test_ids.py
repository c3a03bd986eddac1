"""Global ids and cursors: a key the database cannot hold is bad input, never an internal error.

Run on SQLite and on PostgreSQL (`--db=postgres`): both refused a key past 64 bits with an
overflow deep in the driver, which reached the client as INTERNAL_SERVER_ERROR."""

from __future__ import annotations

import base64
import importlib
import json
from collections.abc import Iterator

import pytest
from tortoise import fields
from tortoise.models import Model

from flashmart.catalog.models import Product
from flashmart.core.db import MODEL_MODULES
from flashmart.graphql.ids import MAX_PK, MAX_TICKET_ID
from tests.backend.helpers import Api, error_code

# Not keys of any row: past bigint, not positive, or not plain ASCII digits.
REFUSED = ["1" * 23, str(MAX_PK + 1), "0", "-1", "+1", "1_000", " 1", "\u0661"]
BY_ID = [
    ("query($id: ID!) { product(id: $id) { id } }", "Product"),
    ("query($id: ID!) { node(id: $id) { id } }", "Product"),
    ("query($id: ID!) { node(id: $id) { id } }", "SeckillEvent"),
    ("query($id: ID!) { node(id: $id) { id } }", "Category"),
    ("query($id: ID!) { node(id: $id) { id } }", "User"),
    ("query($id: ID!) { seckillEvent(id: $id) { id } }", "SeckillEvent"),
]


def _global_id(type_name: str, key: str) -> str:
    return base64.b64encode(f"{type_name}:{key}".encode()).decode()


def _cursor(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode()


def _event_cursor(pk: int) -> str:
    """A cursor of `seckillEvents`, ordered by start time then id."""
    start = {"dt": "2026-01-01T00:00:00+00:00"}
    return _cursor(json.dumps({"s": "STARTS_AT", "v": [start, pk]}).encode())


@pytest.mark.parametrize("key", REFUSED)
async def test_ids_outside_the_key_range_are_bad_user_input(api: Api, key: str) -> None:
    for query, type_name in BY_ID:
        body = await api.gql(query, {"id": _global_id(type_name, key)})
        assert error_code(body) == "BAD_USER_INPUT", (query, type_name, body)
        assert body["errors"][0]["message"] == f"Invalid {type_name} id"


async def test_the_largest_key_is_looked_up_and_found_missing(api: Api) -> None:
    product = await Product.create(name="Lamp", slug="lamp", price="10.00", stock=1)
    for query, type_name in BY_ID:
        body = await api.gql(query, {"id": _global_id(type_name, str(MAX_PK))})
        assert "errors" not in body, (query, body)
        assert next(iter(body["data"].values())) is None
    found = await api.gql(BY_ID[1][0], {"id": _global_id("Product", f"00{product.id}")})
    assert found["data"]["node"] == {"id": _global_id("Product", str(product.id))}


async def test_cursors_with_keys_the_database_cannot_hold_are_bad_user_input(api: Api) -> None:
    events = "query($c: String) { seckillEvents(first: 1, after: $c) { totalCount } }"
    products = (
        "query($c: String, $s: ProductSort) "
        "{ products(first: 1, after: $c, sortBy: $s) { totalCount } }"
    )
    cases = [
        (events, {"c": _event_cursor(10**23)}),
        (events, {"c": _event_cursor(0)}),
        (events, {"c": _cursor(b"pk:1")}),  # a cursor of the listing's former id order
        (products, {"c": _cursor(json.dumps({"s": "CATALOG", "v": [10**23]}).encode())}),
        (products, {"c": _cursor(json.dumps({"s": "CATALOG", "v": ["1"]}).encode())}),
        (products, {"c": _cursor(json.dumps({"s": "CATALOG", "v": [True]}).encode())}),
        (
            products,
            {"c": _cursor(b'{"s": "PRICE_ASC", "v": [{"dec": "NaN"}, 1]}'), "s": "PRICE_ASC"},
        ),
        (products, {"c": _cursor(b'{"s": "NAME", "v": ["a", 1e999]}'), "s": "NAME"}),
        (
            products,
            {"c": _cursor(json.dumps({"s": "NAME", "v": [2**70, 1]}).encode()), "s": "NAME"},
        ),
    ]
    for query, variables in cases:
        body = await api.gql(query, variables)
        assert error_code(body) == "BAD_USER_INPUT", (variables, body)
        assert body["errors"][0]["message"] == "Invalid cursor"
    fine = await api.gql(events, {"c": _event_cursor(MAX_PK)})
    assert fine["data"]["seckillEvents"] == {"totalCount": 0}


def _models() -> Iterator[type[Model]]:
    for module_name in MODEL_MODULES:
        module = importlib.import_module(module_name)
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, Model)
                and value.__module__ == module_name
            ):
                yield value


def test_every_key_the_ids_module_checks_is_a_bigint_or_a_short_string() -> None:
    """MAX_PK and MAX_TICKET_ID hold only while the models keep these key columns."""
    checked = 0
    for model in _models():
        key = model._meta.fields_map[model._meta.pk_attr]
        if model.__name__ == "SeckillTicket":
            assert isinstance(key, fields.CharField) and key.max_length == MAX_TICKET_ID
        elif model.__module__.startswith("flashmart."):
            assert isinstance(key, fields.BigIntField), model
            checked += 1
    assert checked >= 10
