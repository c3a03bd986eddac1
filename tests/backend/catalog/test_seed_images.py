"""The demo seed gives every product a generated picture, once."""

from __future__ import annotations

from PIL import Image

from flashmart.catalog.models import Product, ProductImage
from flashmart.core.settings import Settings
from flashmart.seed import run_seed


async def test_every_seeded_product_gets_one_real_image(settings: Settings, db: None) -> None:
    await run_seed(settings, shoppers=1, manage_database=False)
    await run_seed(settings, shoppers=1, manage_database=False)
    products = await Product.all().count()
    images = await ProductImage.all()
    assert products >= 60
    assert len(images) == products == len({i.product_id for i in images})  # type: ignore[attr-defined]
    media = settings.data_dir / "media"
    for image in images[:5]:
        with Image.open(media / image.file) as picture:
            assert picture.size == (image.width, image.height)
        assert (media / image.thumbnail).is_file()
    assert len(list(media.rglob("*.png"))) == products
