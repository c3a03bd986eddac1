"""Demo data: a catalog, an admin, shoppers and two flash sales. Safe to run again."""

from __future__ import annotations

import asyncio
import io
import random
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from PIL import Image, ImageDraw, ImageFont
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from tortoise.expressions import F

from flashmart.accounts.models import Role, User
from flashmart.accounts.passwords import hash_password
from flashmart.accounts.services import ensure_admin, normalize_email
from flashmart.catalog.images import store_product_image
from flashmart.catalog.models import Category, Product, ProductImage
from flashmart.core.db import close_db, init_db
from flashmart.core.settings import Settings
from flashmart.seckill.events import EventInput, create_event
from flashmart.seckill.models import SeckillEvent

ADMIN_EMAIL = "admin@flashmart.local"
ADMIN_PASSWORD = "flashmart-admin"
SHOPPER_PASSWORD = "flashmart-shopper"

CATALOG: dict[str, list[str]] = {
    "Phones": ["Aurora X1", "Aurora X1 Pro", "Nimbus 8", "Nimbus 8 Lite", "Pocket Mini",
               "Zenith Fold", "Pixelle 5", "Orbit S", "Orbit S Max", "Lumen Go", "Quark 3",
               "Helio Note"],
    "Laptops": ["Slate 13", "Slate 15 Pro", "Vector Air", "Vector Studio", "Atlas Book",
                "Atlas Book Duo", "Cirrus 14", "Forge 16 Gamer", "Neon Ultra", "Drift 13",
                "Summit X", "Keystone 15"],
    "Audio": ["Echo Buds", "Echo Buds Pro", "Tempo Headphones", "Bass Cube Speaker",
              "Studio Monitor 5", "Pulse Earphones", "Aria Soundbar", "Wave Mini Speaker",
              "Cadence ANC", "Rhythm Sport Buds", "Sonic Dock", "Vinyl One Turntable"],
    "Home": ["Brew Master Kettle", "Aroma Coffee Grinder", "Chill Air Purifier",
             "Glow Smart Lamp", "Breeze Tower Fan", "Crisp Air Fryer", "Pure Water Filter",
             "Snug Heated Blanket", "Swift Robot Vacuum", "Calm Humidifier",
             "Spark Rice Cooker", "Fresh Blender"],
    "Wearables": ["Pulse Watch 3", "Pulse Watch 3 Sport", "Stride Band", "Vital Ring",
                  "Trek GPS Watch", "Halo Smart Glasses", "Beat Fitness Band",
                  "Sleep Sense Band", "Aqua Swim Tracker", "Nova Kids Watch",
                  "Pace Running Pod", "Flex Clip"],
    "Games": ["Arcade Stick", "Quest Controller", "Nebula Console", "Retro Handheld",
              "Racing Wheel", "Party Pad Set", "VR Visor", "Dock Station", "Pro Gamepad",
              "Chat Headset", "Card Reader", "Charge Stand"],
}  # fmt: skip


# Chinese names for some products (in their descriptions), so a search in Chinese finds them.
CHINESE_NAMES: dict[str, str] = {
    "Aurora X1": "极光 X1 手机",
    "Aurora X1 Pro": "极光 X1 Pro 手机",
    "Echo Buds": "回声无线耳机",
    "Echo Buds Pro": "回声降噪无线耳机",
    "Tempo Headphones": "节拍头戴式耳机",
    "Bass Cube Speaker": "低音魔方蓝牙音箱",
    "Pulse Earphones": "脉冲入耳式耳机",
    "Wave Mini Speaker": "波浪迷你音箱",
    "Cadence ANC": "韵律主动降噪耳机",
    "Rhythm Sport Buds": "节奏运动耳机",
    "Chat Headset": "畅聊游戏耳机",
    "Brew Master Kettle": "电热水壶",
    "Spark Rice Cooker": "电饭煲",
    "Pulse Watch 3": "脉冲智能手表 3",
}


def describe(name: str, category_name: str) -> str:
    """A demo product's description: what it is, and its Chinese name when it has one."""
    chinese = CHINESE_NAMES.get(name)
    return f"{name}: a demo {category_name.lower()} product." + (f" {chinese}" if chinese else "")


def _slug(text: str) -> str:
    return "-".join(text.lower().replace("/", " ").split())


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description:<22}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )


async def seed_catalog(progress: Progress) -> list[Product]:
    total = sum(len(v) for v in CATALOG.values())
    task = progress.add_task("catalog", total=total)
    rng = random.Random(42)
    products: list[Product] = []
    for category_name, names in CATALOG.items():
        category, _ = await Category.get_or_create(
            slug=_slug(category_name), defaults={"name": category_name}
        )
        for name in names:
            price = Decimal(rng.randrange(1999, 899_900, 100)) / 100 - Decimal("0.01")
            description = describe(name, category_name)
            product, _ = await Product.get_or_create(
                slug=_slug(name),
                defaults={
                    "name": name,
                    "description": description,
                    "price": price,
                    "stock": rng.randrange(20, 500),
                    "category": category,
                },
            )
            # A shop seeded before the Chinese names were added gets them (untouched text only).
            if product.description != description and product.description == (
                f"{name}: a demo {category_name.lower()} product."
            ):
                await Product.filter(id=product.id).update(description=description)
            products.append(product)
            progress.advance(task)
    return products


# One colour per category, in CATALOG order (then round again).
CARD_COLOURS = ["#2563eb", "#7c3aed", "#db2777", "#ea580c", "#059669", "#0891b2"]
CARD_SIZE = 480


def render_card(name: str, colour: str) -> bytes:
    """A PNG card: the product's initials on its category's colour, its name underneath."""
    card = Image.new("RGB", (CARD_SIZE, CARD_SIZE), colour)
    draw = ImageDraw.Draw(card)
    initials = "".join(word[0] for word in name.split()[:2]).upper()
    big = ImageFont.load_default(size=CARD_SIZE // 3)
    small = ImageFont.load_default(size=CARD_SIZE // 16)
    draw.text((CARD_SIZE / 2, CARD_SIZE * 0.45), initials, fill="white", font=big, anchor="mm")
    draw.text((CARD_SIZE / 2, CARD_SIZE * 0.82), name, fill="white", font=small, anchor="mm")
    out = io.BytesIO()
    card.save(out, "PNG")
    return out.getvalue()


async def seed_product_images(
    progress: Progress, products: list[Product], settings: Settings
) -> None:
    """One generated picture per product that has none, through the upload's image service."""
    task = progress.add_task("product images", total=len(products))
    having = set(
        await ProductImage.filter(product_id__in=[p.id for p in products]).values_list(
            "product_id", flat=True
        )
    )
    colours = {
        slug: CARD_COLOURS[i % len(CARD_COLOURS)]
        for i, slug in enumerate(_slug(name) for name in CATALOG)
    }
    category_slugs = dict(await Category.all().values_list("id", "slug"))
    for product in products:
        if product.id not in having:
            slug = category_slugs.get(product.category_id)
            await store_product_image(
                media_dir=settings.data_dir / "media",
                product_id=product.id,
                data=await asyncio.to_thread(
                    render_card, product.name, colours.get(str(slug), "#475569")
                ),
                alt=product.name,
                max_bytes=settings.media_max_bytes,
                max_pixels=settings.media_max_pixels,
                max_dimension=settings.media_max_dimension,
            )
        progress.advance(task)


async def seed_people(progress: Progress, shoppers: int, settings: Settings) -> None:
    task = progress.add_task("admin and shoppers", total=shoppers + 1)
    await ensure_admin(email=ADMIN_EMAIL, password=ADMIN_PASSWORD)
    progress.advance(task)
    # One hash shared by every demo shopper keeps seeding thousands of accounts fast.
    shared_hash = await asyncio.to_thread(hash_password, SHOPPER_PASSWORD)
    emails = [normalize_email(f"shopper{i}@flashmart.local") for i in range(1, shoppers + 1)]
    existing: set[str] = {
        str(e) for e in await User.filter(email__in=emails).values_list("email", flat=True)
    }
    # Demo shoppers have verified emails, so they can join sales that require one.
    verified_at = datetime.now(UTC)
    missing = [
        User(email=e, password_hash=shared_hash, role=Role.CUSTOMER, email_verified_at=verified_at)
        for e in emails
        if e not in existing
    ]
    for start in range(0, len(missing), 500):
        await User.bulk_create(missing[start : start + 500])
    await User.filter(email__in=list(existing), email_verified_at=None).update(
        email_verified_at=verified_at
    )
    progress.update(task, completed=shoppers + 1)


async def seed_flash_sales(progress: Progress, products: list[Product]) -> None:
    task = progress.add_task("flash sales", total=2)
    now = datetime.now(UTC).replace(microsecond=0)
    plans = [
        (products[1], Decimal("999.00"), 100, now - timedelta(minutes=5), now + timedelta(days=7)),
        (products[13], Decimal("1999.00"), 50, now + timedelta(hours=2), now + timedelta(hours=3)),
    ]
    for product, price, units, starts, ends in plans:
        exists = await SeckillEvent.filter(product=product, ends_at__gt=now).exists()
        if not exists:
            # The sale's units come out of the product's stock: stock up first.
            await Product.filter(id=product.id).update(stock=F("stock") + units)
            await create_event(
                EventInput(
                    product_id=product.id,
                    price=price,
                    total_stock=units,
                    starts_at=starts,
                    ends_at=ends,
                    per_user_limit=1,
                )
            )
        progress.advance(task)


async def run_seed(settings: Settings, *, shoppers: int = 50, manage_database: bool = True) -> None:
    if manage_database:
        await init_db(settings.database_url, pool_size=4)
    try:
        with _progress() as progress:
            products = await seed_catalog(progress)
            await seed_product_images(progress, products, settings)
            await seed_people(progress, shoppers, settings)
            await seed_flash_sales(progress, products)
    finally:
        if manage_database:
            await close_db()
    print(
        f"seeded: admin {ADMIN_EMAIL} / {ADMIN_PASSWORD}; shoppers shopper1..{shoppers}@flashmart.local / {SHOPPER_PASSWORD}"
    )
