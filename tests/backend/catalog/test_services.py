"""Catalog writes: validation refuses bad input and writes nothing; slugs; soft delete; stock."""

from __future__ import annotations

import asyncio
from decimal import Decimal
from typing import Any

import pytest

from flashmart.catalog import categories, services
from flashmart.catalog.categories import CategoryDraft
from flashmart.catalog.models import Product, ProductImage
from flashmart.catalog.services import ProductDraft
from flashmart.catalog.validation import MAX_STOCK
from flashmart.core.errors import DomainFailure, ErrorCode
from flashmart.core.runtime import Runtime


def _codes(failure: pytest.ExceptionInfo[DomainFailure]) -> dict[tuple[str, ...] | None, ErrorCode]:
    return {e.field: e.code for e in failure.value.errors}


async def _product(runtime: Runtime, name: str = "Aurora X1", **kwargs: Any) -> Product:
    fields: dict[str, Any] = {"price": Decimal("9.99"), "stock": 5, **kwargs}
    return await services.create_product(runtime, ProductDraft(name=name, **fields))


@pytest.mark.parametrize(
    ("fields", "field", "code"),
    [
        ({"name": ""}, "name", ErrorCode.REQUIRED),
        ({"name": "   "}, "name", ErrorCode.REQUIRED),
        ({"name": "x" * 201}, "name", ErrorCode.INVALID),
        ({"price": Decimal("0")}, "price", ErrorCode.INVALID),
        ({"price": Decimal("-1.00")}, "price", ErrorCode.INVALID),
        ({"price": Decimal("1.999")}, "price", ErrorCode.INVALID),
        ({"price": Decimal("NaN")}, "price", ErrorCode.INVALID),
        ({"price": Decimal("1e12")}, "price", ErrorCode.INVALID),
        ({"stock": -1}, "stock", ErrorCode.INVALID),
        ({"stock": MAX_STOCK + 1}, "stock", ErrorCode.INVALID),
        ({"slug": "Not A Slug"}, "slug", ErrorCode.INVALID),
        ({"slug": "trailing-"}, "slug", ErrorCode.INVALID),
        ({"category_id": 999_999}, "categoryId", ErrorCode.NOT_FOUND),
        ({"description": "x" * 20_001}, "description", ErrorCode.INVALID),
    ],
)
async def test_bad_product_input_is_refused_and_nothing_is_written(
    runtime: Runtime, fields: dict[str, Any], field: str, code: ErrorCode
) -> None:
    draft: dict[str, Any] = {"name": "Widget", "price": Decimal("1.50"), "stock": 1, **fields}
    with pytest.raises(DomainFailure) as failure:
        await services.create_product(runtime, ProductDraft(**draft))
    assert _codes(failure) == {("input", field): code}
    assert await Product.all().count() == 0


async def test_every_problem_is_reported_at_once(runtime: Runtime) -> None:
    with pytest.raises(DomainFailure) as failure:
        await services.create_product(
            runtime, ProductDraft(name="", price=Decimal("0.001"), stock=-5)
        )
    assert set(_codes(failure)) == {("input", "name"), ("input", "price"), ("input", "stock")}


async def test_slugs_are_made_from_names_and_kept_unique(runtime: Runtime) -> None:
    first = await _product(runtime, "Aurora X1 Pro!")
    second = await _product(runtime, "Aurora  x1 pro")
    third = await _product(runtime, "Äurora X1 Pro")
    unicode_only = await _product(runtime, "手机")
    assert [first.slug, second.slug, third.slug] == [
        "aurora-x1-pro",
        "aurora-x1-pro-2",
        "aurora-x1-pro-3",
    ]
    assert unicode_only.slug == "item"
    with pytest.raises(DomainFailure) as failure:
        await _product(runtime, "Other", slug="aurora-x1-pro")
    assert _codes(failure) == {("input", "slug"): ErrorCode.UNIQUE}


async def test_update_changes_only_what_is_given(runtime: Runtime) -> None:
    category = await categories.create_category(runtime, CategoryDraft(name="Phones"))
    product = await _product(runtime, description="old", category_id=category.id)
    updated = await services.update_product(
        runtime, product.id, {"price": Decimal("12.50"), "category_id": None}
    )
    assert (updated.price, updated.category_id, updated.description, updated.slug) == (  # type: ignore[attr-defined]
        Decimal("12.50"),
        None,
        "old",
        "aurora-x1",
    )
    renamed = await services.update_product(runtime, product.id, {"name": "Nimbus 8", "slug": None})
    assert renamed.slug == "nimbus-8"
    with pytest.raises(DomainFailure) as failure:
        await services.update_product(runtime, product.id, {"name": None, "stock": -1})
    assert _codes(failure) == {
        ("input", "name"): ErrorCode.REQUIRED,
        ("input", "stock"): ErrorCode.INVALID,
    }
    stored = await Product.get(id=product.id)
    assert (stored.name, stored.stock) == ("Nimbus 8", 5)


async def test_soft_delete_hides_the_product_and_frees_its_slug(runtime: Runtime) -> None:
    product = await _product(runtime)
    deleted = await services.delete_product(runtime, product.id)
    assert deleted.deleted_at is not None
    assert await services.get_product(product.id, include_unpublished=True) is None
    assert await services.product_detail(runtime, product.id, include_unpublished=True) is None
    assert (await _product(runtime, slug="aurora-x1")).slug == "aurora-x1"
    for again in (
        services.delete_product(runtime, product.id),
        services.set_stock(runtime, product.id, 3),
        services.update_product(runtime, product.id, {"stock": 3}),
    ):
        with pytest.raises(DomainFailure) as failure:
            await again
        assert _codes(failure) == {("id",): ErrorCode.NOT_FOUND}
    assert await Product.all().count() == 2  # kept for the orders that reference it


async def test_fifty_concurrent_decrements_never_oversell(runtime: Runtime) -> None:
    product = await _product(runtime, stock=30)
    results = await asyncio.gather(*(services.decrement_stock(product.id, 1) for _ in range(50)))
    assert results.count(True) == 30
    assert (await Product.get(id=product.id)).stock == 0


async def test_concurrent_stock_sets_and_decrements_never_go_negative(runtime: Runtime) -> None:
    product = await _product(runtime, stock=10)

    async def set_low(n: int) -> None:
        await services.set_stock(runtime, product.id, n % 3)

    outcomes = await asyncio.gather(
        *(services.decrement_stock(product.id, 2) for _ in range(25)),
        *(set_low(n) for n in range(25)),
    )
    # No operation failed (the CHECK constraint would have raised) and none went below zero.
    assert all(isinstance(o, bool) for o in outcomes[:25])
    assert 0 <= (await Product.get(id=product.id)).stock <= 10


async def test_stock_set_validates(runtime: Runtime) -> None:
    product = await _product(runtime)
    for bad in (-1, MAX_STOCK + 1):
        with pytest.raises(DomainFailure) as failure:
            await services.set_stock(runtime, product.id, bad)
        assert _codes(failure) == {("stock",): ErrorCode.INVALID}
    assert (await services.set_stock(runtime, product.id, 0)).stock == 0
    await services.increment_stock(product.id, 4)
    assert not await services.decrement_stock(product.id, 5)
    assert await services.decrement_stock(product.id, 4)
    assert (await Product.get(id=product.id)).stock == 0


async def _image(product: Product, position: int) -> ProductImage:
    return await ProductImage.create(
        product=product, file=f"products/{product.id}/{position}.png", position=position
    )


async def test_reordering_images_names_each_once_and_concurrent_reorders_stay_whole(
    runtime: Runtime,
) -> None:
    product = await _product(runtime)
    images = [await _image(product, n) for n in range(4)]
    ids = [i.id for i in images]
    shown = await services.reorder_product_images(
        runtime, product_id=product.id, image_ids=ids[::-1]
    )
    assert [(i.id, i.position) for i in shown] == [(i, n) for n, i in enumerate(ids[::-1])]
    for stale in (ids[:3], [*ids, ids[0]], [*ids[:3], ids[0]]):
        with pytest.raises(DomainFailure) as failure:
            await services.reorder_product_images(runtime, product_id=product.id, image_ids=stale)
        assert _codes(failure) == {("imageIds",): ErrorCode.INVALID}
    orders = [ids, ids[::-1], ids[1:] + ids[:1]]
    await asyncio.gather(
        *(
            services.reorder_product_images(runtime, product_id=product.id, image_ids=order)
            for order in orders * 3
        )
    )
    final = [i.id for i in (await services.images_by_product_ids([product.id]))[product.id]]
    positions = sorted(i.position for i in await ProductImage.filter(product=product))
    assert final in orders and positions == [
        0,
        1,
        2,
        3,
    ]  # one whole order won, no mixture


async def test_deleting_an_image_keeps_the_rest_and_refuses_twice(runtime: Runtime) -> None:
    product = await _product(runtime)
    first, second = await _image(product, 0), await _image(product, 1)
    (runtime.settings.data_dir / "media" / f"products/{product.id}").mkdir(parents=True)
    (runtime.settings.data_dir / "media" / first.file).write_bytes(b"x")
    owner = await services.delete_product_image(runtime, first.id)
    assert owner.id == product.id
    assert not (runtime.settings.data_dir / "media" / first.file).exists()
    assert [i.id for i in await ProductImage.all()] == [second.id]
    with pytest.raises(DomainFailure) as failure:
        await services.delete_product_image(runtime, first.id)
    assert _codes(failure) == {("id",): ErrorCode.NOT_FOUND}


async def test_concurrent_edits_never_undo_stock_taken_by_checkouts(runtime: Runtime) -> None:
    product = await _product(runtime, stock=100)
    await asyncio.gather(
        *(
            services.update_product(runtime, product.id, {"name": f"Renamed {n}"})
            for n in range(20)
        ),
        *(services.decrement_stock(product.id, 1) for _ in range(20)),
    )
    assert (await Product.get(id=product.id)).stock == 80
