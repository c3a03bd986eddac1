"""Categories: a tree (a category may sit inside another), read by the storefront's filters
and written by administrators. Writes validate everything first and change nothing when any
check fails."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypedDict

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from flashmart.catalog.models import Category, Product
from flashmart.catalog.search import category_with_descendants
from flashmart.catalog.validation import (
    CATEGORY_NAME_MAX,
    CATEGORY_SLUG_MAX,
    check_category,
    check_name_and_slug,
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


async def categories_by_ids(ids: Sequence[int]) -> dict[int, Category]:
    return {c.id: c for c in await Category.filter(id__in=list(ids))}


async def list_categories() -> list[Category]:
    return await Category.all().order_by("name")


async def children_by_parent_ids(ids: Sequence[int]) -> dict[int, list[Category]]:
    found: dict[int, list[Category]] = {i: [] for i in ids}
    for category in await Category.filter(parent_id__in=list(ids)).order_by("name"):
        if category.parent_id is not None:  # always: the filter asks for a parent
            found[category.parent_id].append(category)
    return found


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
    errors = await check_name_and_slug(
        changes,
        model=Category,
        exclude=category_id,
        name_max=CATEGORY_NAME_MAX,
        slug_max=CATEGORY_SLUG_MAX,
    )
    parent_id = changes.get("parent_id")
    if parent_id is not None:
        path = input_path("parentId")
        found = await check_category(parent_id, path)
        errors += found
        if (
            not found
            and category_id is not None
            and parent_id in await category_with_descendants(category_id)
        ):
            message = text("A category cannot sit inside itself or its own subcategories")
            errors.append(error(ErrorCode.INVALID, message, *path))
    if errors:
        raise DomainFailure(*errors)


async def _save_category(category: Category, *, explicit_slug: bool) -> None:
    try:
        await category.save()
    except IntegrityError:
        if not await slug_is_taken(Category, category.slug, exclude=category.id):
            raise
        if explicit_slug:
            raise DomainFailure(slug_taken_error(input_path("slug"))) from None
        category.slug = await free_slug(
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
        or await free_slug(Category, slugify(name), CATEGORY_SLUG_MAX, exclude=None),
        parent_id=draft.parent_id,
    )
    await _save_category(category, explicit_slug=bool(draft.slug))
    return category


async def update_category(runtime: Runtime, category_id: int, changes: CategoryChanges) -> Category:
    category = await Category.get_or_none(id=category_id)
    if category is None:
        raise not_found(text("No such category"))
    await _validate_category(changes, category_id=category_id)
    if (name := changes.get("name")) is not None:
        category.name = name.strip()
    if "slug" in changes:
        category.slug = changes["slug"] or await free_slug(
            Category, slugify(category.name), CATEGORY_SLUG_MAX, exclude=category_id
        )
    if "parent_id" in changes:
        category.parent_id = changes["parent_id"]
    await _save_category(category, explicit_slug=bool(changes.get("slug")))
    # The cached pages hold no category data, but a filtered listing may change: nothing to drop.
    return category


async def delete_category(runtime: Runtime, category_id: int) -> Category:
    """Remove an empty category; returns it as it was. Refused (CATEGORY_NOT_EMPTY, nothing
    changes) while a product that is not deleted, published or not, or a subcategory is in it.
    Deleted products that still name it lose the reference (they are never shown)."""
    category = await Category.get_or_none(id=category_id)
    if category is None:
        raise not_found(text("No such category"))
    errors = []
    products = await Product.filter(category_id=category_id, deleted_at__isnull=True).count()
    if products:
        message = text(
            "The category holds {count} product(s): move or delete them first", count=products
        )
        errors.append(error(ErrorCode.CATEGORY_NOT_EMPTY, message, "id"))
    children = await Category.filter(parent_id=category_id).count()
    if children:
        message = text(
            "The category holds {count} subcategories: move or delete them first", count=children
        )
        errors.append(error(ErrorCode.CATEGORY_NOT_EMPTY, message, "id"))
    if errors:
        raise DomainFailure(*errors)
    async with in_transaction():
        await Product.filter(category_id=category_id).update(category_id=None)
        await Category.filter(id=category_id).delete()
    return category
