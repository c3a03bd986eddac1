"""Catalog tables: categories (nested), products and their images.

Indexes serve the storefront's filters and sorts: category, price, name and creation time on
products; the parent on categories; the product on images. SQLite also has one on `CAST(price
AS NUMERIC)` (Tortoise compares SQLite decimals that way; migration 3), PostgreSQL GIN trigram
indexes on name and description (see `catalog/search.py`; migration 12).
"""

from __future__ import annotations

from tortoise import fields
from tortoise.models import Model


class Category(Model):
    id = fields.BigIntField(primary_key=True)
    name = fields.CharField(max_length=100)
    slug = fields.CharField(max_length=120, unique=True)
    parent: fields.ForeignKeyNullableRelation[Category] = fields.ForeignKeyField(
        "models.Category",
        related_name="children",
        null=True,
        on_delete=fields.SET_NULL,
        db_index=True,
    )
    parent_id: int | None
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "catalog_category"
        ordering = ("name",)


class Product(Model):
    """A sellable item. `stock` never goes negative (a CHECK constraint in the migration).

    Products are never deleted (order lines reference them): `deleted_at` hides one everywhere.
    """

    id = fields.BigIntField(primary_key=True)
    name = fields.CharField(max_length=200, db_index=True)
    slug = fields.CharField(max_length=220, unique=True)
    description = fields.TextField(default="")
    price = fields.DecimalField(max_digits=12, decimal_places=2, db_index=True)
    currency = fields.CharField(max_length=3, default="CNY")
    stock = fields.IntField(default=0)
    category: fields.ForeignKeyNullableRelation[Category] = fields.ForeignKeyField(
        "models.Category",
        related_name="products",
        null=True,
        on_delete=fields.SET_NULL,
        db_index=True,
    )
    category_id: int | None
    is_published = fields.BooleanField(default=True, db_index=True)
    deleted_at = fields.DatetimeField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True, db_index=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "catalog_product"


class ProductImage(Model):
    """An uploaded picture; `file` and `thumbnail` are paths under the media directory."""

    id = fields.BigIntField(primary_key=True)
    product: fields.ForeignKeyRelation[Product] = fields.ForeignKeyField(
        "models.Product", related_name="images", on_delete=fields.CASCADE, db_index=True
    )
    product_id: int
    file = fields.CharField(max_length=255)
    thumbnail = fields.CharField(max_length=255, default="")
    alt = fields.CharField(max_length=200, default="")
    position = fields.IntField(default=0)
    width = fields.IntField(default=0)
    height = fields.IntField(default=0)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "catalog_product_image"
        ordering = ("position", "id")
