"""Checks shared by catalog writes: names, slugs, prices, stock, text, categories.

Each check returns the `DomainError`s it found (empty: fine), so a write collects every
problem before refusing; `slugify`, `free_slug` and `slug_is_taken` keep slugs unique.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from tortoise.models import Model

from flashmart.catalog.models import Category
from flashmart.core.errors import DomainError, DomainFailure, ErrorCode
from flashmart.core.i18n import Message, text

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


def error(code: ErrorCode, message: Message, *field: str) -> DomainError:
    return DomainError(code, message, field)


def slugify(value: str) -> str:
    """ASCII words joined by hyphens ("Aurora X1 Pro!" → "aurora-x1-pro"); may be empty."""
    ascii_text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    return "-".join(re.findall(r"[a-z0-9]+", ascii_text.lower()))


def check_name(name: str | None, path: tuple[str, ...], maximum: int) -> list[DomainError]:
    if name is None or not name.strip():
        return [error(ErrorCode.REQUIRED, text("Enter a name"), *path)]
    if len(name.strip()) > maximum:
        return [
            error(
                ErrorCode.INVALID, text("Use at most {maximum} characters", maximum=maximum), *path
            )
        ]
    return []


def check_slug(slug: str, path: tuple[str, ...], maximum: int) -> list[DomainError]:
    if len(slug) > maximum or not SLUG_PATTERN.match(slug):
        message = text(
            "Use lowercase letters, digits and single hyphens (at most {maximum} characters)",
            maximum=maximum,
        )
        return [error(ErrorCode.INVALID, message, *path)]
    return []


def check_price(price: Decimal | None, path: tuple[str, ...]) -> list[DomainError]:
    if price is None:
        return [error(ErrorCode.REQUIRED, text("Enter a price"), *path)]
    if not price.is_finite() or price <= 0 or price > MAX_PRICE:
        return [
            error(
                ErrorCode.INVALID,
                text("Enter a price above 0 and up to {maximum}", maximum=MAX_PRICE),
                *path,
            )
        ]
    if price != price.quantize(CENT):
        return [error(ErrorCode.INVALID, text("Use at most 2 decimal places"), *path)]
    return []


def check_stock(stock: int | None, path: tuple[str, ...]) -> list[DomainError]:
    if stock is None:
        return [error(ErrorCode.REQUIRED, text("Enter the stock"), *path)]
    if not 0 <= stock <= MAX_STOCK:
        return [
            error(
                ErrorCode.INVALID,
                text("Stock must be between 0 and {maximum}", maximum=MAX_STOCK),
                *path,
            )
        ]
    return []


def check_text(value: str | None, path: tuple[str, ...], maximum: int) -> list[DomainError]:
    if value is not None and len(value) > maximum:
        return [
            error(
                ErrorCode.INVALID, text("Use at most {maximum} characters", maximum=maximum), *path
            )
        ]
    return []


async def check_category(category_id: int | None, path: tuple[str, ...]) -> list[DomainError]:
    if category_id is not None and not await Category.exists(id=category_id):
        return [error(ErrorCode.NOT_FOUND, text("No such category"), *path)]
    return []


async def free_slug(model: type[Model], base: str, maximum: int, *, exclude: int | None) -> str:
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


async def slug_is_taken(model: type[Model], slug: str, *, exclude: int | None) -> bool:
    rows = model.filter(slug=slug)
    if exclude is not None:
        rows = rows.exclude(id=exclude)
    return await rows.exists()


def slug_taken_error(path: tuple[str, ...]) -> DomainError:
    return error(ErrorCode.UNIQUE, text("This slug is already used"), *path)


def input_path(name: str) -> tuple[str, ...]:
    return ("input", name)


def not_found(message: Message, field: str = "id") -> DomainFailure:
    """NOT_FOUND, e.g. `not_found(text("No such product"))`."""
    return DomainFailure(error(ErrorCode.NOT_FOUND, message, field))


async def check_name_and_slug(
    changes: Mapping[str, Any],
    *,
    model: type[Model],
    exclude: int | None,
    name_max: int,
    slug_max: int,
) -> list[DomainError]:
    """The name (when given) and the slug (when given and not blank: blank means "make one
    from the name"), which no other row of `model` may use."""
    errors: list[DomainError] = []
    if "name" in changes:
        errors += check_name(changes["name"], input_path("name"), name_max)
    slug = changes.get("slug")
    if slug:
        errors += check_slug(slug, input_path("slug"), slug_max)
        if not errors and await slug_is_taken(model, slug, exclude=exclude):
            errors.append(slug_taken_error(input_path("slug")))
    return errors
