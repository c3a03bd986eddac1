"""The storefront listing: filters, sorts and text search over products.

`list_products` returns a queryset plus the ordering that pages it (always ending with the
primary key, so every order is total and keyset pagination is stable under inserts).

Search on PostgreSQL is full-text: the document is the product name (weight A) and description
(weight B) under the `english` configuration, matched with `websearch_to_tsquery` (quotes,
`or`, `-word` work as on web search engines) and ranked with `ts_rank`, so name hits outrank
description hits. The same expression is GIN-indexed by migration 3. On SQLite every word must
appear (case-insensitively) in the name or description, and the rank is 2 when the whole query
appears in the name, 1 when every word does, else 0.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum

from pypika_tortoise.context import SqlContext
from pypika_tortoise.terms import Criterion, Function, Term, ValueWrapper
from tortoise import connections
from tortoise.contrib.postgres.search import Comp
from tortoise.expressions import Case, Q, RawSQL, ResolveContext, When
from tortoise.query_utils import QueryModifier
from tortoise.queryset import QuerySet

from flashmart.catalog.models import Category, Product

SEARCH_CONFIG = "english"
# Exactly the expression of the GIN index "idx_catalog_product_search" (migration 3).
SEARCH_DOCUMENT = (
    f"setweight(to_tsvector('{SEARCH_CONFIG}', \"name\"), 'A') || "
    f"setweight(to_tsvector('{SEARCH_CONFIG}', \"description\"), 'B')"
)
MAX_SEARCH_LENGTH = 200
RANK = "rank"  # the annotation that RELEVANCE orders by


class ProductSort(Enum):
    NEWEST = "NEWEST"
    PRICE_ASC = "PRICE_ASC"
    PRICE_DESC = "PRICE_DESC"
    NAME = "NAME"
    RELEVANCE = "RELEVANCE"


# Tortoise orderings; the last key is the primary key so that no two rows tie.
CATALOG_ORDER: tuple[str, ...] = ("id",)  # no sort and no search: the order products were added
CATALOG_SORT = "CATALOG"
ORDERS: dict[ProductSort, tuple[str, ...]] = {
    ProductSort.NEWEST: ("-created_at", "-id"),
    ProductSort.PRICE_ASC: ("price", "id"),
    ProductSort.PRICE_DESC: ("-price", "-id"),
    ProductSort.NAME: ("name", "id"),
    ProductSort.RELEVANCE: (f"-{RANK}", "id"),
}


@dataclass(frozen=True)
class ProductFilter:
    search: str | None = None
    category_id: int | None = None  # the category and all its descendants
    min_price: Decimal | None = None
    max_price: Decimal | None = None
    in_stock: bool | None = None  # True: stock > 0; False: sold out; None: either
    is_published: bool | None = None  # for admins; shoppers only ever see published products

    @property
    def search_text(self) -> str | None:
        text = " ".join((self.search or "").split())[:MAX_SEARCH_LENGTH]
        return text or None


@dataclass(frozen=True)
class ProductListing:
    queryset: QuerySet[Product]
    order: tuple[str, ...]
    sort: str  # names the order inside cursors, so a cursor of one order is refused by another


class _Where(Q):
    """A Q node holding a ready-made SQL criterion (Tortoise has no lookup for `@@`)."""

    __slots__ = ("criterion",)

    def __init__(self, criterion: Criterion) -> None:
        super().__init__()
        self.criterion = criterion

    def __bool__(self) -> bool:
        return True

    def resolve(self, resolve_context: ResolveContext) -> QueryModifier:
        return QueryModifier(where_criterion=self.criterion)


class _Matches(Criterion):
    def __init__(self, document: Term, query: Term) -> None:
        super().__init__()
        self.document = document
        self.query = query

    def get_sql(self, ctx: SqlContext) -> str:
        return f"(({self.document.get_sql(ctx)}){Comp.search.value}{self.query.get_sql(ctx)})"


def _is_postgres() -> bool:
    return "postgres" in connections.get("default").capabilities.dialect


def _postgres_search(queryset: QuerySet[Product], text: str) -> QuerySet[Product]:
    document = RawSQL(SEARCH_DOCUMENT)
    query = Function(
        "websearch_to_tsquery", ValueWrapper(SEARCH_CONFIG, allow_parametrize=False), text
    )
    rank = Function("ts_rank", document, query)
    return queryset.filter(_Where(_Matches(document, query))).annotate(**{RANK: rank})


def _sqlite_search(queryset: QuerySet[Product], text: str) -> QuerySet[Product]:
    words = text.split()
    for word in words:
        queryset = queryset.filter(Q(name__icontains=word) | Q(description__icontains=word))
    every_word_in_name = Q(*(Q(name__icontains=w) for w in words))
    # Tortoise wraps plain numbers as SQL constants; its annotations only name expressions.
    rank = Case(
        When(name__icontains=text, then=2),  # type: ignore[arg-type]
        When(every_word_in_name, then=1),  # type: ignore[arg-type]
        default=0,  # type: ignore[arg-type]
    )
    return queryset.annotate(**{RANK: rank})


async def category_with_descendants(category_id: int) -> list[int]:
    """`category_id` and every category below it (one query: the tree is small)."""
    rows: Sequence[tuple[int, int | None]] = await Category.all().values_list("id", "parent_id")
    children: dict[int | None, list[int]] = {}
    for child, parent in rows:
        children.setdefault(parent, []).append(child)
    if category_id not in {child for child, _ in rows}:
        return []
    found, todo = [], [category_id]
    while todo:
        current = todo.pop()
        if current in found:  # a cycle cannot be saved, but never loop on one
            continue
        found.append(current)
        todo.extend(children.get(current, []))
    return found


async def list_products(
    base: QuerySet[Product], criteria: ProductFilter, sort: ProductSort | None
) -> ProductListing:
    """Filter `base` (the viewer's visible products) and choose its order.

    With no sort, a search orders by RELEVANCE and a plain listing by CATALOG_ORDER (the order
    products were added); RELEVANCE without a search is the plain listing.
    """
    queryset = base
    if criteria.category_id is not None:
        queryset = queryset.filter(
            category_id__in=await category_with_descendants(criteria.category_id)
        )
    if criteria.min_price is not None:
        queryset = queryset.filter(price__gte=criteria.min_price)
    if criteria.max_price is not None:
        queryset = queryset.filter(price__lte=criteria.max_price)
    if criteria.in_stock is True:
        queryset = queryset.filter(stock__gt=0)
    elif criteria.in_stock is False:
        queryset = queryset.filter(stock=0)
    if criteria.is_published is not None:
        queryset = queryset.filter(is_published=criteria.is_published)
    text = criteria.search_text
    if text is not None:
        queryset = (
            _postgres_search(queryset, text) if _is_postgres() else _sqlite_search(queryset, text)
        )
        sort = sort or ProductSort.RELEVANCE
    if sort is None or (sort is ProductSort.RELEVANCE and text is None):
        return ProductListing(queryset=queryset, order=CATALOG_ORDER, sort=CATALOG_SORT)
    return ProductListing(queryset=queryset, order=ORDERS[sort], sort=sort.value)
