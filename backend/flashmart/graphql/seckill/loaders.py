"""Per-request loaders of the sale pages: the live state of sales in Redis, read once per
request for every event on the page; the viewer's tickets; the sales' products for shoppers,
from the catalog's read-through cache."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

from strawberry.dataloader import DataLoader

from flashmart.catalog.models import Product
from flashmart.catalog.services import product_detail
from flashmart.graphql.context import Context
from flashmart.seckill.buy import TicketView, latest_tickets
from flashmart.seckill.store import SaleStore, WarmState

# A runtime-bound loader: it lives in the context's `extra`, not in `Loaders`, which is built
# without the runtime.
_WARM_STATES = "seckill-warm-state"
_MY_TICKETS = "seckill-my-tickets"
_SALE_PRODUCTS = "seckill-sale-products"


def warm_states(context: Context) -> DataLoader[int, WarmState | None]:
    """One Redis round trip for the live stock of every event on the page."""
    loader = context.extra.get(_WARM_STATES)
    if loader is None:
        runtime = context.runtime

        async def load(ids: Sequence[int]) -> list[WarmState | None]:
            states = await SaleStore.of(runtime).read_states(list(ids))
            return [states.get(i) for i in ids]

        loader = DataLoader(load_fn=load)
        context.extra[_WARM_STATES] = loader
    return loader


def forget_warm_states(context: Context) -> None:
    """Drop the cached states: a subscription's context lives as long as its socket."""
    context.extra.pop(_WARM_STATES, None)


def my_tickets(context: Context, user_id: int) -> DataLoader[int, TicketView | None]:
    """The viewer's latest ticket in every event on the page, in one query."""
    loader = context.extra.get(_MY_TICKETS)
    if loader is None:

        async def load(ids: Sequence[int]) -> list[TicketView | None]:
            found = await latest_tickets(event_ids=ids, user_id=user_id)
            return [found.get(i) for i in ids]

        loader = DataLoader(load_fn=load)
        context.extra[_MY_TICKETS] = loader
    return loader


def sale_products(context: Context) -> DataLoader[int, Product | None]:
    """The products of the sales on the page. For shoppers and visitors each comes from the
    catalog's read-through cache (`catalog.services.product_detail`, whose every write
    invalidates it), all at once, with its images primed for `cover`: a sale page opened by
    thousands at a sale's start makes no database query once the product is cached. Admins,
    and products the cache does not serve (deleted), are read through the request's product
    loader, in one batch."""
    loader = context.extra.get(_SALE_PRODUCTS)
    if loader is None:
        loaders, runtime = context.loaders, context.runtime
        shopper = not context.viewer_is_admin

        async def load(ids: Sequence[int]) -> list[Product | None]:
            found: dict[int, Product | None] = {}
            if shopper:
                snapshots = await asyncio.gather(
                    *(product_detail(runtime, i, include_unpublished=True) for i in ids)
                )
                for product_id, snapshot in zip(ids, snapshots, strict=True):
                    if snapshot is not None:
                        loaders.product.prime(product_id, snapshot.product)
                        loaders.product_images.prime(product_id, snapshot.images)
                        found[product_id] = snapshot.product
            missing = [i for i in ids if i not in found]
            if missing:
                found.update(zip(missing, await loaders.product.load_many(missing), strict=True))
            return [found[i] for i in ids]

        loader = DataLoader(load_fn=load)
        context.extra[_SALE_PRODUCTS] = loader
    return loader
