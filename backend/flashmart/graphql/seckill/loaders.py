"""The live state of sales in Redis, read once per request for every event on the page."""

from __future__ import annotations

from collections.abc import Sequence

from strawberry.dataloader import DataLoader

from flashmart.graphql.context import Context
from flashmart.seckill.buy import TicketView, latest_tickets
from flashmart.seckill.store import SaleStore, WarmState

# A runtime-bound loader: it lives in the context's `extra`, not in `Loaders`, which is built
# without the runtime.
_WARM_STATES = "seckill-warm-state"
_MY_TICKETS = "seckill-my-tickets"


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
