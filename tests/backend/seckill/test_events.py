"""Flash sales as the shop sees them: units carved out of the product, warm-up."""

from __future__ import annotations

import pytest

from flashmart.catalog.models import Product
from flashmart.core.errors import DomainFailure, ErrorCode
from flashmart.core.runtime import Runtime
from flashmart.seckill.events import warm_up
from flashmart.seckill.models import SeckillEvent
from flashmart.seckill.store import SaleStore
from tests.backend.seckill.factories import (
    relaxed,
    sale,
    shoppers,
    try_buy,
)


async def test_event_units_come_out_of_product_stock(runtime: Runtime) -> None:
    event = await sale(30, product_stock=40)
    assert (await Product.get(id=event.product_id)).stock == 10  # type: ignore[attr-defined]
    with pytest.raises(DomainFailure) as failure:
        await sale(50, product_stock=49)
    assert failure.value.errors[0].code is ErrorCode.INSUFFICIENT_STOCK
    assert await SeckillEvent.all().count() == 1


async def test_warming_twice_never_resets_a_running_sale(runtime: Runtime) -> None:
    runtime = relaxed(runtime)
    users = await shoppers(2)
    event = await sale(5)
    await warm_up(runtime, event.id)
    await try_buy(runtime, users[0].id, event.id)
    await warm_up(runtime, event.id)
    assert (await SaleStore.of(runtime).read_states([event.id]))[event.id].remaining == 4
