"""Uploads from the console: several images at once, phone-sized photos scaled down, other
files refused with a typed error and nothing stored."""

from __future__ import annotations

import io
import json
import random
from pathlib import Path
from typing import Any

import httpx
import pytest
from PIL import Image

from flashmart.accounts.models import Role
from flashmart.catalog.models import Product, ProductImage
from flashmart.core.settings import Settings
from flashmart.graphql.ids import encode_id
from tests.backend.graphql.test_product_images import _payload
from tests.backend.helpers import Api, token_for

ADMIN = token_for(1, Role.ADMIN)
UPLOAD = """
mutation($productId: ID!, $files: [Upload!]) {
  productImageUpload(productId: $productId, files: $files) {
    images { width height position }
    image { position }
    userErrors { field message code }
  }
}
"""
CSRF = {"x-flashmart-upload": "1"}


def picture(size: tuple[int, int], fmt: str = "PNG", **save: Any) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "teal").save(out, fmt, **save)
    return out.getvalue()


def phone_photo() -> bytes:
    """A 4000 x 3000 JPEG of about 8 MB (noise does not compress)."""
    rng = random.Random(7)
    noise = Image.frombytes("RGB", (1000, 750), rng.randbytes(1000 * 750 * 3))
    out = io.BytesIO()
    noise.resize((4000, 3000), Image.Resampling.NEAREST).save(out, "JPEG", quality=93)
    return out.getvalue()


async def send(
    api: Api, product: Product, files: list[tuple[str, bytes]], headers: dict[str, str] = CSRF
) -> httpx.Response:
    operations = {
        "query": UPLOAD,
        "variables": {"productId": encode_id("Product", product.id), "files": [None] * len(files)},
    }
    mapping = {str(i): [f"variables.files.{i}"] for i in range(len(files))}
    return await api.http.post(
        "/graphql",
        data={"operations": json.dumps(operations), "map": json.dumps(mapping)},
        files={str(i): (name, content, "image/jpeg") for i, (name, content) in enumerate(files)},
        headers={**headers, "authorization": f"Bearer {ADMIN}"},
    )


def media_files(settings: Settings) -> list[Path]:
    return [p for p in (settings.data_dir / "media").rglob("*") if p.is_file()]


@pytest.fixture
async def product(db: None) -> Product:
    return await Product.create(name="Aurora", slug="aurora", price="9.99", stock=1)


async def test_several_images_in_one_upload(api: Api, product: Product, settings: Settings) -> None:
    sizes = [(300, 200), (200, 300), (120, 120)]
    added = _payload(
        await send(api, product, [(f"{i}.png", picture(s)) for i, s in enumerate(sizes)])
    )
    assert added["userErrors"] == []
    assert [(i["width"], i["height"], i["position"]) for i in added["images"]] == [
        (300, 200, 0),
        (200, 300, 1),
        (120, 120, 2),
    ]
    assert added["image"] == {"position": 2}
    assert await ProductImage.filter(product_id=product.id).count() == 3
    assert len(media_files(settings)) == 6  # each with its thumbnail


async def test_a_text_file_among_images_is_refused_and_nothing_is_stored(
    api: Api, product: Product, settings: Settings
) -> None:
    files = [("a.png", picture((50, 50))), ("notes.txt", b"just some notes\n")]
    refused = _payload(await send(api, product, files))
    assert refused["images"] is None
    assert [(e["field"], e["code"]) for e in refused["userErrors"]] == [
        (["files", "1"], "UNSUPPORTED_FILE_TYPE")
    ]
    assert await ProductImage.filter(product_id=product.id).count() == 0
    assert media_files(settings) == []


async def test_too_many_or_no_files_are_refused(
    api: Api, product: Product, settings: Settings
) -> None:
    many = [(f"{i}.png", picture((10, 10))) for i in range(settings.media_max_files + 1)]
    refused = _payload(await send(api, product, many))
    assert [(e["field"], e["code"]) for e in refused["userErrors"]] == [(["files"], "INVALID")]
    variables = {"productId": encode_id("Product", product.id), "files": []}
    none = (await api.gql(UPLOAD, variables, token=ADMIN))["data"]["productImageUpload"]
    assert [(e["field"], e["code"]) for e in none["userErrors"]] == [(["files"], "REQUIRED")]
    assert await ProductImage.filter(product_id=product.id).count() == 0


async def test_a_phone_photo_is_accepted_and_scaled_down(
    api: Api, product: Product, settings: Settings
) -> None:
    photo = phone_photo()
    assert 6_000_000 < len(photo) < settings.media_max_bytes, len(photo)
    assert len(photo) > settings.max_body_bytes  # more than any JSON request may carry
    added = _payload(await send(api, product, [("IMG_0001.jpg", photo)]))
    assert added["userErrors"] == []
    limit = settings.media_max_dimension
    assert added["images"] == [{"width": limit, "height": limit * 3 // 4, "position": 0}]
    stored = await ProductImage.get(product_id=product.id)
    with Image.open(settings.data_dir / "media" / stored.file) as kept:
        assert kept.size == (limit, limit * 3 // 4)


@pytest.mark.parametrize("headers", [CSRF, {}], ids=["upload", "no-upload-header"])
async def test_bodies_over_the_upload_cap_are_refused_before_parsing(
    app_factory: Any, product: Product, headers: dict[str, str]
) -> None:
    app = app_factory(media_max_upload_bytes=300_000, max_body_bytes=100_000)
    big = [("big.jpg", b"\xff" * 200_000)]
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            api = Api(client)
            # 200 kB: over MAX_BODY_BYTES, so refused without the upload header only
            fits = await send(api, product, big, headers)
            assert fits.status_code == (200 if headers else 413), fits.text
            too_big = await send(api, product, big * 2, headers)
            assert too_big.status_code == 413
    assert await ProductImage.filter(product_id=product.id).count() == 0
