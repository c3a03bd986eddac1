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

    @property
    def token_stamps_complete(self) -> str:
        """Present while Redis holds every stamp that still matters (accounts/revocation.py)."""
        return f"{self.prefix}user:tva-complete"

    @property
    def token_stamps_channel(self) -> str:
        """Pub/sub: the id of a user whose stamp just changed (accounts/revocation.py)."""
        return self.channel("tokens", "stamp-changed")

    def login_attempts(self, scope: str, value: str) -> str:
        return f"{self.prefix}rl:login:{scope}:{value}"

    def rate_limit(self, bucket: str, subject: str) -> str:
        return f"{self.prefix}rl:{bucket}:{subject}"

    # mail ----------------------------------------------------------------------------------
    @property
    def dev_mailbox(self) -> str:
        """List: JSON of the messages the development mail backend kept, newest first."""
        return f"{self.prefix}mail:dev-mailbox"

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
        """Hash: ticket id -> JSON {u: user, q: quantity, t: reserved ms, s: state}."""
        return f"{self._event(event_id)}:ledger"

    def event_pending(self, event_id: int) -> str:
        """Sorted set: tickets reserved but not yet persisted, scored by reservation ms."""
        return f"{self._event(event_id)}:pending"

    def event_claims(self, event_id: int) -> str:
        """Hash: ticket id -> "claimed ms:token" of the worker persisting it now (claim.lua)."""
        return f"{self._event(event_id)}:claims"

    def event_rate_user(self, event_id: int, user_id: int) -> str:
        return f"{self._event(event_id)}:rl:u:{user_id}"

    def event_rate_ip(self, event_id: int, ip: str) -> str:
        return f"{self._event(event_id)}:rl:ip:{ip}"

    def event_attempts(self, event_id: int) -> str:
        """Hash: unix second -> purchase attempts in that second (the control room's chart)."""
        return f"{self._event(event_id)}:attempts"

    # the waiting room of a sale (seckill/room.py, docs/waiting-room.md)
    def room(self, event_id: int) -> str:
        """Hash: the room's settings (opens, closes, ttl, factor), arrival counter `seq`,
        `window` (arrivals before the lottery closed), `drawn`, `seed`, admitted `cursor`."""
        return f"{self._event(event_id)}:room"

    def room_arrivals(self, event_id: int) -> str:
        """Hash: user id -> arrival number (1-based; one entry per user)."""
        return f"{self._event(event_id)}:room:arrivals"

    def room_joined(self, event_id: int) -> str:
        """List: user ids in arrival order."""
        return f"{self._event(event_id)}:room:joined"

    def room_order(self, event_id: int) -> str:
        """List: the draw, i.e. the window's user ids in admission order."""
        return f"{self._event(event_id)}:room:order"

    def room_rank(self, event_id: int) -> str:
        """Hash: user id -> position in the draw (window entrants only)."""
        return f"{self._event(event_id)}:room:rank"

    def room_grants(self, event_id: int) -> str:
        """Sorted set: user id -> expiry ms of an admission grant not used yet."""
        return f"{self._event(event_id)}:room:grants"

    def room_admitted(self, event_id: int) -> str:
        """List: user ids in the order they were admitted (the audit's log)."""
        return f"{self._event(event_id)}:room:admitted"

    def room_used(self, event_id: int) -> str:
        """Hash: user id -> ticket id of the reservation that used the user's grant."""
        return f"{self._event(event_id)}:room:used"

    def room_missed(self, event_id: int) -> str:
        """Set: user ids whose grant expired unused."""
        return f"{self._event(event_id)}:room:missed"

    @property
    def room_events(self) -> str:
        """Set of warm sale ids in WAITING_ROOM mode (the admission cron's work list)."""
        return f"{self.prefix}seckill:room-events"

    @property
    def warm_events(self) -> str:
        """Set of event ids loaded into Redis (the reconciler's work list)."""
        return f"{self.prefix}seckill:warm-events"

    @staticmethod
    def arq_job(job_id: str) -> str:
        """arq's own job key (arq does not prefix it; see arq.constants.job_key_prefix)."""
        return f"arq:job:{job_id}"

    # payments ------------------------------------------------------------------------------
    def payment_webhook_nonce(self, provider: str, nonce: str) -> str:
        return f"{self.prefix}pay:nonce:{provider}:{nonce}"

    # tracing: a span context a later request links to (core/tracing.py `remember`) ---------
    def trace_context(self, kind: str, object_id: int) -> str:
        return f"{self.prefix}trace:{kind}:{object_id}"

    # pub/sub and WebSocket sessions --------------------------------------------------------
    def channel(self, topic: str, object_id: str) -> str:
        return f"{self.prefix}ch:{topic}:{object_id}"

    def ws_connections(self, user_id: int) -> str:
        """Sorted set: a user's open subscription sockets (connection id -> heartbeat ms)."""
        return f"{self.prefix}ws:conns:{user_id}"

    def ws_anonymous_connections(self, address: str) -> str:
        """Sorted set: anonymous subscription sockets from one client address."""
        return f"{self.prefix}ws:anon:{address}"

    def ws_pending_connections(self, address: str) -> str:
        """Sorted set: sockets from one client address that have not sent `connection_init`."""
        return f"{self.prefix}ws:pending:{address}"
