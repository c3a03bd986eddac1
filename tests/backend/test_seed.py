"""The demo seed fills the shop once and can run again without duplicating anything."""

from __future__ import annotations

from flashmart import seed
from flashmart.accounts.models import Role, User
from flashmart.catalog.models import Category, Product
from flashmart.core.settings import Settings
from flashmart.seckill.events import SeckillStatus, status_of
from flashmart.seckill.models import SeckillEvent
from flashmart.seed import run_seed


async def _counts() -> tuple[int, int, int, int]:
    return (
        await Category.all().count(),
        await Product.all().count(),
        await User.all().count(),
        await SeckillEvent.all().count(),
    )


async def test_seed_is_complete_and_idempotent(settings: Settings, db: None) -> None:
    await run_seed(settings, shoppers=25, manage_database=False)
    first = await _counts()
    categories, products, users, events = first
    assert categories >= 5 and products >= 60
    assert users == 26
    assert await User.filter(role=Role.ADMIN).count() == 1
    # Every demo account can join a sale that requires a verified email.
    assert await User.filter(email_verified_at__isnull=True).count() == 0
    statuses = {status_of(e) for e in await SeckillEvent.all()}
    assert statuses == {SeckillStatus.ACTIVE, SeckillStatus.SCHEDULED}
    await User.filter(email="shopper3@flashmart.local").update(email_verified_at=None)
    await run_seed(settings, shoppers=25, manage_database=False)  # an older seed's shoppers too
    assert await _counts() == first
    assert await User.filter(email_verified_at__isnull=True).count() == 0
    assert events == 2


async def test_seeding_again_adds_the_chinese_names_to_untouched_descriptions(
    settings: Settings, db: None
) -> None:
    await run_seed(settings, shoppers=1, manage_database=False)
    tempo = await Product.get(name="Tempo Headphones")
    assert tempo.description == seed.describe("Tempo Headphones", "Audio")
    assert "耳机" in tempo.description
    # as seeded before the Chinese names existed; an edited description stays as it is
    await Product.filter(id=tempo.id).update(description="Tempo Headphones: a demo audio product.")
    await Product.filter(name="Echo Buds").update(description="Our best earbuds.")
    await run_seed(settings, shoppers=1, manage_database=False)
    assert (await Product.get(id=tempo.id)).description == tempo.description
    assert (await Product.get(name="Echo Buds")).description == "Our best earbuds."
