"""The waiting room of a WAITING_ROOM flash sale (docs/waiting-room.md).

Shoppers join (`join`, join.lua: one entry per account, numbered by arrival) from the room's
opening until the sale ends. When the lottery window after the start closes, the worker's
`tick` draws (draw.lua: a seeded shuffle of the entrants who joined before then; the seed is
written to the sale once the draw is done, and `draw.py` re-runs it) and then, about once a
second, admits the next entrants (admit.lua): expired grants are dropped and new grants of
GRANT_TTL seconds go to the next positions until the grants outstanding reach the units left
times the sale's admission factor. reserve.lua takes the grant with the units (one use).

Every key lives under the sale's hash tag (`Keys.room*`). No database here except the seed's
publication in `tick` and the lookups that explain a refusal.
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from redis.asyncio import Redis

from flashmart.core.errors import DomainError, DomainFailure, ErrorCode
from flashmart.core.i18n import Message, text
from flashmart.core.keys import Keys
from flashmart.core.ratelimit import Limit, RateLimiter, client_subject
from flashmart.core.runtime import Runtime
from flashmart.seckill.announce import publish_event_updated
from flashmart.seckill.draw import new_seed
from flashmart.seckill.models import AdmissionMode, SeckillEvent
from flashmart.seckill.store import HasRedis, WarmState, resolved, scripts, warm_state

logger = logging.getLogger("flashmart.seckill.room")


class RoomState(StrEnum):
    WAITING = "WAITING"  # in the queue (before the draw: position not known yet)
    ADMITTED = "ADMITTED"  # the turn came: a grant until `grant_expires_at`, or it was used
    MISSED = "MISSED"  # the grant expired unused; the turn passed on
    SOLD_OUT = "SOLD_OUT"  # no units left for those still waiting


@dataclass(frozen=True)
class RoomCounters:
    """What one read of the room says about everybody (the watcher's per-tick read)."""

    joined: int  # entries so far (the last arrival number)
    window: int  # entries that joined before the lottery window closed (the draw's entrants)
    drawn: bool
    admitted: int  # positions admitted so far (the cursor)
    outstanding: int  # grants neither used nor expired
    missed: int  # grants that expired unused
    closes_ms: int  # when the lottery window closes (the draw runs from then)
    seed: str | None  # the draw's, once drawn

    @property
    def wake_key(self) -> tuple[object, ...]:
        """What an entry's view depends on (`entry_view`, `Member.position`): nothing before
        the draw (joins change no entrant's view: a position is null until the draw), then
        the draw's size and the admission cursor."""
        return (self.drawn, self.window, self.admitted) if self.drawn else (False,)


@dataclass(frozen=True)
class Member:
    """One shopper's entry as Redis has it."""

    arrival: int
    rank: int | None  # place in the draw (window entrants, once drawn)
    grant_expires_ms: int | None  # an unused grant
    ticket_id: str | None  # the reservation that used the grant
    missed: bool

    def position(self, counters: RoomCounters) -> int | None:
        """Place in the admission order: the draw's for window entrants, the arrival number for
        later joiners; None before the draw."""
        if not counters.drawn:
            return None
        if self.rank is not None:
            return self.rank
        if self.arrival <= counters.window:  # in the draw, but read before it: ask again
            return None
        return self.arrival

    @property
    def holds_grant(self) -> bool:
        """Admitted with a grant not known to be used or missed (as last read)."""
        return self.grant_expires_ms is not None and self.ticket_id is None and not self.missed

    def settled(self, counters: RoomCounters) -> bool:
        """This read is still good for `counters`: it knows the place in the draw (once drawn)
        and how the turn went (once the turn has come)."""
        position = self.position(counters)
        if position is None:
            return not counters.drawn
        if position > counters.admitted:
            return True
        return self.ticket_id is not None or self.missed or self.grant_expires_ms is not None


@dataclass(frozen=True)
class EntryView:
    event_id: int
    arrival: int
    position: int | None
    ahead: int | None
    estimated_wait_seconds: int | None
    state: RoomState
    grant_expires_at: datetime | None

    @property
    def key(self) -> tuple[Any, ...]:
        return (self.position, self.ahead, self.estimated_wait_seconds, self.state,
                self.grant_expires_at)  # fmt: skip


def entry_view(
    event_id: int,
    member: Member,
    counters: RoomCounters,
    *,
    remaining: int,
    rate: float | None,
    now_ms: int,
) -> EntryView:
    """A shopper's entry computed from the room's shared counters and the shopper's own read,
    without Redis (each subscriber of the sale does this per tick)."""
    position = member.position(counters)
    ahead: int | None = None
    wait: int | None = None
    expires: datetime | None = None
    if position is not None and position <= counters.admitted:
        ahead = 0
        if member.ticket_id is not None:
            state = RoomState.ADMITTED
        elif member.grant_expires_ms is not None and member.grant_expires_ms > now_ms:
            state = RoomState.ADMITTED
            expires = datetime.fromtimestamp(member.grant_expires_ms / 1000, UTC)
        else:
            state = RoomState.MISSED
    elif remaining <= 0:
        state = RoomState.SOLD_OUT
    else:
        state = RoomState.WAITING
        if position is not None:
            ahead = position - counters.admitted - 1
            if rate:
                wait = math.ceil((ahead + 1) / rate)
    return EntryView(
        event_id=event_id, arrival=member.arrival, position=position, ahead=ahead,
        estimated_wait_seconds=wait, state=state, grant_expires_at=expires,
    )  # fmt: skip


class JoinCode(StrEnum):
    JOINED = "JOINED"
    NOT_WARM = "NOT_WARM"
    NOT_WAITING_ROOM = "NOT_WAITING_ROOM"
    EMAIL_NOT_VERIFIED = "EMAIL_NOT_VERIFIED"
    NOT_IN_JOIN_WINDOW = "NOT_IN_JOIN_WINDOW"
    SOLD_OUT = "SOLD_OUT"


class DrawCode(StrEnum):
    DRAWN = "DRAWN"
    NOT_YET = "NOT_YET"
    NOT_WARM = "NOT_WARM"


@dataclass(frozen=True)
class DrawResult:
    code: DrawCode
    seed: str | None
    window: int
    published: bool  # the seed is on the sale (`tick` wrote it)


@dataclass(frozen=True)
class Admitted:
    admitted: int
    expired: int
    outstanding: int
    cursor: int


@dataclass(frozen=True)
class DrawRecord:
    """What the audit and `verify-draw` compare: the entrants, the draw and the admissions."""

    seed: str | None
    window: int
    joined: list[int]  # user ids in arrival order
    order: list[int]  # the draw as Redis wrote it
    admitted: list[int]  # user ids in admission order
    used: dict[int, str]  # user id -> ticket id that used the grant


_ROOM_FIELDS = ("seq", "window", "drawn", "cursor", "closes", "seed")
MEMBERS_CHUNK = 1000  # shoppers per command of `RoomStore.members`


class RoomStore:
    """The waiting rooms kept in one Redis (the keys `Keys.room*`)."""

    __slots__ = ("keys", "redis")

    def __init__(self, redis: Redis, keys: Keys) -> None:
        self.redis = redis
        self.keys = keys

    @classmethod
    def of(cls, runtime: HasRedis) -> RoomStore:
        return cls(runtime.redis, runtime.keys)

    async def configure(
        self, event_id: int, *, opens_ms: int, closes_ms: int, ttl_ms: int, factor: int
    ) -> None:
        """Write the room's settings (warm-up does, before the sale's own keys); counters and
        the draw are never touched."""
        keys = self.keys
        async with self.redis.pipeline(transaction=False) as pipe:
            pipe.hset(
                keys.room(event_id),
                mapping={"opens": opens_ms, "closes": closes_ms, "ttl": ttl_ms, "factor": factor},
            )
            pipe.sadd(keys.room_events, event_id)
            await pipe.execute()

    async def join(self, event_id: int, user_id: int, *, verified: bool) -> tuple[JoinCode, int]:
        """join.lua: (code, arrival number)."""
        keys = self.keys
        code, arrival, _ = await scripts(self.redis).join(
            keys=[
                keys.event_meta(event_id), keys.room(event_id), keys.room_arrivals(event_id),
                keys.room_joined(event_id),
            ],
            args=[user_id, "1" if verified else "0"],
        )  # fmt: skip
        return JoinCode(code.decode()), int(arrival)

    async def draw(self, event_id: int, seed: str) -> DrawResult:
        """draw.lua with `seed` (ignored when the room was drawn before: its seed comes back)."""
        keys = self.keys
        code, drawn_seed, window = await scripts(self.redis).draw(
            keys=[
                keys.room(event_id), keys.room_joined(event_id), keys.room_order(event_id),
                keys.room_rank(event_id),
            ],
            args=[seed],
        )  # fmt: skip
        result = DrawCode(code.decode())
        published = False
        if result is DrawCode.DRAWN:
            published = bool(await resolved(self.redis.hget(keys.room(event_id), "published")))
        return DrawResult(
            code=result,
            seed=drawn_seed.decode() if result is DrawCode.DRAWN else None,
            window=int(window),
            published=published,
        )

    async def mark_published(self, event_id: int) -> None:
        await resolved(self.redis.hset(self.keys.room(event_id), "published", "1"))

    async def admit(self, event_id: int, *, batch: int) -> Admitted:
        keys = self.keys
        reply = await scripts(self.redis).admit(
            keys=[
                keys.event_meta(event_id), keys.event_stock(event_id), keys.room(event_id),
                keys.room_joined(event_id), keys.room_order(event_id),
                keys.room_grants(event_id), keys.room_admitted(event_id),
                keys.room_missed(event_id),
            ],
            args=[batch],
        )  # fmt: skip
        admitted, expired, outstanding, cursor = (int(v) for v in reply)
        return Admitted(admitted, expired, outstanding, cursor)

    async def read(
        self, event_id: int, user_id: int | None = None
    ) -> tuple[WarmState | None, RoomCounters | None, Member | None]:
        """The sale's stock, the room's counters and (with `user_id`) the shopper's entry, in
        one round trip."""
        keys = self.keys
        async with self.redis.pipeline(transaction=False) as pipe:
            pipe.get(keys.event_stock(event_id))
            pipe.hget(keys.event_meta(event_id), "soldout")
            pipe.hmget(keys.room(event_id), list(_ROOM_FIELDS))
            pipe.zcard(keys.room_grants(event_id))
            pipe.scard(keys.room_missed(event_id))
            if user_id is not None:
                user = str(user_id)
                pipe.hget(keys.room_arrivals(event_id), user)
                pipe.hget(keys.room_rank(event_id), user)
                pipe.zscore(keys.room_grants(event_id), user)
                pipe.hget(keys.room_used(event_id), user)
                pipe.sismember(keys.room_missed(event_id), user)
            raw = await pipe.execute()
        warm = warm_state(raw[0], raw[1])
        seq, window, drawn, cursor, closes, seed = raw[2]
        counters = None
        if closes is not None:
            counters = RoomCounters(
                joined=int(seq or 0), window=int(window or 0), drawn=drawn == b"1",
                admitted=int(cursor or 0), outstanding=int(raw[3]), missed=int(raw[4]),
                closes_ms=int(closes), seed=seed.decode() if seed else None,
            )  # fmt: skip
        member = None
        if user_id is not None and raw[5] is not None:
            member = _member(*raw[5:10])
        return warm, counters, member

    async def members(self, event_id: int, user_ids: list[int]) -> dict[int, Member]:
        """Many shoppers' entries in one round trip (a watcher's subscribers after the draw or
        a move of the cursor): five commands per MEMBERS_CHUNK shoppers, none per shopper."""
        keys = self.keys
        found: dict[int, Member] = {}
        async with self.redis.pipeline(transaction=False) as pipe:
            for start in range(0, len(user_ids), MEMBERS_CHUNK):
                users = [str(u) for u in user_ids[start : start + MEMBERS_CHUNK]]
                pipe.hmget(keys.room_arrivals(event_id), users)
                pipe.hmget(keys.room_rank(event_id), users)
                pipe.zmscore(keys.room_grants(event_id), users)
                pipe.hmget(keys.room_used(event_id), users)
                pipe.smismember(keys.room_missed(event_id), users)
            raw = await pipe.execute()
        for chunk, start in enumerate(range(0, len(user_ids), MEMBERS_CHUNK)):
            arrivals, ranks, grants, used, missed = raw[chunk * 5 : chunk * 5 + 5]
            for i, user_id in enumerate(user_ids[start : start + MEMBERS_CHUNK]):
                if arrivals[i] is None:
                    continue
                found[user_id] = _member(arrivals[i], ranks[i], grants[i], used[i], missed[i])
        return found

    async def room_event_ids(self) -> list[int]:
        return sorted(int(m) for m in await resolved(self.redis.smembers(self.keys.room_events)))

    async def record(self, event_id: int) -> DrawRecord:
        """Everything the audit compares, in one round trip."""
        keys = self.keys
        async with self.redis.pipeline(transaction=False) as pipe:
            pipe.hmget(keys.room(event_id), ["seed", "window"])
            pipe.lrange(keys.room_joined(event_id), 0, -1)
            pipe.lrange(keys.room_order(event_id), 0, -1)
            pipe.lrange(keys.room_admitted(event_id), 0, -1)
            pipe.hgetall(keys.room_used(event_id))
            (seed, window), joined, order, admitted, used = await pipe.execute()
        return DrawRecord(
            seed=seed.decode() if seed else None, window=int(window or 0),
            joined=[int(u) for u in joined], order=[int(u) for u in order],
            admitted=[int(u) for u in admitted],
            used={int(k): v.decode() for k, v in used.items()},
        )  # fmt: skip


def _member(arrival: Any, rank: Any, expires: Any, used: Any, missed: Any) -> Member:
    """A Member from the replies of HGET arrivals, HGET rank, ZSCORE grants, HGET used and
    SISMEMBER missed (or their many-member forms)."""
    return Member(
        arrival=int(arrival), rank=int(rank) if rank is not None else None,
        grant_expires_ms=int(expires) if expires is not None else None,
        ticket_id=used.decode() if used else None, missed=bool(missed),
    )  # fmt: skip


def room_settings(event: SeckillEvent) -> dict[str, int]:
    """`RoomStore.configure` arguments of a WAITING_ROOM sale."""
    opens = event.room_opens_at
    closes = event.starts_at.timestamp() + event.lottery_window_seconds
    return {
        "opens_ms": int(opens.timestamp() * 1000) if opens is not None else 0,
        "closes_ms": int(closes * 1000),
        "ttl_ms": event.grant_ttl_seconds * 1000,
        "factor": event.admission_factor,
    }


_JOIN_REFUSALS: dict[JoinCode, tuple[ErrorCode, Message]] = {
    JoinCode.NOT_WAITING_ROOM: (ErrorCode.NOT_WAITING_ROOM, text("This sale has no waiting room")),
    JoinCode.EMAIL_NOT_VERIFIED: (
        ErrorCode.EMAIL_NOT_VERIFIED,
        text("Verify your email address to take part in this sale"),
    ),
    JoinCode.NOT_IN_JOIN_WINDOW: (
        ErrorCode.NOT_IN_JOIN_WINDOW,
        text("The waiting room is not open now"),
    ),
    JoinCode.SOLD_OUT: (ErrorCode.SOLD_OUT, text("Sold out")),
}


def _refused(code: ErrorCode, message: Message) -> DomainFailure:
    return DomainFailure(DomainError(code, message, ("eventId",)))


async def join(
    runtime: Runtime, *, event_id: int, user_id: int, client_ip: str, email_verified: bool
) -> EntryView:
    """Join the sale's waiting room, or find the shopper's entry there (joining twice is no
    error). Rate limited per shopper and per client address (top-level RATE_LIMITED)."""
    s = runtime.settings
    await RateLimiter(runtime.redis).consume(
        (
            runtime.keys.rate_limit("room-join", client_subject(client_ip)),
            Limit(s.seckill_room_joins_per_ip_minute, 60),
        ),
        (
            runtime.keys.rate_limit("room-join", f"user:{user_id}"),
            Limit(s.seckill_room_joins_per_user_minute, 60),
        ),
    )
    rooms = RoomStore.of(runtime)
    code, _ = await rooms.join(event_id, user_id, verified=email_verified)
    if code is JoinCode.NOT_WARM:  # not in Redis: say why from the database
        event = await SeckillEvent.get_or_none(id=event_id)
        if event is None:
            raise _refused(ErrorCode.NOT_FOUND, text("No such flash sale"))
        if event.admission_mode is not AdmissionMode.WAITING_ROOM:
            code = JoinCode.NOT_WAITING_ROOM
        else:
            code = JoinCode.NOT_IN_JOIN_WINDOW
    if code is not JoinCode.JOINED:
        error, message = _JOIN_REFUSALS[code]
        raise _refused(error, message)
    found = await entry(runtime, event_id=event_id, user_id=user_id)
    if found is None:  # joined a moment ago; only an expiring sale loses it
        raise _refused(*_JOIN_REFUSALS[JoinCode.NOT_IN_JOIN_WINDOW])
    return found


async def entry(
    runtime: Runtime, *, event_id: int, user_id: int, rate: float | None = None
) -> EntryView | None:
    """The shopper's entry now (None: not in the room), from one read. A grant's expiry is
    judged by this process's clock, as `waitingRoomUpdated` judges it (the reserve script
    checks it by Redis's)."""
    warm, counters, member = await RoomStore.of(runtime).read(event_id, user_id)
    if counters is None or member is None:
        return None
    now_ms = int(time.time() * 1000)
    return entry_view(
        event_id, member, counters, remaining=warm.remaining if warm else 0, rate=rate,
        now_ms=now_ms,
    )  # fmt: skip


async def tick(runtime: Runtime) -> dict[str, int]:
    """The worker's cron, every second: for each warm WAITING_ROOM sale, draw once the lottery
    window has closed (then write the seed on the sale and announce the change), and admit the
    next entrants. Every step is idempotent: two workers running it at once admit no more
    than one would. One sale that fails is logged and skipped."""
    rooms = RoomStore.of(runtime)
    batch = runtime.settings.seckill_room_admit_batch
    admitted = drawn = 0
    for event_id in await rooms.room_event_ids():
        try:
            result = await rooms.draw(event_id, new_seed())
            if result.code is DrawCode.DRAWN and not result.published:
                await SeckillEvent.filter(id=event_id, draw_seed__isnull=True).update(
                    draw_seed=result.seed
                )
                await rooms.mark_published(event_id)
                await publish_event_updated(runtime, event_id)
                drawn += 1
            if result.code is DrawCode.DRAWN:
                admitted += (await rooms.admit(event_id, batch=batch)).admitted
        except Exception:
            logger.exception("waiting room of flash sale %d: tick failed", event_id)
    return {"drawn": drawn, "admitted": admitted}
