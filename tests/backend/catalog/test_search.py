"""The product listing: filters combine, search finds and ranks, sorts are total orders."""

from __future__ import annotations

from decimal import Decimal

import pytest
from tortoise import connections

from flashmart import seed
from flashmart.catalog import ranking, search, services
from flashmart.catalog.models import Category, Product
from flashmart.catalog.search import ProductFilter, ProductSort
from flashmart.catalog.validation import slugify
from flashmart.core.errors import ApiError, TopLevelCode
from flashmart.core.settings import Settings
from tests.backend.catalog.factories import demo_products

CATALOG = [
    # (category, name, description, price, stock)
    ("earbuds", "Echo Buds Pro", "Wireless earbuds with active noise cancelling.", "129.00", 9),
    ("headphones", "Tempo Headphones", "Over-ear wireless headphones, long battery.", "199.00", 4),
    ("headphones", "Cadence ANC", "Noise cancelling headphones for travel.", "249.00", 0),
    ("speakers", "Bass Cube Speaker", "Portable bluetooth speaker, waterproof.", "59.90", 12),
    ("speakers", "Aria Soundbar", "A soundbar for your TV; pairs with any speaker.", "299.00", 3),
    ("home", "Swift Robot Vacuum", "Robot vacuum cleaner with smart room mapping.", "399.00", 2),
    ("home", "Crisp Air Fryer", "Air fryer for crisp and healthy cooking.", "89.00", 20),
    ("home", "Chill Air Purifier", "HEPA air purifier for the bedroom.", "149.00", 7),
    ("wearables", "Pulse Watch 3", "Smart watch with heart rate and GPS running.", "179.00", 6),
    ("wearables", "Trek GPS Watch", "Rugged GPS watch for hiking and running.", "229.00", 5),
]  # fmt: skip


async def _catalog() -> dict[str, Category]:
    audio = await Category.create(name="Audio", slug="audio")
    categories = {"audio": audio}
    for slug, parent in (
        ("earbuds", audio),
        ("headphones", audio),
        ("speakers", audio),
        ("home", None),
        ("wearables", None),
    ):
        categories[slug] = await Category.create(name=slug.title(), slug=slug, parent=parent)
    for category, name, description, price, stock in CATALOG:
        await Product.create(
            name=name,
            slug=slugify(name),
            description=description,
            price=Decimal(price),
            stock=stock,
            category=categories[category],
        )
    await Product.create(
        name="Hidden Headphones", slug="hidden", price=Decimal("1.00"), is_published=False
    )
    return categories


async def _names(criteria: ProductFilter, sort: ProductSort | None = None) -> list[str]:
    listing = await search.list_products(services.visible_products(), criteria, sort)
    return [p.name for p in await listing.queryset.order_by(*listing.order)]


async def test_filters_combine(db: None) -> None:
    categories = await _catalog()
    audio = categories["audio"].id
    assert await _names(ProductFilter(category_id=audio), ProductSort.PRICE_ASC) == [
        "Bass Cube Speaker",
        "Echo Buds Pro",
        "Tempo Headphones",
        "Cadence ANC",
        "Aria Soundbar",
    ]
    assert await _names(
        ProductFilter(
            category_id=audio, min_price=Decimal("100"), max_price=Decimal("250"), in_stock=True
        ),
        ProductSort.PRICE_DESC,
    ) == ["Tempo Headphones", "Echo Buds Pro"]
    assert await _names(ProductFilter(in_stock=False)) == ["Cadence ANC"]
    assert await _names(ProductFilter(search="headphones", in_stock=True)) == ["Tempo Headphones"]
    assert await _names(
        ProductFilter(search="air", category_id=categories["home"].id), ProductSort.NAME
    ) == ["Chill Air Purifier", "Crisp Air Fryer"]
    assert await _names(ProductFilter(category_id=999_999)) == []
    # "9.99" < "59.90" as numbers, not as the strings SQLite keeps decimals in
    assert (await _names(ProductFilter(max_price=Decimal("60")))) == ["Bass Cube Speaker"]


async def test_search_finds_words_in_name_or_description_and_ranks_name_hits_first(
    db: None,
) -> None:
    await _catalog()
    assert (await _names(ProductFilter(search="headphones")))[0] == "Tempo Headphones"
    assert set(await _names(ProductFilter(search="headphones"))) == {
        "Tempo Headphones",
        "Cadence ANC",
    }
    assert await _names(ProductFilter(search="SPEAKER")) == ["Bass Cube Speaker", "Aria Soundbar"]
    assert await _names(ProductFilter(search="  ")) == [name for _, name, *_ in CATALOG]
    assert await _names(ProductFilter(search="no such thing")) == []
    # an explicit sort wins over relevance
    assert await _names(ProductFilter(search="speaker"), ProductSort.PRICE_DESC) == [
        "Aria Soundbar",
        "Bass Cube Speaker",
    ]


@pytest.mark.parametrize(
    ("query", "best", "also"),
    [
        ("headphones", "Tempo Headphones", {"Cadence ANC"}),
        ("wireless headphones", "Tempo Headphones", set()),
        ("gps watch", "Trek GPS Watch", {"Pulse Watch 3"}),
        ("speakers", "Bass Cube Speaker", {"Aria Soundbar"}),  # a similar word: speaker
        ("vacuums", "Swift Robot Vacuum", set()),
        ("air purifier", "Chill Air Purifier", set()),
        ("headphones -wireless", "Cadence ANC", set()),  # exclude a word
        ('"noise cancelling" earbuds', "Echo Buds Pro", set()),
        ("spekar", "Bass Cube Speaker", set()),  # a typo, matched by trigrams on the name
        ("purifer", "Chill Air Purifier", set()),
    ],
)
async def test_ranking_is_the_same_on_both_databases(
    db: None, query: str, best: str, also: set[str]
) -> None:
    await _catalog()
    found = await _names(ProductFilter(search=query))
    assert found[0] == best, found
    assert set(found[1:]) == also, found


async def test_a_word_prefix_finds_names_first_and_not_every_description(db: None) -> None:
    await demo_products()
    found = await _names(ProductFilter(search="pro"))
    # every seed description says "product"; only names with a word starting "pro" match
    assert found == ["Pro Gamepad", "Aurora X1 Pro", "Slate 15 Pro", "Echo Buds Pro"]


async def test_a_typo_finds_the_speakers(db: None) -> None:
    await demo_products()
    assert await _names(ProductFilter(search="spekar")) == [
        "Bass Cube Speaker",
        "Wave Mini Speaker",
    ]


async def test_chinese_finds_the_headphones(db: None) -> None:
    await demo_products()
    found = await _names(ProductFilter(search="耳机"))
    assert "Tempo Headphones" in found
    assert "Echo Buds" in found
    assert set(found) == {n for n, chinese in seed.CHINESE_NAMES.items() if "耳机" in chinese}
    assert "Bass Cube Speaker" not in found
    assert await _names(ProductFilter(search="头戴式耳机")) == ["Tempo Headphones"]


async def test_name_matches_outrank_description_matches(db: None) -> None:
    one = Decimal("1.00")
    await Product.create(
        name="Plain Lamp", slug="lamp", description="Pairs with any speaker.", price=one
    )
    await Product.create(
        name="Loud Speaker", slug="loud", description="A lamp it is not.", price=one
    )
    assert await _names(ProductFilter(search="speaker")) == ["Loud Speaker", "Plain Lamp"]
    assert await _names(ProductFilter(search="lamp")) == ["Plain Lamp", "Loud Speaker"]


@pytest.mark.parametrize("query", ["%%%", "___", "'; drop table x; --", "\\", "\x00", "-", "ⅻ☃"])
async def test_garbage_finds_nothing(db: None, query: str) -> None:
    await _catalog()
    assert await _names(ProductFilter(search=query)) == []


async def test_an_oversized_search_is_refused(db: None) -> None:
    await _catalog()
    with pytest.raises(ApiError) as refused:
        await _names(ProductFilter(search="a" * (search.MAX_SEARCH_LENGTH + 1)))
    assert refused.value.code is TopLevelCode.BAD_USER_INPUT


async def test_suggestions_match_names_only_and_are_bounded(db: None) -> None:
    await demo_products()
    visible = services.visible_products()
    names = [p.name for p in await search.suggest(visible, "pro", first=3)]
    assert names == ["Pro Gamepad", "Aurora X1 Pro", "Slate 15 Pro"]
    assert await search.suggest(visible, "demo", first=5) == []  # a description word
    assert [p.name for p in await search.suggest(visible, "spekar", first=5)] == [
        "Bass Cube Speaker",
        "Wave Mini Speaker",
    ]
    assert await search.suggest(visible, "", first=5) == []
    with pytest.raises(ApiError):
        await search.suggest(visible, "pro", first=search.MAX_SUGGESTIONS + 1)


PAIRS = [
    ("spekar", "speaker"),
    ("pro", "product"),
    ("speakers", "speaker"),
    ("vacuums", "vacuum"),
    ("purifer", "purifier"),
    ("earbuds", "buds"),
    ("x1", "x1"),
]


@pytest.mark.parametrize(("word", "other"), PAIRS)
async def test_trigram_scores_follow_pg_trgm(
    settings: Settings, db: None, word: str, other: str
) -> None:
    """The Python scores equal pg_trgm's, so the database's prefilter (0.3) never drops a
    product the scoring would accept (0.4 and up)."""
    if settings.is_sqlite:
        pytest.skip("pg_trgm is a PostgreSQL extension")
    connection = connections.get("default")
    _, rows = await connection.execute_query(
        "SELECT word_similarity($1, $2), similarity($1, $2)", [word, other]
    )
    pg_word, pg_similarity = rows[0][0], rows[0][1]
    assert ranking.word_similarity(word, other) == pytest.approx(pg_word, abs=1e-6)
    assert ranking.similarity(word, other) == pytest.approx(pg_similarity, abs=1e-6)


async def test_postgres_scores_the_nearest_names_when_more_rows_pass_than_it_scores(
    settings: Settings, db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    if settings.is_sqlite:
        pytest.skip("SQLite scores the first rows by id")
    monkeypatch.setattr(search, "SEARCH_CANDIDATES", 3)
    for i in range(8):  # every description contains "pro", none of these names does
        await Product.create(
            name=f"Lamp {i}", slug=f"lamp-{i}", description="A product.", price=Decimal("1.00")
        )
    await Product.create(name="Pro Lamp", slug="pro-lamp", price=Decimal("1.00"))  # the newest
    assert await _names(ProductFilter(search="pro")) == ["Pro Lamp"]
