"""Deleting categories from the console: only empty ones; a refusal is typed and changes nothing."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from flashmart.accounts.models import Role
from flashmart.catalog.models import Category, Product
from flashmart.graphql.ids import encode_id
from tests.backend.helpers import Api, error_code, token_for

ADMIN = token_for(1, Role.ADMIN)
DELETE = """
mutation($id: ID!) {
  categoryDelete(id: $id) { category { id name } userErrors { field message code } }
}
"""


async def _delete(api: Api, category: Category, token: str = ADMIN) -> Any:
    body = await api.gql(DELETE, {"id": encode_id("Category", category.id)}, token=token)
    return body["data"]["categoryDelete"]


async def test_only_an_empty_category_can_be_deleted(api: Api) -> None:
    audio = await Category.create(name="Audio", slug="audio")
    speakers = await Category.create(name="Speakers", slug="speakers", parent=audio)
    draft = await Product.create(
        name="Draft Speaker", slug="draft", price=Decimal("1.00"), category=speakers,
        is_published=False,
    )  # fmt: skip
    gone = await Product.create(
        name="Old Speaker", slug="old", price=Decimal("1.00"), category=speakers,
        deleted_at=datetime.now(UTC),
    )  # fmt: skip

    refused = await _delete(api, audio)  # it holds a subcategory
    assert refused["category"] is None
    assert [e["code"] for e in refused["userErrors"]] == ["CATEGORY_NOT_EMPTY"]
    refused = await _delete(api, speakers)  # it holds an unpublished product
    assert [(e["field"], e["code"]) for e in refused["userErrors"]] == [
        (["id"], "CATEGORY_NOT_EMPTY")
    ]
    assert await Category.filter(id__in=[audio.id, speakers.id]).count() == 2

    await Product.filter(id=draft.id).update(category_id=None)
    deleted = await _delete(api, speakers)
    assert deleted == {
        "category": {"id": encode_id("Category", speakers.id), "name": "Speakers"},
        "userErrors": [],
    }
    assert not await Category.filter(id=speakers.id).exists()
    assert (await Product.get(id=gone.id)).category_id is None  # a deleted product lets go
    assert (await _delete(api, audio))["userErrors"] == []  # empty now

    missing = await _delete(api, audio)
    assert [e["code"] for e in missing["userErrors"]] == ["NOT_FOUND"]


async def test_only_admins_delete_categories(api: Api) -> None:
    audio = await Category.create(name="Audio", slug="audio")
    body = await api.gql(DELETE, {"id": encode_id("Category", audio.id)}, token=token_for(2))
    assert error_code(body) == "FORBIDDEN"
    assert await Category.filter(id=audio.id).exists()
