"""Catalog administration: thin resolvers over `flashmart.catalog.services`, admins only."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any, cast

import strawberry
from strawberry.file_uploads import Upload

from flashmart.catalog import models, services
from flashmart.catalog.images import Readable
from flashmart.core.errors import DomainFailure
from flashmart.graphql.catalog.types import (
    Category,
    CategoryInput,
    CategoryPayload,
    CategoryUpdateInput,
    Product,
    ProductImage,
    ProductImagePayload,
    ProductImageReorderPayload,
    ProductImageUploadPayload,
    ProductInput,
    ProductPayload,
    ProductUpdateInput,
)
from flashmart.graphql.context import Info
from flashmart.graphql.errors import UserError
from flashmart.graphql.ids import decode_id
from flashmart.graphql.permissions import IsAdmin


def _optional_id(value: strawberry.ID | None, type_name: str) -> int | None:
    return decode_id(value, type_name) if value is not None else None


def _given(data: object, **ids: str) -> dict[str, Any]:
    """The fields of an update input that were sent (UNSET dropped), with global ids decoded."""
    sent = {k: v for k, v in vars(data).items() if v is not strawberry.UNSET}
    for name, type_name in ids.items():
        if name in sent:
            sent[name] = _optional_id(sent[name], type_name)
    return sent


async def _product_payload(operation: Awaitable[models.Product]) -> ProductPayload:
    try:
        product = await operation
    except DomainFailure as failure:
        return ProductPayload(product=None, user_errors=UserError.many(failure.errors))
    return ProductPayload(product=Product.from_model(product), user_errors=[])


async def _image_result(
    operation: Awaitable[models.ProductImage],
) -> tuple[Product | None, ProductImage | None, list[UserError]]:
    """The picture a mutation stored or changed, with its product; or why nothing changed."""
    try:
        image = await operation
    except DomainFailure as failure:
        return None, None, UserError.many(failure.errors)
    product = await models.Product.get(id=image.product_id)
    return Product.from_model(product), ProductImage.from_model(image), []


async def _category_payload(operation: Awaitable[models.Category]) -> CategoryPayload:
    try:
        category = await operation
    except DomainFailure as failure:
        return CategoryPayload(category=None, user_errors=UserError.many(failure.errors))
    return CategoryPayload(category=Category.from_model(category), user_errors=[])


@strawberry.type
class CatalogMutations:
    @strawberry.mutation(permission_classes=[IsAdmin], description="Add a product.")
    async def product_create(self, info: Info, input: ProductInput) -> ProductPayload:
        draft = services.ProductDraft(
            name=input.name,
            price=input.price,
            stock=input.stock,
            slug=input.slug,
            description=input.description,
            category_id=_optional_id(input.category_id, "Category"),
            is_published=input.is_published,
        )
        return await _product_payload(services.create_product(info.context.runtime, draft))

    @strawberry.mutation(permission_classes=[IsAdmin], description="Change a product.")
    async def product_update(
        self, info: Info, id: strawberry.ID, input: ProductUpdateInput
    ) -> ProductPayload:
        changes = cast(services.ProductChanges, _given(input, category_id="Category"))
        return await _product_payload(
            services.update_product(info.context.runtime, decode_id(id, "Product"), changes)
        )

    @strawberry.mutation(
        permission_classes=[IsAdmin],
        description=(
            "Hide a product everywhere for good (soft delete: orders keep referring to it); "
            "its slug is freed for new products."
        ),
    )
    async def product_delete(self, info: Info, id: strawberry.ID) -> ProductPayload:
        return await _product_payload(
            services.delete_product(info.context.runtime, decode_id(id, "Product"))
        )

    @strawberry.mutation(permission_classes=[IsAdmin], description="Set a product's stock.")
    async def product_stock_set(self, info: Info, id: strawberry.ID, stock: int) -> ProductPayload:
        return await _product_payload(
            services.set_stock(info.context.runtime, decode_id(id, "Product"), stock)
        )

    @strawberry.mutation(
        permission_classes=[IsAdmin],
        description=(
            "Add a picture (PNG, JPEG, WebP or GIF, at most MEDIA_MAX_BYTES) as a GraphQL "
            "multipart request carrying the header `x-flashmart-upload: 1`."
        ),
    )
    async def product_image_upload(
        self, info: Info, product_id: strawberry.ID, file: Upload, alt: str | None = None
    ) -> ProductImageUploadPayload:
        product, image, errors = await _image_result(
            services.add_product_image(
                info.context.runtime,
                product_id=decode_id(product_id, "Product"),
                upload=cast(Readable, file),
                alt=alt,
            )
        )
        return ProductImageUploadPayload(product=product, image=image, user_errors=errors)

    @strawberry.mutation(
        permission_classes=[IsAdmin],
        description=(
            "Change an image's alternative text (at most 200 characters; empty clears it)."
        ),
    )
    async def product_image_update(
        self, info: Info, id: strawberry.ID, alt: str
    ) -> ProductImagePayload:
        product, image, errors = await _image_result(
            services.describe_product_image(
                info.context.runtime, decode_id(id, "ProductImage"), alt=alt
            )
        )
        return ProductImagePayload(product=product, image=image, user_errors=errors)

    @strawberry.mutation(
        permission_classes=[IsAdmin],
        description=(
            "Show a product's images in this order; `imageIds` must name each of its images "
            "exactly once (else INVALID and nothing changes)."
        ),
    )
    async def product_image_reorder(
        self, info: Info, product_id: strawberry.ID, image_ids: list[strawberry.ID]
    ) -> ProductImageReorderPayload:
        pk = decode_id(product_id, "Product")
        ids = [decode_id(i, "ProductImage") for i in image_ids]
        try:
            images = await services.reorder_product_images(
                info.context.runtime, product_id=pk, image_ids=ids
            )
        except DomainFailure as failure:
            errors = UserError.many(failure.errors)
            return ProductImageReorderPayload(product=None, images=None, user_errors=errors)
        return ProductImageReorderPayload(
            product=Product.from_model(await models.Product.get(id=pk)),
            images=[ProductImage.from_model(i) for i in images],
            user_errors=[],
        )

    @strawberry.mutation(
        permission_classes=[IsAdmin],
        description="Remove a picture of a product (its files too); returns the product.",
    )
    async def product_image_delete(self, info: Info, id: strawberry.ID) -> ProductPayload:
        return await _product_payload(
            services.delete_product_image(info.context.runtime, decode_id(id, "ProductImage"))
        )

    @strawberry.mutation(permission_classes=[IsAdmin], description="Add a category.")
    async def category_create(self, info: Info, input: CategoryInput) -> CategoryPayload:
        draft = services.CategoryDraft(
            name=input.name, slug=input.slug, parent_id=_optional_id(input.parent_id, "Category")
        )
        return await _category_payload(services.create_category(info.context.runtime, draft))

    @strawberry.mutation(permission_classes=[IsAdmin], description="Rename or move a category.")
    async def category_update(
        self, info: Info, id: strawberry.ID, input: CategoryUpdateInput
    ) -> CategoryPayload:
        changes = cast(services.CategoryChanges, _given(input, parent_id="Category"))
        return await _category_payload(
            services.update_category(info.context.runtime, decode_id(id, "Category"), changes)
        )
