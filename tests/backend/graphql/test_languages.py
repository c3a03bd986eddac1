"""userErrors' messages (and the BAD_USER_INPUT messages our code writes) in the language of
`Accept-Language`: English unless the client asks for 简体中文; the codes and fields stay the same."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from flashmart.accounts.models import Role, User
from flashmart.catalog.models import Category, Product
from flashmart.graphql.ids import encode_id
from tests.backend.addresses.factories import address_input
from tests.backend.helpers import Api, token_for

ADMIN = token_for(1, Role.ADMIN)
ERRORS = "userErrors { field message code }"
PRODUCT_CREATE = f"""mutation($input: ProductInput!) {{
  productCreate(input: $input) {{ product {{ id }} {ERRORS} }}
}}"""
CATEGORY_DELETE = f"""mutation($id: ID!) {{
  categoryDelete(id: $id) {{ category {{ id }} {ERRORS} }}
}}"""
ADDRESS_CREATE = f"""mutation($i: AddressInput!) {{
  addressCreate(input: $i) {{ address {{ id }} {ERRORS} }}
}}"""
SUGGEST = "query($q: String!) { searchSuggestions(query: $q) { id } }"
CHINESE = "zh-CN,zh;q=0.9"


async def _post(
    api: Api, query: str, variables: dict[str, Any], *, token: str | None, language: str | None
) -> dict[str, Any]:
    headers = {"authorization": f"Bearer {token}"} if token else {}
    if language is not None:
        headers["accept-language"] = language
    response = await api.http.post(
        "/graphql", json={"query": query, "variables": variables}, headers=headers
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


async def _user_errors(
    api: Api, query: str, variables: dict[str, Any], *, token: str, language: str | None
) -> list[dict[str, Any]]:
    body = await _post(api, query, variables, token=token, language=language)
    (payload,) = body["data"].values()
    errors: list[dict[str, Any]] = payload["userErrors"]
    return errors


@pytest.mark.parametrize(
    ("language", "message"),
    [
        (None, "Use at most 200 characters"),
        ("en", "Use at most 200 characters"),
        ("en-US,en;q=0.9", "Use at most 200 characters"),
        (CHINESE, "最多 200 个字符"),
        ("zh-Hans", "最多 200 个字符"),
        ("fr-FR,fr;q=0.9", "Use at most 200 characters"),  # we do not write French
    ],
)
async def test_a_product_name_too_long(api: Api, language: str | None, message: str) -> None:
    variables = {"input": {"name": "x" * 201, "price": "1.00", "stock": 1}}
    errors = await _user_errors(api, PRODUCT_CREATE, variables, token=ADMIN, language=language)
    assert errors == [{"field": ["input", "name"], "message": message, "code": "INVALID"}]
    assert not await Product.exists()


async def test_the_preferred_language_by_q_value(api: Api) -> None:
    variables = {"input": {"name": "x" * 201, "price": "1.00", "stock": 1}}
    preferring_chinese = "en;q=0.5,zh-CN;q=0.8"  # q-values decide, not the order
    preferring_english = "zh-CN;q=0.4,fr;q=0.9,en;q=0.7"
    first = await _user_errors(
        api, PRODUCT_CREATE, variables, token=ADMIN, language=preferring_chinese
    )
    second = await _user_errors(
        api, PRODUCT_CREATE, variables, token=ADMIN, language=preferring_english
    )
    assert [e["message"] for e in first] == ["最多 200 个字符"]
    assert [e["message"] for e in second] == ["Use at most 200 characters"]


async def test_an_address_with_a_bad_phone(api: Api) -> None:
    user = await User.create(email="li@example.com", password_hash="x")
    token = token_for(user.id)
    variables = {"i": address_input(phone="12345", recipient="")}
    english = await _user_errors(api, ADDRESS_CREATE, variables, token=token, language=None)
    chinese = await _user_errors(api, ADDRESS_CREATE, variables, token=token, language=CHINESE)
    assert english == [
        {"field": ["input", "recipient"], "message": "Enter the recipient", "code": "REQUIRED"},
        {
            "field": ["input", "phone"],
            "message": "Enter a phone number: 11 digits starting with 1, optionally after +86",
            "code": "INVALID",
        },
    ]
    assert chinese == [
        {"field": ["input", "recipient"], "message": "请填写收货人", "code": "REQUIRED"},
        {
            "field": ["input", "phone"],
            "message": "请输入正确的手机号：以 1 开头的 11 位数字，可加 +86",
            "code": "INVALID",
        },
    ]


async def test_a_category_that_is_not_empty(api: Api) -> None:
    audio = await Category.create(name="Audio", slug="audio")
    await Category.create(name="Speakers", slug="speakers", parent=audio)
    await Product.create(name="Speaker", slug="speaker", price=Decimal("1.00"), category=audio)
    variables = {"id": encode_id("Category", audio.id)}
    english = await _user_errors(api, CATEGORY_DELETE, variables, token=ADMIN, language="en")
    chinese = await _user_errors(api, CATEGORY_DELETE, variables, token=ADMIN, language=CHINESE)
    assert [(e["code"], e["message"]) for e in english] == [
        ("CATEGORY_NOT_EMPTY", "The category holds 1 product(s): move or delete them first"),
        ("CATEGORY_NOT_EMPTY", "The category holds 1 subcategories: move or delete them first"),
    ]
    assert [(e["code"], e["message"]) for e in chinese] == [
        ("CATEGORY_NOT_EMPTY", "该分类下还有 1 件商品：请先移走或删除"),
        ("CATEGORY_NOT_EMPTY", "该分类下还有 1 个子分类：请先移走或删除"),
    ]
    assert await Category.filter(id=audio.id).exists()


async def test_bad_user_input_that_we_write(api: Api) -> None:
    variables = {"q": "x" * 201}
    english = await _post(api, SUGGEST, variables, token=None, language=None)
    chinese = await _post(api, SUGGEST, variables, token=None, language=CHINESE)
    for body in (english, chinese):
        assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert english["errors"][0]["message"] == "A search is at most 200 characters"
    assert chinese["errors"][0]["message"] == "搜索内容最多 200 个字符"


async def test_one_request_does_not_change_the_next(api: Api) -> None:
    variables = {"input": {"name": "x" * 201, "price": "1.00", "stock": 1}}
    await _user_errors(api, PRODUCT_CREATE, variables, token=ADMIN, language=CHINESE)
    after = await _user_errors(api, PRODUCT_CREATE, variables, token=ADMIN, language=None)
    assert [e["message"] for e in after] == ["Use at most 200 characters"]
