"""Catalog reads and writes. No GraphQL here.

Writes validate everything first and change nothing when any check fails (`DomainFailure`
with one `DomainError` per problem); after a successful write they drop the cache entries
that showed the old state (`catalog/cache.py`). Products are soft-deleted (docs/catalog.md).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import TypedDict

from tortoise.exceptions import IntegrityError
from tortoise.expressions import F
from tortoise.models import Model
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from flashmart.catalog.cache import ProductCache, ProductPage, ProductSnapshot
from flashmart.catalog.images import (
    Readable,
    read_limited,
    remove_product_image_files,
    store_product_image,
)
from flashmart.catalog.models import Category, Product, ProductImage
from flashmart.catalog.search import CATALOG_ORDER, category_with_descendants
from flashmart.core.errors import DomainError, DomainFailure, ErrorCode
from flashmart.core.runtime import Runtime

NAME_MAX = 200
CATEGORY_NAME_MAX = 100
SLUG_MAX = 200  # the column holds 220: room for the "~deleted~<id>" of a deleted product
CATEGORY_SLUG_MAX = 100
DESCRIPTION_MAX = 20_000
ALT_MAX = 200
MAX_STOCK = 1_000_000
MAX_PRICE = Decimal("9999999999.99")  # DECIMAL(12, 2)
CENT = Decimal("0.01")
SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
SLUG_ATTEMPTS = 5


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


async def categories_by_ids(ids: Sequence[int]) -> dict[int, Category]:
    return {c.id: c for c in await Category.filter(id__in=list(ids))}


async def list_categories() -> list[Category]:
    return await Category.all().order_by("name")


async def images_by_product_ids(ids: Sequence[int]) -> dict[int, list[ProductImage]]:
    found: dict[int, list[ProductImage]] = {i: [] for i in ids}
    for image in await ProductImage.filter(product_id__in=list(ids)).order_by("position", "id"):
        found[image.product_id].append(image)
    return found


async def children_by_parent_ids(ids: Sequence[int]) -> dict[int, list[Category]]:
    found: dict[int, list[Category]] = {i: [] for i in ids}
    for category in await Category.filter(parent_id__in=list(ids)).order_by("name"):
        if category.parent_id is not None:  # always: the filter asks for a parent
            found[category.parent_id].append(category)
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


# --- validation -----------------------------------------------------------------------------
def _error(code: ErrorCode, message: str, *field: str) -> DomainError:
    return DomainError(code, message, field)


def slugify(text: str) -> str:
    """ASCII words joined by hyphens ("Aurora X1 Pro!" → "aurora-x1-pro"); may be empty."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "-".join(re.findall(r"[a-z0-9]+", ascii_text.lower()))


def _check_name(name: str | None, path: tuple[str, ...], maximum: int) -> list[DomainError]:
    if name is None or not name.strip():
        return [_error(ErrorCode.REQUIRED, "Enter a name", *path)]
    if len(name.strip()) > maximum:
        return [_error(ErrorCode.INVALID, f"Use at most {maximum} characters", *path)]
    return []


def _check_slug(slug: str, path: tuple[str, ...], maximum: int) -> list[DomainError]:
    if len(slug) > maximum or not SLUG_PATTERN.match(slug):
        message = f"Use lowercase letters, digits and single hyphens (at most {maximum} characters)"
        return [_error(ErrorCode.INVALID, message, *path)]
    return []


def check_price(price: Decimal | None, path: tuple[str, ...]) -> list[DomainError]:
    if price is None:
        return [_error(ErrorCode.REQUIRED, "Enter a price", *path)]
    if not price.is_finite() or price <= 0 or price > MAX_PRICE:
        return [_error(ErrorCode.INVALID, f"Enter a price above 0 and up to {MAX_PRICE}", *path)]
    if price != price.quantize(CENT):
        return [_error(ErrorCode.INVALID, "Use at most 2 decimal places", *path)]
    return []


def check_stock(stock: int | None, path: tuple[str, ...]) -> list[DomainError]:
    if stock is None:
        return [_error(ErrorCode.REQUIRED, "Enter the stock", *path)]
    if not 0 <= stock <= MAX_STOCK:
        return [_error(ErrorCode.INVALID, f"Stock must be between 0 and {MAX_STOCK}", *path)]
    return []


def _check_text(value: str | None, path: tuple[str, ...], maximum: int) -> list[DomainError]:
    if value is not None and len(value) > maximum:
        return [_error(ErrorCode.INVALID, f"Use at most {maximum} characters", *path)]
    return []


async def _check_category(category_id: int | None, path: tuple[str, ...]) -> list[DomainError]:
    if category_id is not None and not await Category.exists(id=category_id):
        return [_error(ErrorCode.NOT_FOUND, "No such category", *path)]
    return []


async def _free_slug(model: type[Model], base: str, maximum: int, *, exclude: int | None) -> str:
    """`base`, or `base-2`, `base-3`... whichever no other row uses."""
    base = base[: maximum - 8].strip("-") or "item"
    taken_rows = model.filter(slug__startswith=base)
    if exclude is not None:
        taken_rows = taken_rows.exclude(id=exclude)
    taken = {str(slug) for slug in await taken_rows.values_list("slug", flat=True)}
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


async def _slug_is_taken(model: type[Model], slug: str, *, exclude: int | None) -> bool:
    rows = model.filter(slug=slug)
    if exclude is not None:
        rows = rows.exclude(id=exclude)
    return await rows.exists()


def _slug_taken_error(path: tuple[str, ...]) -> DomainError:
    return _error(ErrorCode.UNIQUE, "This slug is already used", *path)


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


def _input(name: str) -> tuple[str, ...]:
    return ("input", name)


def _not_found(what: str, field: str = "id") -> DomainFailure:
    return DomainFailure(_error(ErrorCode.NOT_FOUND, f"No such {what}", field))


async def _validate_product(changes: ProductChanges, *, product_id: int | None) -> None:
    errors: list[DomainError] = []
    if "name" in changes:
        errors += _check_name(changes["name"], _input("name"), NAME_MAX)
    slug = changes.get("slug")
    if slug:  # blank means: make one from the name
        errors += _check_slug(slug, _input("slug"), SLUG_MAX)
        if not errors and await _slug_is_taken(Product, slug, exclude=product_id):
            errors.append(_slug_taken_error(_input("slug")))
    if "description" in changes:
        errors += _check_text(changes["description"], _input("description"), DESCRIPTION_MAX)
    if "price" in changes:
        errors += check_price(changes["price"], _input("price"))
    if "stock" in changes:
        errors += check_stock(changes["stock"], _input("stock"))
    if "category_id" in changes:
        errors += await _check_category(changes["category_id"], _input("categoryId"))
    if "is_published" in changes and changes["is_published"] is None:
        errors.append(_error(ErrorCode.REQUIRED, "Choose published or not", *_input("isPublished")))
    if errors:
        raise DomainFailure(*errors)


async def _save_with_slug(product: Product, *, explicit: bool, fields: list[str] | None) -> None:
    """Save; on a slug race, refuse an explicit slug or move an automatic one along."""
    for _ in range(SLUG_ATTEMPTS):
        try:
            await product.save(update_fields=fields)
            return
        except IntegrityError:
            taken = await _slug_is_taken(Product, product.slug, exclude=product.id)
            if explicit and taken:
                raise DomainFailure(_slug_taken_error(_input("slug"))) from None
            if not taken:
                raise
            product.slug = await _free_slug(
                Product, slugify(product.name), SLUG_MAX, exclude=product.id
            )
    raise DomainFailure(_slug_taken_error(_input("slug")))


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
        slug=draft.slug or await _free_slug(Product, slugify(name), SLUG_MAX, exclude=None),
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
        raise _not_found("product")
    return product


async def update_product(runtime: Runtime, product_id: int, changes: ProductChanges) -> Product:
    product = await _live_product(product_id)
    await _validate_product(changes, product_id=product_id)
    if (name := changes.get("name")) is not None:
        product.name = name.strip()
    if "slug" in changes:
        slug = changes["slug"]
        product.slug = slug or await _free_slug(
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
        raise _not_found("product")
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
        raise _not_found("product")
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


async def add_product_image(
    runtime: Runtime, *, product_id: int, upload: Readable, alt: str | None = None
) -> ProductImage:
    """Check and store an uploaded image as the last picture of a live product."""
    await _live_product(product_id)
    errors = _check_text(alt, ("alt",), ALT_MAX)
    if errors:
        raise DomainFailure(*errors)
    settings = runtime.settings
    data = await read_limited(upload, settings.media_max_bytes)
    image = await store_product_image(
        media_dir=settings.data_dir / "media",
        product_id=product_id,
        data=data,
        alt=alt or "",
        max_bytes=settings.media_max_bytes,
        max_pixels=settings.media_max_pixels,
    )
    await invalidate_products(runtime, [product_id])
    return image


async def describe_product_image(runtime: Runtime, image_id: int, *, alt: str) -> ProductImage:
    """Change the text that stands for a live product's picture (screen readers, broken
    images); empty clears it (the storefront then names the product and the image's place)."""
    errors = _check_text(alt, ("alt",), ALT_MAX)
    if errors:
        raise DomainFailure(*errors)
    image = await ProductImage.get_or_none(id=image_id, product__deleted_at__isnull=True)
    if image is None or not await ProductImage.filter(id=image_id).update(alt=alt.strip()):
        raise _not_found("image")
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
            message = "List every image of this product exactly once"
            raise DomainFailure(_error(ErrorCode.INVALID, message, "imageIds"))
        for position, image_id in enumerate(image_ids):
            await ProductImage.filter(id=image_id).update(position=position)
    await invalidate_products(runtime, [product_id])
    return (await images_by_product_ids([product_id]))[product_id]


async def delete_product_image(runtime: Runtime, image_id: int) -> Product:
    """Remove one picture of a live product (its row, then its files); returns the product."""
    image = await ProductImage.get_or_none(id=image_id, product__deleted_at__isnull=True)
    if image is None:
        raise _not_found("image")
    product_id: int = image.product_id
    if not await ProductImage.filter(id=image_id).delete():  # deleted concurrently
        raise _not_found("image")
    await remove_product_image_files(runtime.settings.data_dir / "media", image)
    await invalidate_products(runtime, [product_id])
    return await Product.get(id=product_id)


# --- categories -----------------------------------------------------------------------------
@dataclass(frozen=True)
class CategoryDraft:
    name: str
    slug: str | None = None
    parent_id: int | None = None


class CategoryChanges(TypedDict, total=False):
    """As `ProductChanges`: `slug: None` regenerates it, `parent_id: None` makes a root."""

    name: str | None
    slug: str | None
    parent_id: int | None


async def _validate_category(changes: CategoryChanges, *, category_id: int | None) -> None:
    errors: list[DomainError] = []
    if "name" in changes:
        errors += _check_name(changes["name"], _input("name"), CATEGORY_NAME_MAX)
    slug = changes.get("slug")
    if slug:  # blank means: make one from the name
        errors += _check_slug(slug, _input("slug"), CATEGORY_SLUG_MAX)
        if not errors and await _slug_is_taken(Category, slug, exclude=category_id):
            errors.append(_slug_taken_error(_input("slug")))
    parent_id = changes.get("parent_id")
    if parent_id is not None:
        path = _input("parentId")
        found = await _check_category(parent_id, path)
        errors += found
        if (
            not found
            and category_id is not None
            and parent_id in await category_with_descendants(category_id)
        ):
            message = "A category cannot sit inside itself or its own subcategories"
            errors.append(_error(ErrorCode.INVALID, message, *path))
    if errors:
        raise DomainFailure(*errors)


async def _save_category(category: Category, *, explicit_slug: bool) -> None:
    try:
        await category.save()
    except IntegrityError:
        if not await _slug_is_taken(Category, category.slug, exclude=category.id):
            raise
        if explicit_slug:
            raise DomainFailure(_slug_taken_error(_input("slug"))) from None
        category.slug = await _free_slug(
            Category, slugify(category.name), CATEGORY_SLUG_MAX, exclude=category.id
        )
        await category.save()


async def create_category(runtime: Runtime, draft: CategoryDraft) -> Category:
    changes: CategoryChanges = {
        "name": draft.name,
        "slug": draft.slug,
        "parent_id": draft.parent_id,
    }
    await _validate_category(changes, category_id=None)
    name = draft.name.strip()
    category = Category(
        name=name,
        slug=draft.slug
        or await _free_slug(Category, slugify(name), CATEGORY_SLUG_MAX, exclude=None),
        parent_id=draft.parent_id,
    )
    await _save_category(category, explicit_slug=bool(draft.slug))
    return category


async def update_category(runtime: Runtime, category_id: int, changes: CategoryChanges) -> Category:
    category = await Category.get_or_none(id=category_id)
    if category is None:
        raise _not_found("category")
    await _validate_category(changes, category_id=category_id)
    if (name := changes.get("name")) is not None:
        category.name = name.strip()
    if "slug" in changes:
        category.slug = changes["slug"] or await _free_slug(
            Category, slugify(category.name), CATEGORY_SLUG_MAX, exclude=category_id
        )
    if "parent_id" in changes:
        category.parent_id = changes["parent_id"]
    await _save_category(category, explicit_slug=bool(changes.get("slug")))
    # The cached pages hold no category data, but a filtered listing may change: nothing to drop.
    return category
