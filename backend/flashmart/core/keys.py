"""Every Redis key name FlashMart uses, in one place.

All keys of one seckill event share the hash tag `{ev:<id>}` so the event's Lua script touches
a single Redis Cluster slot, and events spread across shards.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Keys:
    prefix: str

    # queue (arq) ---------------------------------------------------------------------------
    @property
    def queue(self) -> str:
        return f"{self.prefix}arq:queue"

    # accounts ------------------------------------------------------------------------------
    def user_tokens_valid_after(self, user_id: int) -> str:
        return f"{self.prefix}user:{user_id}:tva"

    def login_attempts(self, scope: str, value: str) -> str:
        return f"{self.prefix}rl:login:{scope}:{value}"

    def rate_limit(self, bucket: str, subject: str) -> str:
        return f"{self.prefix}rl:{bucket}:{subject}"

    # catalog -------------------------------------------------------------------------------
    def product_cache(self, product_id: int) -> str:
        return f"{self.prefix}cache:product:{product_id}"

    @property
    def product_list_cache(self) -> str:
        return f"{self.prefix}cache:products:first-page"

    # seckill -------------------------------------------------------------------------------
    def _event(self, event_id: int) -> str:
        return f"{self.prefix}{{ev:{event_id}}}"

    def event_stock(self, event_id: int) -> str:
        return f"{self._event(event_id)}:stock"

    def event_meta(self, event_id: int) -> str:
        return f"{self._event(event_id)}:meta"

    def event_buyers(self, event_id: int) -> str:
        return f"{self._event(event_id)}:buyers"

    def event_ledger(self, event_id: int) -> str:
        return f"{self._event(event_id)}:ledger"

    # pub/sub -------------------------------------------------------------------------------
    def channel(self, topic: str, object_id: str) -> str:
        return f"{self.prefix}ch:{topic}:{object_id}"
