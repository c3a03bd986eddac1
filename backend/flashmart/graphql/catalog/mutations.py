"""Catalog administration: thin resolvers over `flashmart.catalog.services`, admins only."""

from __future__ import annotations

from typing import Any, cast

import strawberry
from strawberry.file_uploads import Upload

from flashmart.catalog import categories, models, services
from flashmart.catalog.images import Readable
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
from flashmart.graphql.errors import UserErrorsExtension
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


def _product_payload(product: models.Product) -> ProductPayload:
    return ProductPayload(product=Product.from_model(product), user_errors=[])


async def _product_of(image: models.ProductImage) -> Product:
    """The product a picture belongs to, as it is after the change."""
    product = await models.Product.get(id=image.product_id)
    return Product.from_model(product)


def _category_payload(category: models.Category) -> CategoryPayload:
    return CategoryPayload(category=Category.from_model(category), user_errors=[])


@strawberry.type
class CatalogMutations:
    @strawberry.mutation(
        permission_classes=[IsAdmin],
        extensions=[UserErrorsExtension()],
        description="Add a product.",
    )
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
        return _product_payload(await services.create_product(info.context.runtime, draft))

    @strawberry.mutation(
        permission_classes=[IsAdmin],
        extensions=[UserErrorsExtension()],
        description="Change a product.",
    )
    async def product_update(
        self, info: Info, id: strawberry.ID, input: ProductUpdateInput
    ) -> ProductPayload:
        changes = cast(services.ProductChanges, _given(input, category_id="Category"))
        return _product_payload(
            await services.update_product(info.context.runtime, decode_id(id, "Product"), changes)
        )

    @strawberry.mutation(
        permission_classes=[IsAdmin],
        extensions=[UserErrorsExtension()],
        description=(
            "Hide a product everywhere for good (soft delete: orders keep referring to it); "
            "its slug is freed for new products."
        ),
    )
    async def product_delete(self, info: Info, id: strawberry.ID) -> ProductPayload:
        return _product_payload(
            await services.delete_product(info.context.runtime, decode_id(id, "Product"))
        )

    @strawberry.mutation(
        permission_classes=[IsAdmin],
        extensions=[UserErrorsExtension()],
        description="Set a product's stock.",
    )
    async def product_stock_set(self, info: Info, id: strawberry.ID, stock: int) -> ProductPayload:
        return _product_payload(
            await services.set_stock(info.context.runtime, decode_id(id, "Product"), stock)
        )

    @strawberry.mutation(
        permission_classes=[IsAdmin],
        extensions=[UserErrorsExtension()],
        description=(
            "Add pictures (PNG, JPEG, WebP or GIF, each at most MEDIA_MAX_BYTES; at most "
            "MEDIA_MAX_FILES at once; larger than MEDIA_MAX_DIMENSION a side: scaled down) as "
            "a GraphQL multipart request carrying the header `x-flashmart-upload: 1`. Send one "
            "`file` or several `files` (after `file`, in order); one bad file stores none."
        ),
    )
    async def product_image_upload(
        self,
        info: Info,
        product_id: strawberry.ID,
        file: Upload | None = None,
        files: list[Upload] | None = None,
        alt: str | None = None,
    ) -> ProductImageUploadPayload:
        uploads = [cast(Readable, f) for f in ([file] if file is not None else []) + (files or [])]
        images = await services.add_product_images(
            info.context.runtime,
            product_id=decode_id(product_id, "Product"),
            uploads=uploads,
            alt=alt,
            field="file" if files is None and file is not None else "files",
        )
        return ProductImageUploadPayload(
            product=await _product_of(images[0]),
            image=ProductImage.from_model(images[-1]),
            images=[ProductImage.from_model(i) for i in images],
            user_errors=[],
        )

    @strawberry.mutation(
        permission_classes=[IsAdmin],
        extensions=[UserErrorsExtension()],
        description=(
            "Change an image's alternative text (at most 200 characters; empty clears it)."
        ),
    )
    async def product_image_update(
        self, info: Info, id: strawberry.ID, alt: str
    ) -> ProductImagePayload:
        image = await services.describe_product_image(
            info.context.runtime, decode_id(id, "ProductImage"), alt=alt
        )
        return ProductImagePayload(
            product=await _product_of(image), image=ProductImage.from_model(image), user_errors=[]
        )

    @strawberry.mutation(
        permission_classes=[IsAdmin],
        extensions=[UserErrorsExtension()],
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
        images = await services.reorder_product_images(
            info.context.runtime, product_id=pk, image_ids=ids
        )
        return ProductImageReorderPayload(
            product=Product.from_model(await models.Product.get(id=pk)),
            images=[ProductImage.from_model(i) for i in images],
            user_errors=[],
        )

    @strawberry.mutation(
        permission_classes=[IsAdmin],
        extensions=[UserErrorsExtension()],
        description="Remove a picture of a product (its files too); returns the product.",
    )
    async def product_image_delete(self, info: Info, id: strawberry.ID) -> ProductPayload:
        return _product_payload(
            await services.delete_product_image(info.context.runtime, decode_id(id, "ProductImage"))
        )

    @strawberry.mutation(
        permission_classes=[IsAdmin],
        extensions=[UserErrorsExtension()],
        description="Add a category.",
    )
    async def category_create(self, info: Info, input: CategoryInput) -> CategoryPayload:
        draft = categories.CategoryDraft(
            name=input.name, slug=input.slug, parent_id=_optional_id(input.parent_id, "Category")
        )
        return _category_payload(await categories.create_category(info.context.runtime, draft))

    @strawberry.mutation(
        permission_classes=[IsAdmin],
        extensions=[UserErrorsExtension()],
        description="Rename or move a category.",
    )
    async def category_update(
        self, info: Info, id: strawberry.ID, input: CategoryUpdateInput
    ) -> CategoryPayload:
        changes = cast(categories.CategoryChanges, _given(input, parent_id="Category"))
        return _category_payload(
            await categories.update_category(
                info.context.runtime, decode_id(id, "Category"), changes
            )
        )

    @strawberry.mutation(
        permission_classes=[IsAdmin],
        extensions=[UserErrorsExtension()],
        description=(
            "Delete an empty category (returned as it was); CATEGORY_NOT_EMPTY while it holds "
            "products (published or not) or subcategories."
        ),
    )
    async def category_delete(self, info: Info, id: strawberry.ID) -> CategoryPayload:
        return _category_payload(
            await categories.delete_category(info.context.runtime, decode_id(id, "Category"))
        )
