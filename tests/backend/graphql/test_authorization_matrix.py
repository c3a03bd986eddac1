"""Who may call what: every root field is classified, and the admin fields are really guarded.

The admin fields are found in the schema (Strawberry fields with `IsAdmin` among their
`permission_classes`), never listed by hand. Every other Query/Mutation field must appear in
exactly one of the allow-lists below, so a new field fails this test until someone decides who
may call it (and an admin operation added without `IsAdmin` is caught here).
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from typing import Any

import graphql
import pytest
from strawberry.types.base import StrawberryObjectDefinition
from strawberry.types.field import StrawberryField

from flashmart.accounts.models import Role
from flashmart.core.settings import Settings
from flashmart.graphql.ids import encode_id
from flashmart.graphql.permissions import IsAdmin, IsAuthenticated
from flashmart.graphql.schema import build_schema
from tests.backend.helpers import Api, fast_hashing, sign_up

# Anyone may call these (some answer differently for signed-in users or admins).
PUBLIC = {
    "node",
    "serverTime",
    "me",
    "accountRegister",
    "tokenCreate",
    "tokenRefresh",
    "tokenRevoke",
    "products",
    "searchSuggestions",
    "product",
    "categories",
    "seckillEvents",
    "seckillEvent",
    "emailVerificationEnabled",
    "accountVerifyEmail",  # the token of the mailed link is the credential
    "devMailbox",  # development only: refused (FORBIDDEN) outside ENV=development
    "passwordResetRequest",  # the same answer for any email
    "passwordResetConfirm",  # the token of the mailed link is the credential
}
# Signed-in users (`IsAuthenticated`); ownership is checked by the services.
SHOPPER = {
    "passwordChange",
    "accountUpdate",
    "orderRefundRequest",
    "refundRequestUpdate",
    "accountVerifyEmailResend",
    "cart",
    "cartAddItem",
    "cartUpdateItem",
    "cartRemoveItem",
    "cartClear",
    "checkoutComplete",
    "orders",
    "order",
    "orderCancel",
    "paymentCreate",
    "seckillBuy",
    "seckillTicket",
    "waitingRoomJoin",
    "addresses",
    "addressCreate",
    "addressUpdate",
    "addressDelete",
    "addressSetDefault",
    "checkoutPreview",
    "checkoutBuyNow",
    "orderSetShippingAddress",
}
# Fields the lists may name before their domain has landed are simply absent from the schema.

AUTH_ERRORS = {"UNAUTHENTICATED", "FORBIDDEN"}

strawberry_schema = build_schema()
sdl_schema = graphql.build_schema(strawberry_schema.as_str())


def _root_fields() -> list[tuple[str, str, StrawberryField]]:
    """(operation type, GraphQL name, Strawberry field) for every Query and Mutation field."""
    found = []
    for operation in ("Query", "Mutation"):
        definition = strawberry_schema.get_type_by_name(operation)
        assert isinstance(definition, StrawberryObjectDefinition)
        for field in definition.fields:
            name = strawberry_schema.config.name_converter.get_graphql_name(field)
            found.append((operation, name, field))
    return found


def _classify(field: StrawberryField) -> str:
    classes = set(field.permission_classes)
    if classes == {IsAdmin}:
        return "ADMIN"
    if classes == {IsAuthenticated}:
        return "SHOPPER"
    if not classes:
        return "PUBLIC"
    return f"unclassified permission classes {sorted(c.__name__ for c in classes)}"


ROOT_FIELDS = _root_fields()
ADMIN_FIELDS = [(op, name) for op, name, field in ROOT_FIELDS if _classify(field) == "ADMIN"]
SHOPPER_FIELDS = [(op, name) for op, name, field in ROOT_FIELDS if _classify(field) == "SHOPPER"]


def test_every_root_field_has_exactly_one_classification() -> None:
    assert not PUBLIC & SHOPPER
    problems = []
    for _, name, field in ROOT_FIELDS:
        actual = _classify(field)
        declared = [
            label for label, names in (("PUBLIC", PUBLIC), ("SHOPPER", SHOPPER)) if name in names
        ]
        if actual == "ADMIN":
            if declared:
                problems.append(f"{name}: IsAdmin, but allow-listed as {declared[0]}")
        elif actual in ("PUBLIC", "SHOPPER"):
            if declared != [actual]:
                want = "IsAuthenticated" if actual == "SHOPPER" else "no permission class"
                problems.append(
                    f"{name}: has {want}, but is listed as {declared or 'nothing'}; decide who may "
                    "call it (IsAdmin / IsAuthenticated / add it to PUBLIC)"
                )
        else:
            problems.append(f"{name}: {actual}")
    assert problems == []


def test_known_admin_operations_are_found_in_the_schema() -> None:
    names = {name for _, name in ADMIN_FIELDS}
    assert {"systemStatus", "systemPing", "users", "userUpdate"} <= names


# --- calling every guarded field ----------------------------------------------------------------
NODE_TYPES = sorted(
    (
        t.name
        for t in sdl_schema.type_map.values()
        if isinstance(t, graphql.GraphQLObjectType) and any(i.name == "Node" for i in t.interfaces)
    ),
    key=len,
    reverse=True,
)


def _words(camel: str) -> list[str]:
    return re.findall(r"[a-z0-9]+|[A-Z][a-z0-9]*", camel)


def _node_type_for(arg_name: str, field_name: str) -> str | None:
    """Guess which Node type an ID argument names: `productId` → Product, `id` of
    `seckillEventWarmup` → SeckillEvent (the longest leading words that name a Node type)."""
    source = arg_name[: -len("Id")] if arg_name.endswith(("Id", "Ids")) else field_name
    source = source.removesuffix("I") if arg_name.endswith("Ids") else source
    words = _words(source)
    for n in range(len(words), 0, -1):
        candidate = "".join(w[:1].upper() + w[1:] for w in words[:n])
        if candidate in NODE_TYPES:
            return candidate
    return None


SCALARS: dict[str, Any] = {
    "String": "x",
    "Int": 1,
    "Float": 1.0,
    "Boolean": True,
    "Decimal": "1.00",
    "DateTime": datetime(2030, 1, 1, tzinfo=UTC).isoformat(),
    "Date": "2030-01-01",
    "JSON": {},
    "UUID": "00000000-0000-4000-8000-000000000000",
}


def _value(
    type_: graphql.GraphQLInputType, arg: str, field: str, path: str, uploads: list[str]
) -> Any:
    """A minimal valid-looking value: required input fields only, well-formed unknown ids."""
    if isinstance(type_, graphql.GraphQLNonNull):
        return _value(type_.of_type, arg, field, path, uploads)
    if isinstance(type_, graphql.GraphQLList):
        return [_value(type_.of_type, arg, field, f"{path}.0", uploads)]
    if isinstance(type_, graphql.GraphQLEnumType):
        return next(iter(type_.values))
    if isinstance(type_, graphql.GraphQLInputObjectType):
        return {
            name: _value(f.type, name, field, f"{path}.{name}", uploads)
            for name, f in type_.fields.items()
            if isinstance(f.type, graphql.GraphQLNonNull) and f.default_value is graphql.Undefined
        }
    assert isinstance(type_, graphql.GraphQLScalarType)
    if type_.name == "ID":
        node_type = _node_type_for(arg, field)
        return encode_id(node_type, 999_999_999) if node_type else "bm90LWFuLWlk"
    if type_.name == "Upload":
        uploads.append(path)
        return None
    return SCALARS.get(type_.name, "x")


def _operation(operation: str, name: str) -> tuple[str, dict[str, Any], list[str]]:
    root = sdl_schema.query_type if operation == "Query" else sdl_schema.mutation_type
    assert root is not None
    field = root.fields[name]
    required = {
        arg_name: arg
        for arg_name, arg in field.args.items()
        if isinstance(arg.type, graphql.GraphQLNonNull) and arg.default_value is graphql.Undefined
    }
    uploads: list[str] = []
    variables = {
        arg_name: _value(arg.type, arg_name, name, f"variables.{arg_name}", uploads)
        for arg_name, arg in required.items()
    }
    declared = ", ".join(f"${a}: {arg.type}" for a, arg in required.items())
    passed = ", ".join(f"{a}: ${a}" for a in required)
    composite = graphql.is_composite_type(graphql.get_named_type(field.type))
    signature = f"({declared})" if declared else ""
    call = f"{name}({passed})" if passed else name
    selection = " { __typename }" if composite else ""
    document = f"{operation.lower()} Matrix{signature} {{ {call}{selection} }}"
    return document, variables, uploads


async def _call(api: Api, operation: str, name: str, token: str | None) -> dict[str, Any]:
    document, variables, uploads = _operation(operation, name)
    if not uploads:
        return await api.gql(document, variables, token=token)
    # GraphQL multipart request spec: operations + map + one tiny file per Upload variable
    headers = {"authorization": f"Bearer {token}"} if token else {}
    headers["x-flashmart-upload"] = "1"  # uploads must carry it (CSRF, docs/catalog.md)
    files = {str(i): (f"f{i}.png", b"\x89PNG\r\n\x1a\n", "image/png") for i in range(len(uploads))}
    response = await api.http.post(
        "/graphql",
        data={
            "operations": json.dumps({"query": document, "variables": variables}),
            "map": json.dumps({str(i): [p] for i, p in enumerate(uploads)}),
        },
        files=files,
        headers=headers,
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _codes(body: dict[str, Any]) -> set[str]:
    return {e.get("extensions", {}).get("code", "?") for e in body.get("errors") or []}


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return fast_hashing(settings)  # type: ignore[no-any-return]


@pytest.fixture
async def tokens(api: Api) -> dict[str, str]:
    shopper = await sign_up(api, "shopper@example.com")
    admin = await sign_up(api, "admin@example.com", role=Role.ADMIN)
    return {"shopper": shopper["accessToken"], "admin": admin["accessToken"]}


@pytest.mark.parametrize(("operation", "name"), ADMIN_FIELDS, ids=[n for _, n in ADMIN_FIELDS])
async def test_admin_fields_answer_admins_only(
    api: Api, tokens: dict[str, str], operation: str, name: str
) -> None:
    anonymous = await _call(api, operation, name, None)
    assert _codes(anonymous) == {"UNAUTHENTICATED"}, anonymous
    shopper = await _call(api, operation, name, tokens["shopper"])
    assert _codes(shopper) == {"FORBIDDEN"}, shopper
    admin = await _call(api, operation, name, tokens["admin"])
    # Past the gate: data, userErrors, or BAD_USER_INPUT for an id of a row that is not there.
    assert not _codes(admin) & (AUTH_ERRORS | {"INTERNAL_SERVER_ERROR"}), admin
    assert admin.get("data") is not None or _codes(admin) == {"BAD_USER_INPUT"}, admin


@pytest.mark.parametrize(("operation", "name"), SHOPPER_FIELDS, ids=[n for _, n in SHOPPER_FIELDS])
async def test_shopper_fields_need_a_signed_in_user(api: Api, operation: str, name: str) -> None:
    anonymous = await _call(api, operation, name, None)
    assert _codes(anonymous) == {"UNAUTHENTICATED"}, anonymous


def test_id_guessing() -> None:
    assert _node_type_for("id", "userUpdate") == "User"
    assert _node_type_for("productId", "anything") in ("Product", None)
    assert _node_type_for("id", "noSuchThing") is None
