"""The storefront listing: filters, sorts and text search over products.

`list_products` returns a queryset plus the ordering that pages it (always ending with the
primary key, so every order is total and keyset pagination is stable under inserts).

A search ranks in two steps (docs/search.md). First the database narrows the products that
pass the other filters to at most `SEARCH_CANDIDATES` rows: on PostgreSQL, every query word
must be in the name or description (`ILIKE`) or trigram-similar to a word there (pg_trgm's
`<%` at `PREFILTER_SIMILARITY`), conditions the GIN trigram indexes of migration 12 can serve,
names nearest the query first; on SQLite, the first `SEARCH_CANDIDATES` of them by id. Then
`catalog/ranking.py` scores each candidate in Python (in a thread), the same way on both
databases, and the best `SEARCH_RESULTS` become the listing, annotated with their score as
`rank` (what RELEVANCE orders by). Suggestions for the search box (`suggest`) score names only.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum

from pypika_tortoise.context import SqlContext
from pypika_tortoise.terms import Criterion, Function, ValueWrapper
from tortoise import connections
from tortoise.expressions import Case, Q, RawSQL, ResolveContext, When
from tortoise.query_utils import QueryModifier
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from flashmart.catalog import ranking
from flashmart.catalog.models import Category, Product
from flashmart.core import i18n
from flashmart.core.errors import bad_input

MAX_SEARCH_LENGTH = 200  # characters; a longer search is refused (BAD_USER_INPUT)
SEARCH_CANDIDATES = 1000  # rows a search scores at most
SEARCH_RESULTS = 200  # matches a search lists at most (the best)
PREFILTER_SIMILARITY = 0.3  # pg_trgm word similarity that makes a row a candidate
DEFAULT_SUGGESTIONS = 8
MAX_SUGGESTIONS = 20
RANK = "rank"  # the annotation that RELEVANCE orders by
NEAR_NAME = "near_name"  # PostgreSQL: how near a candidate's name is to the query


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
    def query(self) -> ranking.Query | None:
        """The parsed search; None when there is none (blank counts as none)."""
        return parse_search(self.search) if self.search and self.search.strip() else None


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


class _WordSimilar(Criterion):
    """`word <% column`: pg_trgm's word similarity above its threshold (GIN-indexable)."""

    def __init__(self, word: str, column: str) -> None:
        super().__init__()
        self.word = ValueWrapper(word)
        self.column = column

    def get_sql(self, ctx: SqlContext) -> str:
        return f'({self.word.get_sql(ctx)} <% "{self.column}")'


def _is_postgres() -> bool:
    return "postgres" in connections.get("default").capabilities.dialect


def parse_search(text: str) -> ranking.Query:
    """The words of a search, or BAD_USER_INPUT when it is longer than `MAX_SEARCH_LENGTH`."""
    if len(text) > MAX_SEARCH_LENGTH:
        raise bad_input(
            i18n.text("A search is at most {maximum} characters", maximum=MAX_SEARCH_LENGTH)
        )
    return ranking.parse(text)


async def _candidates(
    queryset: QuerySet[Product], query: ranking.Query, *, names_only: bool
) -> list[tuple[int, str, str]]:
    """(id, name, description) of at most `SEARCH_CANDIDATES` rows that may match `query`."""
    if not _is_postgres():
        rows = queryset.order_by("id").limit(SEARCH_CANDIDATES)
        return list(await rows.values_list("id", "name", "description"))
    columns = ("name",) if names_only else ("name", "description")
    for word in query.words:
        near = Q(*(_Where(_WordSimilar(word, c)) for c in columns), join_type=Q.OR)
        inside = Q(*(Q(**{f"{c}__icontains": word}) for c in columns), join_type=Q.OR)
        queryset = queryset.filter(inside | near)
    # When more rows pass than are scored, those whose names are nearest the query go first.
    near_name = Function("word_similarity", query.text, RawSQL('"name"'))
    async with in_transaction() as connection:
        await connection.execute_query(
            "SELECT set_config('pg_trgm.word_similarity_threshold', $1, true)",
            [str(PREFILTER_SIMILARITY)],
        )
        rows = (
            queryset.using_db(connection)
            .annotate(**{NEAR_NAME: near_name})
            .order_by(f"-{NEAR_NAME}", "id")
            .limit(SEARCH_CANDIDATES)
        )
        return list(await rows.values_list("id", "name", "description"))


async def ranked(
    queryset: QuerySet[Product], query: ranking.Query, *, names_only: bool = False, limit: int
) -> list[tuple[int, int]]:
    """(score, product id) of the best `limit` matches, best first (ties: lower id first)."""
    if not query:
        return []
    rows = await _candidates(queryset, query, names_only=names_only)
    # Up to tens of milliseconds of CPU: in a thread, so the event loop serves other requests.
    return await asyncio.to_thread(_best, query, rows, names_only=names_only, limit=limit)


def _best(
    query: ranking.Query, rows: list[tuple[int, str, str]], *, names_only: bool, limit: int
) -> list[tuple[int, int]]:
    found = []
    for pk, name, description in rows:
        points = ranking.score(query, name, "" if names_only else description)
        if points is not None:
            found.append((points, pk))
    found.sort(key=lambda item: (-item[0], item[1]))
    return found[:limit]


async def _search(queryset: QuerySet[Product], query: ranking.Query) -> QuerySet[Product]:
    best = await ranked(queryset, query, limit=SEARCH_RESULTS)
    # Scores are written into the SQL as integer literals (a bound parameter would have no
    # type on PostgreSQL); a CASE needs one WHEN, and id 0 is no product's.
    # Tortoise's stubs leave RawSQL out of what `then`/`default` accept; it accepts it.
    whens = [
        When(id=pk, then=RawSQL(str(int(points))))  # type: ignore[arg-type]
        for points, pk in best or [(0, 0)]
    ]
    rank = Case(*whens, default=RawSQL("0"))  # type: ignore[arg-type]
    return queryset.filter(id__in=[pk for _, pk in best]).annotate(**{RANK: rank})


async def suggest(queryset: QuerySet[Product], text: str, *, first: int | None) -> list[Product]:
    """The best `first` (default `DEFAULT_SUGGESTIONS`) products for a search box entry, by
    name alone."""
    first = DEFAULT_SUGGESTIONS if first is None else first
    if not 0 <= first <= MAX_SUGGESTIONS:
        raise bad_input(
            i18n.text("`first` must be between 0 and {maximum}", maximum=MAX_SUGGESTIONS)
        )
    best = await ranked(queryset, parse_search(text), names_only=True, limit=first)
    found = {p.id: p for p in await Product.filter(id__in=[pk for _, pk in best])}
    return [found[pk] for _, pk in best if pk in found]


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
    query = criteria.query
    if query is not None:
        queryset = await _search(queryset, query)
        sort = sort or ProductSort.RELEVANCE
    if sort is None or (sort is ProductSort.RELEVANCE and query is None):
        return ProductListing(queryset=queryset, order=CATALOG_ORDER, sort=CATALOG_SORT)
    return ProductListing(queryset=queryset, order=ORDERS[sort], sort=sort.value)
