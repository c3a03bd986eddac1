"""Read-through Redis cache of product detail and of the first page of the default listing.

- `Keys.product_cache(id)`: one product with its images, as JSON (`ProductSnapshot`).
- `Keys.product_list_cache`: a hash from page size to the first page of the shoppers' default
  listing (published products in catalog order): the products, their images, the total and
  whether more follow.

Entries live `CATALOG_CACHE_TTL_SECONDS` (30 s by default). Every catalog write deletes what
it changes (`invalidate`) after its database write; the TTL bounds the rare race where a reader
that missed before the write stores the old row after the delete, and writes made where no
Redis is configured (the seed). Redis being down never fails a read: it falls back to the
database and logs a warning.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any, cast

from redis.exceptions import RedisError

from flashmart.catalog.models import Product, ProductImage
from flashmart.core.runtime import Runtime

logger = logging.getLogger("flashmart.catalog")


@dataclass(frozen=True)
class ProductSnapshot:
    product: Product
    images: list[ProductImage]


@dataclass(frozen=True)
class ProductPage:
    items: list[ProductSnapshot]
    total_count: int
    has_next_page: bool


def _time(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _parse_time(value: Any) -> datetime | None:
    return datetime.fromisoformat(value) if value is not None else None


def _snapshot_to_json(snapshot: ProductSnapshot) -> dict[str, Any]:
    p = snapshot.product
    return {
        "id": p.id,
        "name": p.name,
        "slug": p.slug,
        "description": p.description,
        "price": str(p.price),
        "currency": p.currency,
        "stock": p.stock,
        "category_id": p.category_id,
        "is_published": p.is_published,
        "deleted_at": _time(p.deleted_at),
        "created_at": _time(p.created_at),
        "updated_at": _time(p.updated_at),
        "images": [
            {
                "id": i.id,
                "file": i.file,
                "thumbnail": i.thumbnail,
                "alt": i.alt,
                "position": i.position,
                "width": i.width,
                "height": i.height,
                "created_at": _time(i.created_at),
            }
            for i in snapshot.images
        ],
    }


def _snapshot_from_json(data: dict[str, Any]) -> ProductSnapshot:
    product = Product(
        id=data["id"],
        name=data["name"],
        slug=data["slug"],
        description=data["description"],
        price=Decimal(data["price"]),
        currency=data["currency"],
        stock=data["stock"],
        category_id=data["category_id"],
        is_published=data["is_published"],
        deleted_at=_parse_time(data["deleted_at"]),
        created_at=_parse_time(data["created_at"]),
        updated_at=_parse_time(data["updated_at"]),
    )
    images = [
        ProductImage(
            id=i["id"],
            product_id=data["id"],
            file=i["file"],
            thumbnail=i["thumbnail"],
            alt=i["alt"],
            position=i["position"],
            width=i["width"],
            height=i["height"],
            created_at=_parse_time(i["created_at"]),
        )
        for i in data["images"]
    ]
    return ProductSnapshot(product=product, images=images)


class ProductCache:
    def __init__(self, runtime: Runtime) -> None:
        self.redis = runtime.redis
        self.keys = runtime.keys
        self.ttl = runtime.settings.catalog_cache_ttl_seconds

    async def product(self, product_id: int) -> ProductSnapshot | None:
        try:
            raw = await self.redis.get(self.keys.product_cache(product_id))
        except RedisError as exc:
            logger.warning("product cache unavailable: %s", exc)
            return None
        return _snapshot_from_json(json.loads(raw)) if raw is not None else None

    async def store_product(self, snapshot: ProductSnapshot) -> None:
        key = self.keys.product_cache(snapshot.product.id)
        value = json.dumps(_snapshot_to_json(snapshot), separators=(",", ":"))
        try:
            await self.redis.set(key, value, ex=self.ttl)
        except RedisError as exc:
            logger.warning("product cache unavailable: %s", exc)

    async def first_page(self, size: int) -> ProductPage | None:
        try:
            raw = await cast(
                Awaitable[bytes | None], self.redis.hget(self.keys.product_list_cache, str(size))
            )
        except RedisError as exc:
            logger.warning("product cache unavailable: %s", exc)
            return None
        if raw is None:
            return None
        data = json.loads(raw)
        return ProductPage(
            items=[_snapshot_from_json(item) for item in data["items"]],
            total_count=data["total_count"],
            has_next_page=data["has_next_page"],
        )

    async def store_first_page(self, size: int, page: ProductPage) -> None:
        key = self.keys.product_list_cache
        value = json.dumps(
            {
                "items": [_snapshot_to_json(item) for item in page.items],
                "total_count": page.total_count,
                "has_next_page": page.has_next_page,
            },
            separators=(",", ":"),
        )
        try:
            async with self.redis.pipeline(transaction=True) as pipe:
                pipe.hset(key, str(size), value)
                pipe.ttl(key)
                _, ttl = await pipe.execute()
            if ttl < 0:  # a new hash: it goes, all sizes at once, when its first entry ages
                await self.redis.expire(key, self.ttl)
        except RedisError as exc:
            logger.warning("product cache unavailable: %s", exc)

    async def invalidate(self, product_ids: Iterable[int] = ()) -> None:
        """Forget `product_ids` and the cached listing pages (call after the database write)."""
        keys = [self.keys.product_list_cache, *(self.keys.product_cache(i) for i in product_ids)]
        try:
            await self.redis.delete(*keys)
        except RedisError as exc:
            logger.error("product cache not invalidated (stale for up to %s s): %s", self.ttl, exc)
