"""Catalog reads and writes. No GraphQL here.

Writes validate everything first and change nothing when any check fails (`DomainFailure`
with one `DomainError` per problem); after a successful write they drop the cache entries
that showed the old state (`catalog/cache.py`). Products are soft-deleted (docs/catalog.md).
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import TypedDict

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from flashmart.catalog.cache import ProductCache, ProductPage, ProductSnapshot
from flashmart.catalog.images import (
    ProcessedImage,
    Readable,
    process_image,
    read_limited,
    remove_product_image_files,
    store_processed_images,
)
from flashmart.catalog.models import Product, ProductImage
from flashmart.catalog.search import CATALOG_ORDER
from flashmart.catalog.validation import (
    ALT_MAX,
    DESCRIPTION_MAX,
    NAME_MAX,
    SLUG_ATTEMPTS,
    SLUG_MAX,
    check_category,
    check_name_and_slug,
    check_price,
    check_stock,
    check_text,
    error,
    free_slug,
    input_path,
    not_found,
    slug_is_taken,
    slug_taken_error,
    slugify,
)
from flashmart.core.errors import DomainFailure, ErrorCode
from flashmart.core.i18n import text
from flashmart.core.runtime import Runtime


# --- reads ----------------------------------------------------------------------------------
def visible_products(*, include_unpublished: bool = False) -> QuerySet[Product]:
    """Products a viewer may see: shoppers get published, not deleted; admins get all live."""
    queryset = Product.filter(deleted_at__isnull=True)
    if not include_unpublished:
        queryset = queryset.filter(is_published=True)
    return queryset


async def get_product(product_id: int, *, include_unpublished: bool = False) -> Product | None:
    return await visible_products(include_unpublished=include_unpublished).get_or_none(
        id=product_id
    )


async def products_by_ids(ids: Sequence[int]) -> dict[int, Product]:
    return {p.id: p for p in await Product.filter(id__in=list(ids))}


async def images_by_product_ids(ids: Sequence[int]) -> dict[int, list[ProductImage]]:
    found: dict[int, list[ProductImage]] = {i: [] for i in ids}
    for image in await ProductImage.filter(product_id__in=list(ids)).order_by("position", "id"):
        found[image.product_id].append(image)
    return found


async def product_detail(
    runtime: Runtime, product_id: int, *, include_unpublished: bool = False
) -> ProductSnapshot | None:
    """One live product with its images, read through the cache."""
    cache = ProductCache(runtime)
    snapshot = await cache.product(product_id)
    if snapshot is None:
        product = await Product.get_or_none(id=product_id, deleted_at__isnull=True)
        if product is None:
            return None
        images = await images_by_product_ids([product_id])
        snapshot = ProductSnapshot(product=product, images=images[product_id])
        await cache.store_product(snapshot)
    product = snapshot.product
    if product.deleted_at is not None or not (product.is_published or include_unpublished):
        return None
    return snapshot


async def first_page(runtime: Runtime, size: int) -> ProductPage:
    """The first `size` products of the shoppers' default listing, read through the cache."""
    cache = ProductCache(runtime)
    page = await cache.first_page(size)
    if page is not None:
        return page
    rows = list(await visible_products().order_by(*CATALOG_ORDER).limit(size + 1))
    shown = rows[:size]
    images = await images_by_product_ids([p.id for p in shown])
    page = ProductPage(
        items=[ProductSnapshot(product=p, images=images[p.id]) for p in shown],
        total_count=await visible_products().count(),
        has_next_page=len(rows) > size,
    )
    await cache.store_first_page(size, page)
    return page


async def invalidate_products(runtime: Runtime, product_ids: Iterable[int] = ()) -> None:
    """Drop cached detail of `product_ids` and the cached listing pages.

    Call it after the transaction that changed them commits (checkout and order cancellation
    change stock through `decrement_stock`/`increment_stock`, which cannot see the commit).
    """
    await ProductCache(runtime).invalidate(product_ids)


# --- products -------------------------------------------------------------------------------
@dataclass(frozen=True)
class ProductDraft:
    name: str
    price: Decimal
    stock: int
    slug: str | None = None  # None: made from the name, with a suffix when taken
    description: str | None = None
    category_id: int | None = None
    is_published: bool | None = None  # None: published


class ProductChanges(TypedDict, total=False):
    """The fields to change; a key that is absent keeps its value. `slug: None` regenerates it
    from the name, `category_id: None` removes the category; other None values are refused."""

    name: str | None
    slug: str | None
    description: str | None
    price: Decimal | None
    stock: int | None
    category_id: int | None
    is_published: bool | None


async def _validate_product(changes: ProductChanges, *, product_id: int | None) -> None:
    errors = await check_name_and_slug(
        changes, model=Product, exclude=product_id, name_max=NAME_MAX, slug_max=SLUG_MAX
    )
    if "description" in changes:
        errors += check_text(changes["description"], input_path("description"), DESCRIPTION_MAX)
    if "price" in changes:
        errors += check_price(changes["price"], input_path("price"))
    if "stock" in changes:
        errors += check_stock(changes["stock"], input_path("stock"))
    if "category_id" in changes:
        errors += await check_category(changes["category_id"], input_path("categoryId"))
    if "is_published" in changes and changes["is_published"] is None:
        published = input_path("isPublished")
        errors.append(error(ErrorCode.REQUIRED, text("Choose published or not"), *published))
    if errors:
        raise DomainFailure(*errors)


async def _save_with_slug(product: Product, *, explicit: bool, fields: list[str] | None) -> None:
    """Save; on a slug race, refuse an explicit slug or move an automatic one along."""
    for _ in range(SLUG_ATTEMPTS):
        try:
            await product.save(update_fields=fields)
            return
        except IntegrityError:
            taken = await slug_is_taken(Product, product.slug, exclude=product.id)
            if explicit and taken:
                raise DomainFailure(slug_taken_error(input_path("slug"))) from None
            if not taken:
                raise
            product.slug = await free_slug(
                Product, slugify(product.name), SLUG_MAX, exclude=product.id
            )
    raise DomainFailure(slug_taken_error(input_path("slug")))


async def create_product(runtime: Runtime, draft: ProductDraft) -> Product:
    changes: ProductChanges = {
        "name": draft.name,
        "price": draft.price,
        "stock": draft.stock,
        "slug": draft.slug,
        "description": draft.description or "",
        "category_id": draft.category_id,
    }
    await _validate_product(changes, product_id=None)
    name = draft.name.strip()
    product = Product(
        name=name,
        slug=draft.slug or await free_slug(Product, slugify(name), SLUG_MAX, exclude=None),
        description=draft.description or "",
        price=draft.price,
        stock=draft.stock,
        category_id=draft.category_id,
        is_published=True if draft.is_published is None else draft.is_published,
    )
    await _save_with_slug(product, explicit=bool(draft.slug), fields=None)
    await invalidate_products(runtime, [product.id])
    return product


async def _live_product(product_id: int) -> Product:
    product = await Product.get_or_none(id=product_id, deleted_at__isnull=True)
    if product is None:
        raise not_found(text("No such product"))
    return product


async def update_product(runtime: Runtime, product_id: int, changes: ProductChanges) -> Product:
    product = await _live_product(product_id)
    await _validate_product(changes, product_id=product_id)
    if (name := changes.get("name")) is not None:
        product.name = name.strip()
    if "slug" in changes:
        slug = changes["slug"]
        product.slug = slug or await free_slug(
            Product, slugify(product.name), SLUG_MAX, exclude=product_id
        )
    if "description" in changes:
        product.description = changes["description"] or ""
    if (price := changes.get("price")) is not None:
        product.price = price
    if (stock := changes.get("stock")) is not None:
        product.stock = stock
    if "category_id" in changes:
        product.category_id = changes["category_id"]
    if (is_published := changes.get("is_published")) is not None:
        product.is_published = is_published
    # Write only what changed: writing back the stock read above would undo a checkout that
    # took units in between (the admin console saves name and price without touching stock).
    fields = [*changes, "updated_at"]  # ProductChanges keys are the model's column names
    await _save_with_slug(product, explicit=bool(changes.get("slug")), fields=fields)
    await invalidate_products(runtime, [product_id])
    return product


async def delete_product(runtime: Runtime, product_id: int) -> Product:
    """Soft delete: hidden everywhere from now on, kept for the orders that reference it.

    The slug is freed (renamed to `<slug>~deleted~<id>`, which no valid slug can equal).
    """
    product = await _live_product(product_id)
    now = datetime.now(UTC)
    freed = f"{product.slug[:SLUG_MAX]}~deleted~{product.id}"
    done = await Product.filter(id=product_id, deleted_at__isnull=True).update(
        deleted_at=now, slug=freed, updated_at=now
    )
    if not done:  # deleted by a concurrent request in between
        raise not_found(text("No such product"))
    await invalidate_products(runtime, [product_id])
    await product.refresh_from_db()
    return product


async def set_stock(runtime: Runtime, product_id: int, stock: int) -> Product:
    errors = check_stock(stock, ("stock",))
    if errors:
        raise DomainFailure(*errors)
    done = await Product.filter(id=product_id, deleted_at__isnull=True).update(
        stock=stock, updated_at=datetime.now(UTC)
    )
    if not done:
        raise not_found(text("No such product"))
    await invalidate_products(runtime, [product_id])
    return await Product.get(id=product_id)


async def decrement_stock(product_id: int, quantity: int) -> bool:
    """Take `quantity` units if that many are left; False (and nothing changed) otherwise.

    One conditional UPDATE: concurrent callers can never take the stock below zero (and the
    CHECK constraint would refuse it anyway). The caller invalidates the cache after commit.
    """
    taken = await Product.filter(id=product_id, stock__gte=quantity).update(
        stock=F("stock") - quantity
    )
    return taken == 1


async def increment_stock(product_id: int, quantity: int) -> None:
    await Product.filter(id=product_id).update(stock=F("stock") + quantity)


async def add_product_images(
    runtime: Runtime,
    *,
    product_id: int,
    uploads: Sequence[Readable],
    alt: str | None = None,
    field: str = "files",
) -> list[ProductImage]:
    """Check every upload, then store them all, in order, as the last pictures of a live
    product. One bad file refuses the lot and stores nothing; its errors name `field` and the
    file's index (`field` alone for a single `file`)."""
    await _live_product(product_id)
    settings = runtime.settings
    errors = check_text(alt, ("alt",), ALT_MAX)
    if not uploads:
        errors.append(error(ErrorCode.REQUIRED, text("Choose at least one image"), field))
    if len(uploads) > settings.media_max_files:
        message = text("At most {count} images in one upload", count=settings.media_max_files)
        errors.append(error(ErrorCode.INVALID, message, field))
    if errors:
        raise DomainFailure(*errors)
    processed: list[ProcessedImage] = []
    for index, upload in enumerate(uploads):
        path = (field,) if field == "file" else (field, str(index))
        try:
            data = await read_limited(upload, settings.media_max_bytes)
            processed.append(
                await asyncio.to_thread(
                    process_image,
                    data,
                    max_bytes=settings.media_max_bytes,
                    max_pixels=settings.media_max_pixels,
                    max_dimension=settings.media_max_dimension,
                )
            )
        except DomainFailure as failure:
            errors += [dataclasses.replace(e, field=path) for e in failure.errors]
    if errors:
        raise DomainFailure(*errors)
    images = await store_processed_images(
        media_dir=settings.data_dir / "media",
        product_id=product_id,
        images=processed,
        alt=(alt or "").strip(),
    )
    await invalidate_products(runtime, [product_id])
    return images


async def describe_product_image(runtime: Runtime, image_id: int, *, alt: str) -> ProductImage:
    """Change the text that stands for a live product's picture (screen readers, broken
    images); empty clears it (the storefront then names the product and the image's place)."""
    errors = check_text(alt, ("alt",), ALT_MAX)
    if errors:
        raise DomainFailure(*errors)
    image = await ProductImage.get_or_none(id=image_id, product__deleted_at__isnull=True)
    if image is None or not await ProductImage.filter(id=image_id).update(alt=alt.strip()):
        raise not_found(text("No such image"))
    image.alt = alt.strip()
    await invalidate_products(runtime, [image.product_id])
    return image


async def reorder_product_images(
    runtime: Runtime, *, product_id: int, image_ids: Sequence[int]
) -> list[ProductImage]:
    """Show a live product's images in the order of `image_ids`, which must name each of its
    images exactly once (so a stale list, from before an upload or delete, changes nothing)."""
    await _live_product(product_id)
    async with in_transaction():
        # One lock, the product's row, serialises reorders of its images: locking the image
        # rows themselves takes them in no fixed order, and two reorders then deadlock.
        await Product.filter(id=product_id).select_for_update().only("id").get()
        current = await ProductImage.filter(product_id=product_id)
        if len(image_ids) != len(set(image_ids)) or set(image_ids) != {i.id for i in current}:
            message = text("List every image of this product exactly once")
            raise DomainFailure(error(ErrorCode.INVALID, message, "imageIds"))
        for position, image_id in enumerate(image_ids):
            await ProductImage.filter(id=image_id).update(position=position)
    await invalidate_products(runtime, [product_id])
    return (await images_by_product_ids([product_id]))[product_id]


async def delete_product_image(runtime: Runtime, image_id: int) -> Product:
    """Remove one picture of a live product (its row, then its files); returns the product."""
    image = await ProductImage.get_or_none(id=image_id, product__deleted_at__isnull=True)
    if image is None:
        raise not_found(text("No such image"))
    product_id: int = image.product_id
    if not await ProductImage.filter(id=image_id).delete():  # deleted concurrently
        raise not_found(text("No such image"))
    await remove_product_image_files(runtime.settings.data_dir / "media", image)
    await invalidate_products(runtime, [product_id])
    return await Product.get(id=product_id)
