"""`productImageUpload` over the GraphQL multipart request spec: images only, size-capped,
stored under the media directory, served at /media, and refused without the CSRF header."""

from __future__ import annotations

import io
import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from PIL import Image

from flashmart.accounts.models import Role
from flashmart.catalog.models import Product, ProductImage
from flashmart.core.settings import Settings
from flashmart.graphql.ids import encode_id
from tests.backend.helpers import Api, token_for

ADMIN = token_for(1, Role.ADMIN)
UPLOAD = """
mutation($productId: ID!, $file: Upload!, $alt: String) {
  productImageUpload(productId: $productId, file: $file, alt: $alt) {
    image { id url thumbnailUrl alt width height position }
    product { images { url } }
    userErrors { field message code }
  }
}
"""
CSRF = {"x-flashmart-upload": "1"}
MAX_BYTES = 20_000


@pytest.fixture
def settings(settings: Settings) -> Settings:
    return settings.model_copy(update={"media_max_bytes": MAX_BYTES})


def png(size: tuple[int, int] = (320, 200)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "teal").save(out, "PNG")
    return out.getvalue()


async def upload(
    api: Api,
    product_id: int,
    content: bytes,
    *,
    headers: dict[str, str] | None = None,
    token: str | None = ADMIN,
    filename: str = "photo.png",
    alt: str | None = "A photo",
) -> httpx.Response:
    operations = {
        "query": UPLOAD,
        "variables": {"productId": encode_id("Product", product_id), "file": None, "alt": alt},
    }
    return await api.http.post(
        "/graphql",
        data={"operations": json.dumps(operations), "map": json.dumps({"0": ["variables.file"]})},
        files={"0": (filename, content, "image/png")},
        headers={**(CSRF if headers is None else headers), "authorization": f"Bearer {token}"},
    )


def _payload(response: httpx.Response) -> dict[str, Any]:
    assert response.status_code == 200, response.text
    body = response.json()
    assert "errors" not in body, body
    payload: dict[str, Any] = body["data"]["productImageUpload"]
    return payload


@pytest.fixture
async def product(db: None) -> Product:
    return await Product.create(name="Aurora", slug="aurora", price="9.99", stock=1)


def _media_files(settings: Settings) -> list[Path]:
    return sorted(p for p in (settings.data_dir / "media").rglob("*") if p.is_file())


async def test_a_png_is_stored_measured_and_served(
    api: Api, product: Product, settings: Settings
) -> None:
    payload = _payload(await upload(api, product.id, png()))
    assert payload["userErrors"] == []
    image = payload["image"]
    assert (image["width"], image["height"], image["alt"], image["position"]) == (
        320,
        200,
        "A photo",
        0,
    )
    assert image["url"].startswith(f"/media/products/{product.id}/")
    assert image["url"].endswith(".png") and image["thumbnailUrl"].endswith("-thumb.webp")
    assert payload["product"]["images"] == [{"url": image["url"]}]
    served = await api.http.get(image["url"])
    assert served.status_code == 200
    assert Image.open(io.BytesIO(served.content)).size == (320, 200)
    thumb = await api.http.get(image["thumbnailUrl"])
    assert Image.open(io.BytesIO(thumb.content)).size == (320, 200)  # already small enough
    second = _payload(await upload(api, product.id, png((800, 800)), alt=None))
    assert (second["image"]["position"], second["image"]["alt"]) == (1, "")
    assert len(_media_files(settings)) == 4


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"GIF89a but really just text", "UNSUPPORTED_FILE_TYPE"),  # wrong magic bytes for .png
        (b"<?php echo 'hi'; ?>", "UNSUPPORTED_FILE_TYPE"),
        (b"\x89PNG\r\n\x1a\n" + b"garbage" * 10, "UNSUPPORTED_FILE_TYPE"),  # right magic only
    ],
    ids=["text-named-png", "php", "png-magic-then-garbage"],
)
async def test_non_images_and_large_files_are_refused_and_nothing_is_stored(
    api: Api, product: Product, settings: Settings, content: bytes, code: str
) -> None:
    payload = _payload(await upload(api, product.id, content))
    assert payload["image"] is None and payload["product"] is None
    assert [(e["field"], e["code"]) for e in payload["userErrors"]] == [(["file"], code)]
    assert await ProductImage.all().count() == 0
    assert _media_files(settings) == []


async def test_a_real_png_above_the_limit_is_too_large(
    api: Api, product: Product, settings: Settings
) -> None:
    noise = Image.frombytes("RGB", (100, 100), os.urandom(100 * 100 * 3))  # incompressible
    out = io.BytesIO()
    noise.save(out, "PNG")
    assert len(out.getvalue()) > MAX_BYTES
    payload = _payload(await upload(api, product.id, out.getvalue()))
    assert [(e["field"], e["code"]) for e in payload["userErrors"]] == [
        (["file"], "FILE_TOO_LARGE")
    ]
    assert await ProductImage.all().count() == 0 and _media_files(settings) == []


async def test_multipart_without_the_csrf_header_is_refused(
    api: Api, product: Product, settings: Settings
) -> None:
    refused = await upload(api, product.id, png(), headers={})
    assert refused.status_code == 400
    assert "x-flashmart-upload" in refused.text
    assert await ProductImage.all().count() == 0 and _media_files(settings) == []
    apollo = await upload(api, product.id, png(), headers={"apollo-require-preflight": "true"})
    assert _payload(apollo)["userErrors"] == []


async def test_uploads_are_for_admins_and_live_products(api: Api, product: Product) -> None:
    shopper = await upload(api, product.id, png(), token=token_for(2))
    assert shopper.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    long_alt = _payload(await upload(api, product.id, png(), alt="x" * 201))
    assert [(e["field"], e["code"]) for e in long_alt["userErrors"]] == [(["alt"], "INVALID")]
    missing = _payload(await upload(api, 999_999, png()))
    assert [e["code"] for e in missing["userErrors"]] == ["NOT_FOUND"]
    assert await ProductImage.all().count() == 0


# --- reordering and deleting ----------------------------------------------------------------
REORDER = """
mutation($productId: ID!, $imageIds: [ID!]!) {
  productImageReorder(productId: $productId, imageIds: $imageIds) {
    images { id position }
    product { images { id } }
    userErrors { field message code }
  }
}
"""
DELETE = """
mutation($id: ID!) {
  productImageDelete(id: $id) {
    product { images { id url } }
    userErrors { field message code }
  }
}
"""
PRODUCT_IMAGES = "query($id: ID!) { product(id: $id) { images { id } } }"
PRODUCT_COVER = "query($id: ID!) { product(id: $id) { cover { id } } }"


async def _three_images(api: Api, product: Product) -> list[str]:
    ids = []
    for colour_size in ((10, 10), (20, 20), (30, 30)):
        ids.append(_payload(await upload(api, product.id, png(colour_size)))["image"]["id"])
    return ids


async def _shown(api: Api, product: Product) -> list[str]:
    body = await api.gql(PRODUCT_IMAGES, {"id": encode_id("Product", product.id)}, token=ADMIN)
    return [i["id"] for i in body["data"]["product"]["images"]]


async def _mutate(api: Api, query: str, variables: dict[str, Any], **kw: Any) -> dict[str, Any]:
    body = await api.gql(query, variables, token=kw.get("token", ADMIN))
    if kw.get("token", ADMIN) != ADMIN:
        return body
    assert "errors" not in body, body
    payload: dict[str, Any] = next(iter(body["data"].values()))
    return payload


async def test_images_are_reordered_and_the_cached_product_follows(
    api: Api, product: Product
) -> None:
    first, second, third = await _three_images(api, product)
    assert await _shown(api, product) == [first, second, third]  # also fills the cache
    gid = encode_id("Product", product.id)
    payload = await _mutate(api, REORDER, {"productId": gid, "imageIds": [third, first, second]})
    assert payload["userErrors"] == []
    assert payload["images"] == [
        {"id": third, "position": 0},
        {"id": first, "position": 1},
        {"id": second, "position": 2},
    ]
    assert payload["product"]["images"] == [
        {"id": third},
        {"id": first},
        {"id": second},
    ]
    assert await _shown(api, product) == [third, first, second]
    cover = await api.gql(PRODUCT_COVER, {"id": gid})
    assert cover["data"]["product"]["cover"]["id"] == third  # the first in display order


async def test_a_product_without_pictures_has_no_cover(api: Api, product: Product) -> None:
    found = await api.gql(PRODUCT_COVER, {"id": encode_id("Product", product.id)})
    assert found["data"]["product"] == {"cover": None}


@pytest.mark.parametrize(
    "pick",
    [
        lambda ids: ids[:2],  # one missing (a stale list from before an upload)
        lambda ids: [*ids, ids[0]],  # one twice
        lambda ids: [ids[0], ids[1], encode_id("ProductImage", 999_999)],  # a stranger
    ],
    ids=["missing", "duplicate", "unknown"],
)
async def test_a_reorder_that_does_not_name_every_image_once_changes_nothing(
    api: Api, product: Product, pick: Any
) -> None:
    ids = await _three_images(api, product)
    gid = encode_id("Product", product.id)
    payload = await _mutate(api, REORDER, {"productId": gid, "imageIds": pick(ids[::-1])})
    assert payload["images"] is None and payload["product"] is None
    assert [(e["field"], e["code"]) for e in payload["userErrors"]] == [(["imageIds"], "INVALID")]
    assert await _shown(api, product) == ids
    assert [i.position for i in await ProductImage.all().order_by("id")] == [0, 1, 2]


async def test_an_image_of_another_product_cannot_be_ordered_into_this_one(
    api: Api, product: Product
) -> None:
    other = await Product.create(name="Other", slug="other", price="1.00", stock=1)
    [own] = [_payload(await upload(api, product.id, png()))["image"]["id"]]
    foreign = _payload(await upload(api, other.id, png()))["image"]["id"]
    gid = encode_id("Product", product.id)
    payload = await _mutate(api, REORDER, {"productId": gid, "imageIds": [foreign]})
    assert [e["code"] for e in payload["userErrors"]] == ["INVALID"]
    assert await _shown(api, product) == [own]


async def test_deleting_an_image_removes_its_row_and_files(
    api: Api, product: Product, settings: Settings
) -> None:
    first, second = (await _three_images(api, product))[:2]
    assert len(_media_files(settings)) == 6
    assert (await _shown(api, product))[:2] == [first, second]  # also fills the cache
    payload = await _mutate(api, DELETE, {"id": first})
    assert payload["userErrors"] == []
    remaining = [i["id"] for i in payload["product"]["images"]]
    assert len(remaining) == 2 and first not in remaining and remaining[0] == second
    assert await _shown(api, product) == remaining  # the cached product was dropped
    assert len(_media_files(settings)) == 4
    again = await _mutate(api, DELETE, {"id": first})
    assert again["product"] is None
    assert [(e["field"], e["code"]) for e in again["userErrors"]] == [(["id"], "NOT_FOUND")]


async def test_images_of_a_deleted_product_are_not_found(api: Api, product: Product) -> None:
    image = _payload(await upload(api, product.id, png()))["image"]["id"]
    await Product.filter(id=product.id).update(deleted_at=datetime.now(UTC))
    gid = encode_id("Product", product.id)
    for query, variables in (
        (DELETE, {"id": image}),
        (REORDER, {"productId": gid, "imageIds": [image]}),
    ):
        payload = await _mutate(api, query, variables)
        assert [e["code"] for e in payload["userErrors"]] == ["NOT_FOUND"]
    assert await ProductImage.all().count() == 1


async def test_only_admins_reorder_and_delete_images(api: Api, product: Product) -> None:
    image = _payload(await upload(api, product.id, png()))["image"]["id"]
    gid = encode_id("Product", product.id)
    for query, variables in (
        (DELETE, {"id": image}),
        (REORDER, {"productId": gid, "imageIds": [image]}),
    ):
        body = await _mutate(api, query, variables, token=token_for(2))
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert await ProductImage.all().count() == 1


# --- describing -----------------------------------------------------------------------------
DESCRIBE = """
mutation($id: ID!, $alt: String!) {
  productImageUpdate(id: $id, alt: $alt) {
    image { id alt }
    product { images { id alt } }
    userErrors { field message code }
  }
}
"""
PRODUCT_ALTS = "query($id: ID!) { product(id: $id) { images { alt } } }"


async def test_an_image_gets_a_new_description_and_the_cached_product_follows(
    api: Api, product: Product
) -> None:
    image = _payload(await upload(api, product.id, png(), alt="A photo"))["image"]["id"]
    gid = encode_id("Product", product.id)
    before = await api.gql(PRODUCT_ALTS, {"id": gid})  # a shopper's read fills the cache
    assert before["data"]["product"]["images"] == [{"alt": "A photo"}]

    payload = await _mutate(api, DESCRIBE, {"id": image, "alt": "  A teal lamp, lit  "})
    assert payload["userErrors"] == []
    assert payload["image"] == {"id": image, "alt": "A teal lamp, lit"}
    assert payload["product"]["images"] == [{"id": image, "alt": "A teal lamp, lit"}]
    shopper_view = await api.gql(PRODUCT_ALTS, {"id": gid})
    assert shopper_view["data"]["product"]["images"] == [{"alt": "A teal lamp, lit"}]

    cleared = await _mutate(api, DESCRIBE, {"id": image, "alt": ""})
    assert cleared["image"]["alt"] == ""
    assert [i.alt for i in await ProductImage.all()] == [""]


async def test_a_bad_description_or_image_changes_nothing(api: Api, product: Product) -> None:
    image = _payload(await upload(api, product.id, png(), alt="A photo"))["image"]["id"]
    too_long = await _mutate(api, DESCRIBE, {"id": image, "alt": "x" * 201})
    assert too_long["image"] is None and too_long["product"] is None
    assert [(e["field"], e["code"]) for e in too_long["userErrors"]] == [(["alt"], "INVALID")]
    unknown = await _mutate(
        api, DESCRIBE, {"id": encode_id("ProductImage", 999_999), "alt": "Hello"}
    )
    assert [(e["field"], e["code"]) for e in unknown["userErrors"]] == [(["id"], "NOT_FOUND")]
    await Product.filter(id=product.id).update(deleted_at=datetime.now(UTC))
    gone = await _mutate(api, DESCRIBE, {"id": image, "alt": "Hello"})
    assert [e["code"] for e in gone["userErrors"]] == ["NOT_FOUND"]
    forbidden = await _mutate(api, DESCRIBE, {"id": image, "alt": "Hello"}, token=token_for(2))
    assert forbidden["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert [i.alt for i in await ProductImage.all()] == ["A photo"]
