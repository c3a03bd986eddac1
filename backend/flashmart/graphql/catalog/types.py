"""GraphQL types of the catalog: products, categories, images, their inputs and payloads."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal

import strawberry
from strawberry import relay

from flashmart.catalog import images as image_files
from flashmart.catalog import models, search
from flashmart.catalog import services as catalog
from flashmart.graphql.context import Info
from flashmart.graphql.errors import UserError
from flashmart.graphql.ids import node_pks
from flashmart.graphql.scalars import Money

ProductSort = strawberry.enum(
    search.ProductSort,
    name="ProductSort",
    description=(
        "How to order products. Without `sortBy`, a search orders by RELEVANCE and a plain "
        "listing in the order products were added (oldest first)."
    ),
)


@strawberry.type(description="A group of products; categories may nest.")
class Category(relay.Node):
    id: relay.NodeID[int]
    name: str
    slug: str
    parent_id: strawberry.Private[int | None]

    @strawberry.field(description="The category this one sits in; null for a top-level one.")
    async def parent(self, info: Info) -> Category | None:
        if self.parent_id is None:
            return None
        found = await info.context.loaders.category.load(self.parent_id)
        return Category.from_model(found) if found else None

    @strawberry.field(description="The categories directly inside this one, by name.")
    async def children(self, info: Info) -> list[Category]:
        found = await info.context.loaders.category_children.load(self.id)
        return [Category.from_model(c) for c in found]

    @classmethod
    def from_model(cls, category: models.Category) -> Category:
        return cls(
            id=category.id,
            name=category.name,
            slug=category.slug,
            parent_id=category.parent_id,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Category | None]:
        found = await info.context.loaders.category.load_many(node_pks(node_ids, "Category"))
        return [cls.from_model(c) if c else None for c in found]


@strawberry.type(description="A picture of a product, re-encoded on upload, with a thumbnail.")
class ProductImage(relay.Node):
    id: relay.NodeID[int]
    alt: str
    width: int
    height: int
    position: int
    file: strawberry.Private[str]
    thumbnail: strawberry.Private[str]

    @strawberry.field(description="Where the image is served, e.g. `/media/products/1/ab.png`.")
    def url(self) -> str:
        return image_files.media_url(self.file)

    @strawberry.field(description="A WebP of at most 400 x 400 pixels; the image itself if none.")
    def thumbnail_url(self) -> str:
        return image_files.media_url(self.thumbnail or self.file)

    @classmethod
    def from_model(cls, image: models.ProductImage) -> ProductImage:
        return cls(
            id=image.id,
            alt=image.alt,
            width=image.width,
            height=image.height,
            position=image.position,
            file=image.file,
            thumbnail=image.thumbnail,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[ProductImage | None]:
        ids = node_pks(node_ids, "ProductImage")
        visible = catalog.visible_products(include_unpublished=info.context.viewer_is_admin)
        rows = await models.ProductImage.filter(id__in=ids)
        owners = [r.product_id for r in rows]
        live: set[object] = set(await visible.filter(id__in=owners).values_list("id", flat=True))
        found = {i.id: i for i in rows if i.product_id in live}
        return [cls.from_model(found[i]) if i in found else None for i in ids]


@strawberry.type(description="Something the shop sells.")
class Product(relay.Node):
    id: relay.NodeID[int]
    name: str
    slug: str
    description: str
    stock: int
    is_published: bool
    created_at: datetime
    category_id: strawberry.Private[int | None]
    price_amount: strawberry.Private[object]
    currency: strawberry.Private[str]

    @strawberry.field
    def price(self) -> Money:
        return Money(amount=self.price_amount, currency=self.currency)  # type: ignore[arg-type]

    @strawberry.field
    async def category(self, info: Info) -> Category | None:
        if self.category_id is None:
            return None
        found = await info.context.loaders.category.load(self.category_id)
        return Category.from_model(found) if found else None

    @strawberry.field(description="Pictures in display order.")
    async def images(self, info: Info) -> list[ProductImage]:
        found = await info.context.loaders.product_images.load(self.id)
        return [ProductImage.from_model(i) for i in found]

    @strawberry.field(
        description=(
            "The product's first picture, what cards show (one object: a list of sales with "
            "their products' covers costs a tenth of one with all their images); null without one."
        )
    )
    async def cover(self, info: Info) -> ProductImage | None:
        found = await info.context.loaders.product_images.load(self.id)
        return ProductImage.from_model(found[0]) if found else None

    @classmethod
    def from_model(cls, product: models.Product) -> Product:
        return cls(
            id=product.id,
            name=product.name,
            slug=product.slug,
            description=product.description,
            stock=product.stock,
            is_published=product.is_published,
            created_at=product.created_at,
            category_id=product.category_id,
            price_amount=product.price,
            currency=product.currency,
        )

    @classmethod
    async def resolve_nodes(  # type: ignore[override]
        cls, *, info: Info, node_ids: Iterable[str], required: bool = False
    ) -> list[Product | None]:
        ids = node_pks(node_ids, "Product")
        visible = catalog.visible_products(include_unpublished=info.context.viewer_is_admin)
        found = {p.id: p for p in await visible.filter(id__in=ids)}
        return [cls.from_model(found[i]) if i in found else None for i in ids]


# --- inputs ---------------------------------------------------------------------------------
@strawberry.input(description="Narrow the product listing; all conditions must hold.")
class ProductFilter:
    search: str | None = strawberry.field(
        default=None,
        description=(
            "Words to find (at most 200 characters): each must start a word of the name, sit "
            "inside one, be a close match for one (typos), or be a word of the description; "
            "`-word` excludes. Chinese matches as a substring. Name matches rank first."
        ),
    )
    category_id: strawberry.ID | None = strawberry.field(
        default=None, description="This category and everything below it."
    )
    min_price: Decimal | None = None
    max_price: Decimal | None = None
    in_stock: bool | None = strawberry.field(
        default=None, description="true: stock above 0; false: sold out; null: either."
    )
    is_published: bool | None = strawberry.field(
        default=None,
        description=(
            "true: published only; false: unpublished only (administrators; shoppers see "
            "published products only); null: either."
        ),
    )


@strawberry.input(description="A new product.")
class ProductInput:
    name: str = strawberry.field(description="1 to 200 characters.")
    price: Decimal = strawberry.field(description="Above 0, at most 2 decimal places.")
    stock: int = strawberry.field(description="0 to 1,000,000.")
    slug: str | None = strawberry.field(
        default=None,
        description="Lowercase words joined by hyphens; made from the name (unique) when absent.",
    )
    description: str | None = None
    category_id: strawberry.ID | None = None
    is_published: bool | None = strawberry.field(
        default=None, description="Visible to shoppers; true when absent."
    )


@strawberry.input(description="Changes to a product; absent fields keep their value.")
class ProductUpdateInput:
    name: str | None = strawberry.UNSET
    price: Decimal | None = strawberry.UNSET
    stock: int | None = strawberry.UNSET
    slug: str | None = strawberry.field(
        default=strawberry.UNSET, description="null or blank: make a new one from the name."
    )
    description: str | None = strawberry.UNSET
    category_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description="null: no category."
    )
    is_published: bool | None = strawberry.UNSET


@strawberry.input(description="A new category.")
class CategoryInput:
    name: str = strawberry.field(description="1 to 100 characters.")
    slug: str | None = None
    parent_id: strawberry.ID | None = None


@strawberry.input(description="Changes to a category; absent fields keep their value.")
class CategoryUpdateInput:
    name: str | None = strawberry.UNSET
    slug: str | None = strawberry.UNSET
    parent_id: strawberry.ID | None = strawberry.field(
        default=strawberry.UNSET, description="null: make it a top-level category."
    )


# --- payloads -------------------------------------------------------------------------------
@strawberry.type(description="A product, or why the operation changed nothing.")
class ProductPayload:
    product: Product | None
    user_errors: list[UserError]


@strawberry.type(description="A category, or why the operation changed nothing.")
class CategoryPayload:
    category: Category | None
    user_errors: list[UserError]


@strawberry.type(description="A product's images in their new order, or why nothing changed.")
class ProductImageReorderPayload:
    product: Product | None
    images: list[ProductImage] | None
    user_errors: list[UserError]


@strawberry.type(description="The stored image and its product, or why nothing was stored.")
class ProductImageUploadPayload:
    product: Product | None
    image: ProductImage | None = strawberry.field(description="The last image added.")
    images: list[ProductImage] | None = strawberry.field(
        description="Every image added, in order; null when nothing was."
    )
    user_errors: list[UserError]


@strawberry.type(description="The changed image and its product, or why nothing changed.")
class ProductImagePayload:
    product: Product | None
    image: ProductImage | None
    user_errors: list[UserError]
