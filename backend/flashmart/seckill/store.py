"""The Redis side of flash sales: `SaleStore` runs the Lua scripts and reads what they keep.

Every key of one sale carries the hash tag `{ev:ID}` (`core/keys.py`), so each script touches
one cluster slot. No database here.
"""

from __future__ import annotations

import inspect
import json
import weakref
from collections.abc import Awaitable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol, TypeVar

from opentelemetry import trace
from opentelemetry.trace import SpanKind
from redis.asyncio import Redis
from redis.asyncio.client import Pipeline
from redis.commands.core import AsyncScript
from redis.exceptions import NoScriptError

from flashmart.core import tracing
from flashmart.core.keys import Keys
from flashmart.core.redis_mux import Sender

HERE = Path(__file__).resolve().parent
T = TypeVar("T")


async def resolved(value: Awaitable[T] | T) -> T:
    """redis-py types its hash and set commands as "awaitable or not" on the asyncio client."""
    return await value if inspect.isawaitable(value) else value


JOB_TTL_MS = 86_400_000  # arq's default: a queued job's key outlives any sane backlog
PERSIST_JOB = "persist_reservation"


class ReserveCode(StrEnum):
    OK = "OK"
    RATE_LIMITED = "RATE_LIMITED"
    NOT_WARM = "NOT_WARM"
    NOT_STARTED = "NOT_STARTED"
    ENDED = "ENDED"
    SOLD_OUT = "SOLD_OUT"
    ALREADY_PURCHASED = "ALREADY_PURCHASED"
    LIMIT_EXCEEDED = "LIMIT_EXCEEDED"
    EMAIL_NOT_VERIFIED = "EMAIL_NOT_VERIFIED"
    NOT_ADMITTED = "NOT_ADMITTED"  # a waiting-room sale and no valid grant


@dataclass(frozen=True)
class ReserveResult:
    code: ReserveCode
    value: int  # remaining units, retry-after ms, ms to start or units still allowed
    replicated: int = -1  # replicas that acknowledged the script's writes (-1: not asked)
    traceparent: str | None = None  # tracing on: the reserve span's, for the persist job


@dataclass(frozen=True)
class LedgerEntry:
    ticket_id: str
    user_id: int
    quantity: int
    reserved_ms: int
    state: str  # reserved | persisted | released | failed


class ClaimCode(StrEnum):
    CLAIMED = "CLAIMED"  # the entries to persist now are the caller's
    SETTLED = "SETTLED"  # the own ticket is persisted, failed or released: nothing to do
    HELD = "HELD"  # another live claim holds the own ticket
    MISSING = "MISSING"  # the own ticket has no ledger entry (the sale left Redis)


@dataclass(frozen=True)
class Claim:
    code: ClaimCode
    token: str
    entries: list[LedgerEntry]  # CLAIMED: the own ticket first, then the oldest others
    held_ms: int = 0  # HELD: until the other claim lapses


@dataclass(frozen=True)
class WarmState:
    remaining: int
    sold_out: bool


@dataclass(frozen=True)
class TicketSnapshot:
    """A sale's tickets as the database has them, read in one query (for `SaleStore.load`)."""

    live: list[tuple[str, int, int]]  # (ticket id, user id, units): the order holds them
    dead: list[tuple[str, int, int, int]]  # (ticket id, user id, units, reserved ms): FAILED,
    # or the order gave its units back


@dataclass(frozen=True)
class Loaded:
    """What loading a cold sale found: units left, and units of reservations in flight."""

    remaining: int
    in_flight: int


@dataclass(frozen=True)
class Scripts:
    reserve: AsyncScript
    release: AsyncScript
    persisted: AsyncScript
    warm: AsyncScript
    claim: AsyncScript
    join: AsyncScript
    draw: AsyncScript
    admit: AsyncScript


_SOURCES = {
    name: (HERE / f"{name}.lua").read_text()
    for name in ("reserve", "release", "persisted", "warm", "claim", "join", "draw", "admit")
}
_loaded: weakref.WeakKeyDictionary[Redis, Scripts] = weakref.WeakKeyDictionary()


def scripts(redis: Redis) -> Scripts:
    """Scripts bound to a client: called by SHA, re-loaded by redis-py after a NOSCRIPT."""
    found = _loaded.get(redis)
    if found is None:
        found = Scripts(**{name: redis.register_script(src) for name, src in _SOURCES.items()})
        _loaded[redis] = found
    return found


class HasRedis(Protocol):
    """What `SaleStore.of` needs from the process (the `Runtime`)."""

    @property
    def redis(self) -> Redis: ...

    @property
    def keys(self) -> Keys: ...


# How many pending entries one claim looks at per unit of batch size (bounds its time in Redis).
CLAIM_SCAN_PER_UNIT = 20
# A dropped job's key outlives the drop by as long as arq keeps a result: a worker that
# started the job a moment before still finds it, and the id is not reused meanwhile.
DROPPED_JOB_TTL_MS = 3_600_000


class SaleStore:
    """The sales kept in one Redis: stock, buyers, the reservation ledger, pending entries,
    claims and attempt counters, each sale under its own hash tag."""

    __slots__ = ("keys", "redis")

    def __init__(self, redis: Redis, keys: Keys) -> None:
        self.redis = redis
        self.keys = keys

    @classmethod
    def of(cls, runtime: HasRedis) -> SaleStore:
        return cls(runtime.redis, runtime.keys)

    def _event_keys(self, event_id: int) -> list[str]:
        keys = self.keys
        return [
            keys.event_meta(event_id),
            keys.event_stock(event_id),
            keys.event_buyers(event_id),
            keys.event_ledger(event_id),
            keys.event_pending(event_id),
        ]

    def _settle_keys(self, event_id: int) -> list[str]:
        keys = self.keys
        return [
            keys.event_ledger(event_id),
            keys.event_pending(event_id),
            keys.event_claims(event_id),
        ]

    # --- the buy --------------------------------------------------------------------------
    async def reserve(
        self,
        *,
        event_id: int,
        user_id: int,
        quantity: int,
        ticket_id: str,
        client_ip: str,
        user_rate: float,
        user_burst: int,
        ip_rate: float,
        ip_burst: int,
        enqueue: bool,
        wait: tuple[int, int] | None = None,
        email_verified: bool = False,
    ) -> ReserveResult:
        """reserve.lua: rate limits, window, verified-only flag, per-user limit, the admission
        grant of a waiting-room sale, stock, ledger and (with `enqueue`) the persist job, in one
        call. `wait` (replicas, timeout ms):
        follow it with WAIT on the same connection (core/durability.py). `email_verified`:
        what the shopper's access token says (the `ev` claim)."""
        keys = self.keys
        script_keys = [
            *self._event_keys(event_id),
            keys.event_rate_user(event_id, user_id),
            keys.event_rate_ip(event_id, client_ip),
            keys.event_attempts(event_id),
            keys.room_grants(event_id),
            keys.room_used(event_id),
        ]
        if enqueue:
            script_keys += [keys.queue, keys.arq_job(ticket_id)]
        args: list[str | int] = [  # rates as redis-py would encode them
            user_id, quantity, ticket_id, repr(user_rate), user_burst, repr(ip_rate), ip_burst,
            "1" if enqueue else "0", PERSIST_JOB, JOB_TTL_MS, event_id,
            "1" if email_verified else "0",
        ]  # fmt: skip
        if tracing.tracer is not None:  # tracing on: the call in a span (core/tracing.py)
            return await self._traced_reserve(event_id, ticket_id, enqueue, script_keys, args, wait)
        return await self._call_reserve(script_keys, args, wait)

    async def _traced_reserve(
        self,
        event_id: int,
        ticket_id: str,
        enqueue: bool,
        script_keys: list[str],
        args: list[str | int],
        wait: tuple[int, int] | None,
    ) -> ReserveResult:
        """The reserve script's call in a client span (the multiplexed connection is no redis-py
        client: no instrumentation sees it). The span's traceparent goes to the persist job the
        script queues, as the script's last argument (reserve.lua), and back to the caller. In
        a trace the sampler dropped, no span is made: the current (non-recording) span's
        context goes on instead, so the worker's side is dropped too."""
        dropped = tracing.dropped_traceparent.get()  # the lane's string for a dropped trace
        if dropped is not None:
            return await self._reserve_carrying(dropped, enqueue, script_keys, args, wait)
        current = trace.get_current_span()
        if not current.is_recording():
            parent = tracing.traceparent(current)
            return await self._reserve_carrying(parent, enqueue, script_keys, args, wait)
        attributes: dict[str, str | int] = {
            "db.system.name": "redis", "db.operation.name": "EVALSHA",
            "flashmart.script": "reserve", "flashmart.seckill.event_id": event_id,
            "flashmart.seckill.ticket_id": ticket_id,
        }  # fmt: skip
        with tracing.span("seckill.reserve", kind=SpanKind.CLIENT, attributes=attributes) as span:
            parent = tracing.traceparent(span)
            result = await self._reserve_carrying(parent, enqueue, script_keys, args, wait)
            tracing.set_attributes(span, {"flashmart.seckill.reserve_code": result.code.value})
        return result

    async def _reserve_carrying(
        self,
        parent: str | None,
        enqueue: bool,
        script_keys: list[str],
        args: list[str | int],
        wait: tuple[int, int] | None,
    ) -> ReserveResult:
        if enqueue and parent is not None:
            args = [*args, parent]
        result = await self._call_reserve(script_keys, args, wait)
        # Built, not `dataclasses.replace`d: this runs on every buy while tracing is on.
        return ReserveResult(result.code, result.value, result.replicated, parent)

    async def _call_reserve(
        self, script_keys: list[str], args: list[str | int], wait: tuple[int, int] | None
    ) -> ReserveResult:
        redis = self.redis
        if wait is not None:
            return await self._reserve_and_wait(script_keys, args, wait)
        mux = getattr(redis, "mux", None)
        if mux is not None:  # every buy of this event-loop turn in one write (core/redis_mux.py)
            code, value = await run_script(mux, scripts(redis).reserve, script_keys, args)
        else:
            code, value = await scripts(redis).reserve(keys=script_keys, args=args)
        return ReserveResult(code=ReserveCode(code.decode()), value=int(value))

    async def _reserve_and_wait(
        self, script_keys: list[str], args: list[str | int], wait: tuple[int, int]
    ) -> ReserveResult:
        """The script and WAIT in one pipeline on one pooled connection (WAIT counts that
        connection's writes; on the shared multiplexed one it would hold every other buy)."""
        script = scripts(self.redis).reserve
        for _ in range(2):
            async with self.redis.pipeline(transaction=False) as pipe:
                pipe.execute_command("EVALSHA", script.sha, len(script_keys), *script_keys, *args)
                pipe.execute_command("WAIT", *wait)
                reply, replicated = await pipe.execute(raise_on_error=False)
            if needs_script(reply):  # Redis forgot the script: nothing ran, load and again
                await self.redis.script_load(script.script)
                continue
            if isinstance(replicated, Exception):
                raise replicated
            code, value = reply
            return ReserveResult(ReserveCode(code.decode()), int(value), int(replicated))
        raise NoScriptError("the reserve script could not be loaded")

    async def release(self, *, event_id: int, ticket_id: str, user_id: int, quantity: int) -> int:
        """1 released now, 0 already released, -1 event not warm (the database is the truth)."""
        result = await scripts(self.redis).release(
            keys=self._event_keys(event_id), args=[ticket_id, user_id, quantity]
        )
        return int(result)

    # --- persisting: claims and settling --------------------------------------------------
    async def settle(self, *, event_id: int, states: Mapping[str, str]) -> int:
        """Settle ledger entries (ticket id -> 'persisted' | 'failed'), dropping them from the
        pending set and the claims; returns how many changed."""
        return int(
            await scripts(self.redis).persisted(
                keys=self._settle_keys(event_id), args=_state_args(states)
            )
        )

    def settle_in(self, pipe: Pipeline, *, event_id: int, states: Mapping[str, str]) -> None:
        """`settle` as one more command of `pipe` (by SHA: check the reply with
        `needs_script`, which says whether the script must be loaded and run again)."""
        keys = self._settle_keys(event_id)
        pipe.evalsha(scripts(self.redis).persisted.sha, len(keys), *keys, *_state_args(states))

    async def claim(
        self,
        *,
        event_id: int,
        ticket_id: str | None,
        batch: int,
        lifetime_ms: int,
        token: str,
        reserved_until_ms: int | None = None,
        defer_jobs: bool = False,
    ) -> Claim:
        """Take the entries one persist transaction should write (claim.lua): the own ticket
        (a job's; None for the reconciler) and up to `batch` in all, oldest first, among
        entries no claim younger than `lifetime_ms` holds and reserved at or before
        `reserved_until_ms`. `defer_jobs` (the queue is on this Redis) puts the other claimed
        tickets' jobs off until the claim lapses; `drop_settled_jobs_in` removes them once
        their tickets are settled."""
        script_keys = self._settle_keys(event_id)
        if defer_jobs:
            script_keys.append(self.keys.queue)
        reply = await scripts(self.redis).claim(
            keys=script_keys,
            args=[
                ticket_id or "", batch, lifetime_ms, token,
                "+inf" if reserved_until_ms is None else reserved_until_ms,
                batch * CLAIM_SCAN_PER_UNIT,
            ],
        )  # fmt: skip
        code = ClaimCode(reply[0].decode())
        if code is ClaimCode.HELD:
            return Claim(code=code, token=token, entries=[], held_ms=int(reply[1]))
        entries = [_entry(reply[i].decode(), reply[i + 1]) for i in range(1, len(reply), 2)]
        return Claim(code=code, token=token, entries=entries)

    def drop_settled_jobs_in(self, pipe: Pipeline, ticket_ids: list[str]) -> None:
        """Take the persist jobs of settled tickets out of the queue (they would only answer
        "already"). A worker that already started one runs it to the end; arq's start checks
        the queue score, so none starts after this."""
        if not ticket_ids:
            return
        pipe.zrem(self.keys.queue, *ticket_ids)
        for ticket_id in ticket_ids:
            pipe.pexpire(self.keys.arq_job(ticket_id), DROPPED_JOB_TTL_MS)

    # --- warming and forgetting -----------------------------------------------------------
    async def refresh(
        self,
        *,
        event_id: int,
        starts_ms: int,
        ends_ms: int,
        per_user_limit: int,
        total: int,
        verified_only: bool = False,
        room: bool = False,
    ) -> bool:
        """Refresh a warm sale's window, limit, verified-only and room flags (warm.lua); False
        when it is not in Redis, which then needs `load`."""
        reply = await self._warm(
            event_id,
            [
                starts_ms, ends_ms, per_user_limit, total, "refresh",
                "1" if verified_only else "0", "1" if room else "0",
            ],
        )  # fmt: skip
        return int(reply[0]) == 0

    async def load(
        self,
        *,
        event_id: int,
        starts_ms: int,
        ends_ms: int,
        per_user_limit: int,
        total: int,
        snapshot: TicketSnapshot,
        verified_only: bool = False,
        room: bool = False,
    ) -> Loaded | None:
        """Load a cold sale from the database's tickets and the ledger (warm.lua): remaining
        stock and per-user units count the reservations still in flight. None when the sale
        was warm (then only its window, limit and flag are refreshed: stock is never reset).
        `verified_only`: only shoppers whose access token says their email is verified buy;
        `room`: a WAITING_ROOM sale (only shoppers holding an admission grant buy)."""
        args: list[str | int] = [
            starts_ms, ends_ms, per_user_limit, total, "load", "1" if verified_only else "0",
            "1" if room else "0", len(snapshot.live),
        ]  # fmt: skip
        for ticket_id, user_id, units in snapshot.live:
            args += [ticket_id, user_id, units]
        for ticket_id, user_id, units, reserved_ms in snapshot.dead:
            args += [ticket_id, user_id, units, reserved_ms]
        reply = await self._warm(event_id, args)
        if int(reply[0]) != 1:
            return None
        return Loaded(remaining=int(reply[1]), in_flight=int(reply[2]))

    async def _warm(self, event_id: int, args: list[str | int]) -> list[Any]:
        keys = self.keys
        reply: list[Any] = await scripts(self.redis).warm(
            keys=[
                keys.event_meta(event_id),
                keys.event_stock(event_id),
                keys.event_buyers(event_id),
                keys.event_ledger(event_id),
                keys.event_pending(event_id),
            ],
            args=args,
        )
        if int(reply[0]) >= 0:
            await resolved(self.redis.sadd(keys.warm_events, event_id))
        return reply

    async def forget(self, event_id: int, *, after_seconds: int) -> None:
        """Let a closed event's keys expire (kept a while for audits) and stop reconciling it."""
        keys = self.keys
        async with self.redis.pipeline(transaction=False) as pipe:
            for key in [
                *self._event_keys(event_id),
                keys.event_attempts(event_id),
                keys.event_claims(event_id),
                *room_keys(keys, event_id),
            ]:
                pipe.expire(key, after_seconds)
            pipe.srem(keys.warm_events, event_id)
            pipe.srem(keys.room_events, event_id)
            await pipe.execute()

    # --- reading --------------------------------------------------------------------------
    async def read_states(self, event_ids: list[int]) -> dict[int, WarmState]:
        """Remaining stock of the warm events among `event_ids` (one round trip)."""
        async with self.redis.pipeline(transaction=False) as pipe:
            for event_id in event_ids:
                pipe.get(self.keys.event_stock(event_id))
                pipe.hget(self.keys.event_meta(event_id), "soldout")
            raw = await pipe.execute()
        states: dict[int, WarmState] = {}
        for index, event_id in enumerate(event_ids):
            found = warm_state(raw[2 * index], raw[2 * index + 1])
            if found is not None:
                states[event_id] = found
        return states

    async def is_warm(self, event_id: int) -> bool:
        return bool(await self.redis.exists(self.keys.event_meta(event_id)))

    async def warm_event_ids(self) -> list[int]:
        return sorted(int(m) for m in await resolved(self.redis.smembers(self.keys.warm_events)))

    async def ledger_entry(self, event_id: int, ticket_id: str) -> LedgerEntry | None:
        raw = await resolved(self.redis.hget(self.keys.event_ledger(event_id), ticket_id))
        return _entry(ticket_id, raw) if raw else None

    async def ledger(self, event_id: int) -> list[LedgerEntry]:
        raw = await resolved(self.redis.hgetall(self.keys.event_ledger(event_id)))
        return [_entry(k.decode(), v) for k, v in raw.items()]

    async def queue_position(self, event_id: int, ticket_id: str) -> int | None:
        """A reservation's place among the sale's reservations not yet written (1: the oldest,
        next to be written), or None once it is written, failed or released."""
        rank = await resolved(self.redis.zrank(self.keys.event_pending(event_id), ticket_id))
        return None if rank is None else int(rank) + 1

    async def pending_count(self, event_id: int) -> int:
        return int(await self.redis.zcard(self.keys.event_pending(event_id)))

    async def stale_count(self, event_id: int, *, older_than_ms: int) -> int:
        return int(
            await self.redis.zcount(self.keys.event_pending(event_id), "-inf", older_than_ms)
        )

    async def buyers(self, event_id: int) -> dict[int, int]:
        raw = await resolved(self.redis.hgetall(self.keys.event_buyers(event_id)))
        return {int(k): int(v) for k, v in raw.items()}

    async def attempts_in_last(self, event_id: int, *, seconds: int) -> list[tuple[int, int]]:
        """(unix second, buy attempts) for the `seconds` whole seconds before now by Redis's
        clock (the clock `reserve.lua` counts with), oldest first; seconds without attempts
        count 0."""
        now, _ = await self.redis.time()
        wanted = [int(now) - seconds + i for i in range(seconds)]
        raw = await resolved(
            self.redis.hmget(self.keys.event_attempts(event_id), [str(s) for s in wanted])
        )
        return [(second, int(count or 0)) for second, count in zip(wanted, raw, strict=True)]


def warm_state(stock: bytes | None, sold_out: bytes | None) -> WarmState | None:
    """A sale's state from its stock key and meta's `soldout` field (None: not warm)."""
    if stock is None or sold_out is None:
        return None
    remaining = int(stock)
    return WarmState(remaining=remaining, sold_out=remaining <= 0)


async def run_script(
    mux: Sender, script: AsyncScript, keys: list[str], args: list[str | int]
) -> Any:
    """EVALSHA on the multiplexed connection; after a NOSCRIPT (Redis restarted or flushed
    its scripts) load the script and call it again, as redis-py's `AsyncScript` does."""
    command: list[str | int] = ["EVALSHA", script.sha, len(keys), *keys, *args]
    try:
        return await mux.execute(*command)
    except NoScriptError:
        await mux.execute("SCRIPT", "LOAD", script.script)  # type: ignore[arg-type]
        return await mux.execute(*command)


def room_keys(keys: Keys, event_id: int) -> list[str]:
    """Every key of a sale's waiting room (seckill/room.py)."""
    return [
        keys.room(event_id), keys.room_arrivals(event_id), keys.room_joined(event_id),
        keys.room_order(event_id), keys.room_rank(event_id), keys.room_grants(event_id),
        keys.room_admitted(event_id), keys.room_used(event_id), keys.room_missed(event_id),
    ]  # fmt: skip


def needs_script(reply: object) -> bool:
    """True for a pipeline's NOSCRIPT reply (Redis restarted and forgot the script); any
    other error reply is raised, a normal reply gives False."""
    if isinstance(reply, NoScriptError):
        return True
    if isinstance(reply, Exception):
        raise reply
    return False


def _state_args(states: Mapping[str, str]) -> list[str]:
    args: list[str] = []
    for ticket_id, state in states.items():
        args += [ticket_id, state]
    return args


def _entry(ticket_id: str, raw: bytes | str) -> LedgerEntry:
    data = json.loads(raw)
    return LedgerEntry(
        ticket_id=ticket_id,
        user_id=int(data["u"]),
        quantity=int(data["q"]),
        reserved_ms=int(data["t"]),
        state=str(data.get("s", "reserved")),
    )
